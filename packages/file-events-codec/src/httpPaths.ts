/**
 * Path of the built-in HTTP server's upload endpoint: `POST {FILE_UPLOAD_PATH}?token=T` with a
 * multipart field `file`; the new file's id comes back in the `FileId` response header. As TrueConf's
 * own client uses it.
 *
 * @category http
 * @since 0.1.0
 */
export const FILE_UPLOAD_PATH = '/files/'

/**
 * Path prefix of the download endpoint: `GET {FILE_DOWNLOAD_PATH}{fileId}?token=T`. The real
 * room's download path is not publicly documented; this is the one the simulator serves and the
 * stream package requests, kept here so that both agree and a correction is made in one place.
 *
 * @category http
 * @since 0.1.0
 */
export const FILE_DOWNLOAD_PATH = '/files/'

/**
 * The download path of one file.
 *
 * @example
 * import { fileDownloadPath } from '@org/file-events-codec'
 * fileDownloadPath(42) // '/files/42'
 *
 * @category http
 * @since 0.1.0
 */
export const fileDownloadPath = (fileId: number | string): string =>
  `${FILE_DOWNLOAD_PATH}${encodeURIComponent(String(fileId))}`
