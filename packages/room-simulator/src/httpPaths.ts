import { FILE_DOWNLOAD_PATH, FILE_UPLOAD_PATH, fileDownloadPath } from '@org/file-events-codec'

/**
 * The upload path of the room's built-in HTTP server (`POST /files/?token=T`, multipart field
 * `file`, new id in the `FileId` response header), as TrueConf's public clients use it. The same
 * value as the codec package's `FILE_UPLOAD_PATH`, where it is defined.
 *
 * @category http
 * @since 0.1.0
 */
export const UPLOAD_PATH: string = FILE_UPLOAD_PATH

/**
 * The download path prefix: `GET /files/{fileId}?token=T`. The real room's download path is not
 * publicly documented; the codec package's `FILE_DOWNLOAD_PATH` is the one place it is chosen, so
 * the simulator and the stream package's client always agree.
 *
 * @category http
 * @since 0.1.0
 */
export const DOWNLOAD_PATH_PREFIX: string = FILE_DOWNLOAD_PATH

/**
 * The download path of a stored file (without the `token` query parameter).
 *
 * @category http
 * @since 0.1.0
 */
export const downloadPath = (fileId: number | string): string => fileDownloadPath(fileId)
