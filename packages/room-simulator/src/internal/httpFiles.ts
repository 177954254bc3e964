import { createReadStream, createWriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { pipeline } from 'node:stream'
import busboy from 'busboy'
import { FileId, fileIdToNumber } from '@org/file-events-codec'
import { FAULT_DEFAULTS, type Fault, activeFault } from '../Fault'
import { DOWNLOAD_PATH_PREFIX, UPLOAD_PATH } from '../httpPaths'
import { drainThen, guarded, openRequest, originRefused, sendJson } from './httpCommon'
import type { RoomState, StoredFile } from './RoomState'
import type { StorageQuota } from './StorageQuota'
import type { TokenStore } from './TokenStore'

export interface FileServerDeps {
  readonly state: RoomState
  readonly tokens: TokenStore
  readonly storageDir: string
  readonly maxUploadBytes: number
  readonly quota: StorageQuota
  readonly corsOrigins: ReadonlyArray<string>
  readonly faults: () => ReadonlyArray<Fault>
  readonly log: (line: string) => void
}

/** The upload's own name, reduced to a base name; it is metadata only, never a path on disk. */
const cleanFileName = (name: string | undefined): string => {
  const base = (name ?? '').split(/[\\/]/).pop() ?? ''
  return base.replace(/\0/g, '') || 'file'
}

/** The multipart envelope adds a few hundred bytes around the file; declared lengths are compared with headroom. */
const ENVELOPE_HEADROOM = 64 * 1024

/**
 * The room's built-in HTTP server for files: `POST /files/?token=T` (multipart field `file`, new id
 * in the `FileId` header) and `GET /files/{fileId}?token=T`. A malformed target gets 400, a missing
 * token 401, an unknown or expired one 403, an upload over the limit 413, over the storage quota 507.
 */
export const createFileServer = (deps: FileServerDeps): Server =>
  createServer(
    guarded('http', deps.log, (req, res) => {
      const opened = openRequest(req, res, deps.corsOrigins, 'GET, POST, OPTIONS')
      if (opened === undefined) return
      const { target, cors } = opened
      const token = deps.tokens.check(target.searchParams.get('token'))
      if (token !== 'ok') {
        drainThen(req, () =>
          token === 'missing'
            ? sendJson(res, 401, 'a token query parameter is required', cors)
            : sendJson(
                res,
                403,
                token === 'expired' ? 'the token has expired' : 'the token is not valid',
                cors,
              ),
        )
        return
      }
      const path = target.pathname
      if (
        req.method === 'POST' &&
        (path === UPLOAD_PATH || path === UPLOAD_PATH.replace(/\/$/, ''))
      ) {
        if (originRefused(deps.corsOrigins, req)) {
          // A page's simple POST needs no preflight: refuse it before storing, or the file would be
          // kept while the browser tells the page the upload failed.
          drainThen(req, () =>
            sendJson(res, 403, `origin ${String(req.headers.origin)} is not allowed`, {
              Connection: 'close',
            }),
          )
          return
        }
        upload(deps, req, res, cors)
        return
      }
      if (req.method === 'GET' && path.startsWith(DOWNLOAD_PATH_PREFIX)) {
        const redirect = activeFault(deps.faults(), 'redirectDownloads')
        if (redirect !== undefined) {
          const location = `${redirect.origin ?? FAULT_DEFAULTS.redirectOrigin}${target.pathAndQuery}`
          deps.log('fault: download redirected to another origin')
          res.writeHead(redirect.status ?? FAULT_DEFAULTS.redirectStatus, {
            Location: location,
            'Content-Length': '0',
            ...cors,
          })
          res.end()
          return
        }
        download(deps, path.slice(DOWNLOAD_PATH_PREFIX.length), res, cors)
        return
      }
      drainThen(req, () => sendJson(res, 404, 'not found', cors))
    }),
  )

type Outcome = 'stored' | 'too-large' | 'over-quota' | 'aborted'

const upload = (
  deps: FileServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  cors: Record<string, string>,
): void => {
  const tooLarge = (): void =>
    sendJson(res, 413, `the upload exceeds the limit of ${deps.maxUploadBytes} bytes`, cors)
  const overQuota = (): void =>
    sendJson(res, 507, `the storage quota of ${deps.quota.maxBytes} bytes is used up`, cors)
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > deps.maxUploadBytes + ENVELOPE_HEADROOM) {
    drainThen(req, () =>
      sendJson(res, 413, `the upload exceeds the limit of ${deps.maxUploadBytes} bytes`, {
        Connection: 'close',
        ...cors,
      }),
    )
    return
  }
  if (
    Number.isFinite(declared) &&
    declared > deps.quota.maxBytes - deps.quota.used + ENVELOPE_HEADROOM
  ) {
    drainThen(req, () =>
      sendJson(res, 507, `the storage quota of ${deps.quota.maxBytes} bytes is used up`, {
        Connection: 'close',
        ...cors,
      }),
    )
    return
  }
  let parser: busboy.Busboy
  try {
    parser = busboy({ headers: req.headers, limits: { fileSize: deps.maxUploadBytes, files: 1 } })
  } catch (error) {
    drainThen(req, () =>
      sendJson(
        res,
        400,
        `expected multipart/form-data: ${error instanceof Error ? error.message : 'bad request'}`,
        cors,
      ),
    )
    return
  }
  let stored: Promise<StoredFile | Outcome> | undefined
  let abandon = (): void => undefined
  let gaveUp = false
  /** Drops the upload: its file, its descriptor and its quota reservation; it is never answered. */
  const giveUp = (): void => {
    if (gaveUp || stored === undefined) return
    gaveUp = true
    abandon()
    stored.then(
      (file) => {
        if (typeof file !== 'object') return
        deps.quota.release(file.size)
        unlink(file.path).catch(() => undefined)
      },
      () => undefined,
    )
  }
  // The client went away mid-body: the file part may never end, so what it holds is given up now
  // rather than kept for the simulator's life.
  req.once('close', () => {
    if (!req.complete) giveUp()
  })
  let malformed = false
  parser.on('file', (field, stream, info) => {
    if (field !== 'file' || stored !== undefined) {
      stream.resume()
      return
    }
    const fileId = deps.state.allocateFileId()
    const path = join(deps.storageDir, `upload-${fileId}`)
    const fileName = cleanFileName(info.filename)
    let size = 0
    let outcome: Outcome = 'stored'
    const out = createWriteStream(path)
    const stop = (why: Outcome): void => {
      if (outcome !== 'stored') return
      outcome = why
      out.end()
      stream.resume()
    }
    abandon = () => {
      if (outcome !== 'stored' || out.writableFinished) return
      outcome = 'aborted'
      out.destroy()
    }
    stream.on('data', (chunk: Buffer) => {
      if (outcome !== 'stored') return
      if (!deps.quota.tryReserve(chunk.length)) {
        stop('over-quota')
        return
      }
      size += chunk.length
      if (!out.write(chunk)) {
        stream.pause()
        out.once('drain', () => stream.resume())
      }
    })
    stream.on('limit', () => stop('too-large'))
    stream.on('end', () => {
      if (outcome === 'stored') out.end()
    })
    stored = new Promise((resolve, reject) => {
      const discard = (): void => {
        deps.quota.release(size)
        unlink(path).then(
          () => resolve(outcome),
          () => resolve(outcome),
        )
      }
      out.on('finish', () => {
        if (outcome === 'stored') resolve({ fileId, fileName, size, path })
        else discard()
      })
      // A destroyed stream closes its descriptor before 'close'; only then is the file removed.
      out.on('close', () => {
        if (outcome === 'aborted') discard()
      })
      out.on('error', (error) => {
        if (outcome === 'aborted') return
        deps.quota.release(size)
        reject(error)
      })
    })
  })
  parser.on('error', (error: unknown) => {
    malformed = true
    drainThen(req, () =>
      sendJson(
        res,
        400,
        `malformed multipart body: ${error instanceof Error ? error.message : 'error'}`,
        cors,
      ),
    )
  })
  parser.on('close', () => {
    if (stored === undefined) {
      sendJson(res, 400, 'the multipart body has no "file" field', cors)
      return
    }
    // A body cut short or malformed is not an upload, even when its file part was complete.
    if (malformed || !req.complete) {
      giveUp()
      return
    }
    stored.then(
      (file) => {
        if (file === 'aborted' || gaveUp) return
        if (file === 'too-large') return tooLarge()
        if (file === 'over-quota' || file === 'stored') return overQuota()
        deps.state.addFile(file)
        deps.log(`http: stored upload as fileId ${file.fileId} (${file.size} bytes)`)
        const body = JSON.stringify({ fileId: file.fileId })
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          FileId: String(file.fileId),
          'Access-Control-Expose-Headers': 'FileId',
          ...cors,
        })
        res.end(body)
      },
      (error: unknown) =>
        sendJson(
          res,
          500,
          `could not store the upload: ${error instanceof Error ? error.message : 'error'}`,
          cors,
        ),
    )
  })
  req.pipe(parser)
}

/** Ids are read as the codec reads a `FileId`: decimal, no leading zeros, a safe integer. */
const download = (
  deps: FileServerDeps,
  idText: string,
  res: ServerResponse,
  cors: Record<string, string>,
): void => {
  const file = FileId.is(idText) ? deps.state.file(fileIdToNumber(idText)) : undefined
  if (file === undefined) {
    sendJson(res, 404, `no file with fileId ${idText.slice(0, 40)}`, cors)
    return
  }
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': file.size,
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    FileId: String(file.fileId),
    ...cors,
  })
  // pipeline, not pipe: a client that goes away mid-download destroys the file stream with its
  // descriptor; a read error destroys the response.
  pipeline(createReadStream(file.path), res, () => undefined)
}
