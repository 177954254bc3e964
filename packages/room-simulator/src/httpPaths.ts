/**
 * The upload path of the room's built-in HTTP server (`POST /files/?token=T`, multipart field
 * `file`, new id in the `FileId` response header), as TrueConf's public clients use it.
 *
 * @category http
 * @since 0.1.0
 */
export const UPLOAD_PATH = '/files/'

/**
 * The download path prefix of the simulator: `GET /files/{fileId}?token=T`. The real room's
 * download path is not publicly documented; this is the simulator's choice, kept in this one place.
 *
 * @category http
 * @since 0.1.0
 */
export const DOWNLOAD_PATH_PREFIX = '/files/'

/**
 * The download path of a stored file (without the `token` query parameter).
 *
 * @category http
 * @since 0.1.0
 */
export const downloadPath = (fileId: number | string): string => `${DOWNLOAD_PATH_PREFIX}${String(fileId)}`
