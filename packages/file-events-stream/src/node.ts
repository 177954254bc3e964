/**
 * The Node entry of `@org/file-events-stream`: a {@link connectRoom} that uses the `ws` package by
 * default and returns a {@link NodeRoomConnection}, whose file actions read and write the file
 * system, and {@link saveResponseToFile}. Everything else (errors, guards, operators) is imported
 * from the main entry.
 *
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto'
import { constants as fsConstants, openAsBlob } from 'node:fs'
import { type FileHandle, copyFile, link, open, stat, unlink } from 'node:fs/promises'
import { basename, join, resolve, sep } from 'node:path'
import { WebSocket } from 'ws'
import { ConfigurationError, DownloadError, isDownloadError, messageOf } from './errors'
import type { ConnectRoomOptions } from './connectOptions'
import type { SendFileOptions } from './actionOptions'
import { RoomConnection } from './RoomConnection'
import { numberedFileName, sanitizeFileName } from './sanitizeFileName'

/**
 * Options of {@link NodeRoomConnection.downloadFile} and {@link saveResponseToFile}.
 *
 * @category files
 * @since 0.1.0
 */
export interface DownloadFileOptions {
  /**
   * The folder to write into; it must exist (it is not created). The file never lands outside it,
   * and is created with mode `0600`: received files may be private to the user running the client.
   */
  readonly dir: string
  /**
   * The name to give the file (sanitized).
   *
   * @default the tracked request's `fileName`, else `file-<fileId>`
   */
  readonly fileName?: string
  /**
   * The size the room announced; more bytes abort the download, fewer fail it.
   *
   * @default the tracked request's `fileSize`, when one has this `fileId`
   */
  readonly expectedSize?: number
  /** Aborts the download (the partial file is removed). */
  readonly signal?: AbortSignal
}

/**
 * Where a download was written.
 *
 * @category files
 * @since 0.1.0
 */
export interface DownloadedFile {
  /** The absolute path of the new file. */
  readonly path: string
  /** Its name in `dir` (sanitized, maybe with a ` (n)` suffix). */
  readonly fileName: string
  readonly bytes: number
}

/**
 * {@link SendFileOptions} with a `path` on disk instead of `data`: the file is read only as the
 * socket takes it, so a file of any size costs constant memory. `fileName` defaults to the path's
 * base name.
 *
 * @category files
 * @since 0.1.0
 */
export type NodeSendFileOptions =
  | SendFileOptions
  | {
      readonly path: string
      readonly fileName?: string
      readonly to: string
      /**
       * Aborts the upload, as in {@link SendFileOptions}.
       *
       * @since 0.1.0
       */
      readonly signal?: AbortSignal
    }

const MAX_SUFFIX = 10_000

/** Read through a call, so that a check made before an `await` is not taken as still true after it. */
const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true

const removeQuietly = async (path: string): Promise<void> => {
  await unlink(path).catch(() => undefined)
}

/** Whether `target` resolves to a direct child of `dir`. */
const inside = (dir: string, target: string): boolean => {
  const resolved = resolve(target)
  return (
    resolved.startsWith(dir.endsWith(sep) ? dir : dir + sep) &&
    !resolved.slice(dir.length + 1).includes(sep)
  )
}

/**
 * Gives the finished temporary file its final name without ever replacing an existing file:
 * a hard link fails with `EEXIST` on collision (then ` (1)`, ` (2)`, ... are tried); where links
 * are not supported, an exclusive copy does the same.
 */
const claimName = async (dir: string, temp: string, safeName: string): Promise<string> => {
  for (let n = 0; n < MAX_SUFFIX; n++) {
    const name = numberedFileName(safeName, n)
    const target = join(dir, name)
    if (!inside(dir, target)) throw new Error(`refusing a name outside the folder: ${name}`)
    try {
      await link(temp, target)
      return target
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EEXIST') continue
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EMLINK')
        throw error
    }
    try {
      await copyFile(temp, target, fsConstants.COPYFILE_EXCL)
      return target
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue
      throw error
    }
  }
  throw new Error(`no free name for ${safeName} after ${MAX_SUFFIX} tries`)
}

/**
 * Streams an HTTP response body into a new file in `dir`: written to a temporary file first
 * (created with `wx`), never buffered whole, capped at `expectedSize`, then given its sanitized
 * final name without overwriting anything. On any failure the partial file is removed and a
 * {@link DownloadError} is thrown.
 *
 * @category files
 * @since 0.1.0
 */
export const saveResponseToFile = async (
  response: Response,
  fileId: number | string,
  options: DownloadFileOptions & { readonly fileName: string },
): Promise<DownloadedFile> => {
  const dir = resolve(options.dir)
  const fail = (reason: DownloadError['reason'], detail: string, cause?: unknown): DownloadError =>
    new DownloadError({ reason, fileId, detail }, cause === undefined ? undefined : { cause })
  const expected = options.expectedSize
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (expected !== undefined && Number.isFinite(declared) && declared > expected) {
    await response.body?.cancel().catch(() => undefined)
    throw fail(
      'too-large',
      `file ${fileId} is ${declared} bytes, more than the ${expected} announced`,
    )
  }
  const body = response.body
  if (body === null) throw fail('no-body', `the download of file ${fileId} had no body`)
  try {
    const info = await stat(dir)
    if (!info.isDirectory()) throw new Error('not a directory')
  } catch (error) {
    await body.cancel().catch(() => undefined)
    throw fail('io', `cannot write into ${dir}: ${messageOf(error)}`, error)
  }
  const temp = join(dir, `.download-${randomBytes(8).toString('hex')}.part`)
  let handle: FileHandle | undefined
  const reader = body.getReader()
  let bytes = 0
  try {
    handle = await open(temp, 'wx', 0o600)
    for (;;) {
      if (options.signal?.aborted === true)
        throw fail('aborted', `the download of file ${fileId} was aborted`)
      const { done, value } = await reader.read()
      if (done) break
      bytes += value.byteLength
      if (expected !== undefined && bytes > expected) {
        throw fail('too-large', `file ${fileId} sent more than the ${expected} bytes announced`)
      }
      await handle.write(value)
    }
    if (expected !== undefined && bytes < expected) {
      throw fail('truncated', `file ${fileId} ended after ${bytes} of ${expected} bytes`)
    }
    await handle.close()
    handle = undefined
    const safeName = sanitizeFileName(options.fileName)
    const path = await claimName(dir, temp, safeName)
    await removeQuietly(temp)
    return { path, fileName: basename(path), bytes }
  } catch (error) {
    await reader.cancel().catch(() => undefined)
    await handle?.close().catch(() => undefined)
    await removeQuietly(temp)
    if (isDownloadError(error)) throw error
    if (isAborted(options.signal))
      throw fail('aborted', `the download of file ${fileId} was aborted`, error)
    throw fail('io', `the download of file ${fileId} failed: ${messageOf(error)}`, error)
  }
}

/**
 * A {@link RoomConnection} whose file actions use the file system: `downloadFile` streams to disk,
 * `sendFile` also takes a `path`.
 *
 * @category connection
 * @since 0.1.0
 */
export class NodeRoomConnection extends RoomConnection {
  /**
   * Downloads a file from the room's HTTP server into `dir`, safely (see
   * {@link saveResponseToFile}). The name and the announced size default to those of the tracked
   * request with this `fileId`. `close()` waits for a download to end (its partial file removed).
   */
  downloadFile(fileId: number | string, options: DownloadFileOptions): Promise<DownloadedFile> {
    return this.tracked(this.download(fileId, options))
  }

  private async download(
    fileId: number | string,
    options: DownloadFileOptions,
  ): Promise<DownloadedFile> {
    const aborted = (): DownloadError =>
      new DownloadError({
        reason: 'aborted',
        fileId,
        detail: `the download of file ${fileId} was aborted`,
      })
    if (isAborted(options.signal)) throw aborted()
    let tracked: { fileName: string; fileSize: number } | undefined
    for (const r of this.fileRequests.requests.values()) {
      if (r.fileId !== undefined && r.fileId === Number(fileId)) {
        tracked = r
        break
      }
    }
    const expectedSize = options.expectedSize ?? tracked?.fileSize
    let unlink = (): void => undefined
    try {
      const opened = await this.openDownloadLinked(fileId, options.signal)
      unlink = opened.unlink
      return await saveResponseToFile(opened.response, fileId, {
        ...options,
        fileName: options.fileName ?? tracked?.fileName ?? `file-${fileId}`,
        ...(expectedSize === undefined ? {} : { expectedSize }),
      })
    } catch (error) {
      // A failure of its own (too large, truncated, ...) keeps its reason; one that the end of the
      // connection caused (an aborted read) fails with what ended the connection.
      if (isDownloadError(error) && error.reason !== 'io' && error.reason !== 'aborted') throw error
      const ended = this.endedWith()
      if (ended !== undefined) throw ended
      if (isAborted(options.signal) && !isDownloadError(error)) throw aborted()
      throw error
    } finally {
      unlink()
    }
  }

  /** Uploads bytes or a file on disk (streamed), then sends it; resolves with the `fileRequestId`. */
  override async sendFile(options: NodeSendFileOptions): Promise<string> {
    if (!('path' in options)) return super.sendFile(options)
    let blob: Blob
    try {
      const info = await stat(options.path)
      if (!info.isFile()) throw new Error('not a regular file')
      blob = await openAsBlob(options.path)
    } catch (error) {
      throw new ConfigurationError(
        { detail: `cannot read ${options.path}: ${messageOf(error)}` },
        { cause: error },
      )
    }
    return super.sendFile({
      data: blob,
      fileName: options.fileName ?? basename(options.path),
      to: options.to,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    })
  }
}

/**
 * {@link ConnectRoomOptions} for Node: `WebSocketCtor` defaults to the `ws` package's class.
 *
 * @category connection
 * @since 0.1.0
 */
export type NodeConnectRoomOptions = ConnectRoomOptions

/**
 * Creates a {@link NodeRoomConnection} (the `ws` package is the default WebSocket).
 *
 * @example
 * import { connectRoom } from '@org/file-events-stream/node'
 * const room = connectRoom({ host: '127.0.0.1', pin: process.env.ROOM_PIN })
 * // Every stream errors with the terminal error (a wrong PIN, ...): handle it on each.
 * room.events$.subscribe({ next: (e) => console.log(e.event), error: (e: unknown) => console.error(e) })
 *
 * @category connection
 * @since 0.1.0
 */
export const connectRoom = (options: NodeConnectRoomOptions): NodeRoomConnection =>
  new NodeRoomConnection({ ...options, WebSocketCtor: options.WebSocketCtor ?? WebSocket })
