import { createReadStream, createWriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import { join } from 'node:path'
import busboy from 'busboy'
import { DOWNLOAD_PATH_PREFIX, UPLOAD_PATH } from '../httpPaths'
import type { RoomState } from './RoomState'
import type { TokenStore } from './TokenStore'

export interface FileServerDeps {
  readonly state: RoomState
  readonly tokens: TokenStore
  readonly storageDir: string
  readonly maxUploadBytes: number
  readonly log: (line: string) => void
}

const send = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void => {
  if (res.headersSent) return
  const body = JSON.stringify({ error: message })
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers })
  res.end(body)
}

/** Answers once the whole request body has been read, so the client never sees a reset mid-upload. */
const drainThen = (req: IncomingMessage, respond: () => void): void => {
  if (req.readableEnded) {
    respond()
    return
  }
  req.on('end', respond)
  req.on('error', respond)
  req.resume()
}

/** The upload's own name, reduced to a base name; it is metadata only, never a path on disk. */
const cleanFileName = (name: string | undefined): string => {
  const base = (name ?? '').split(/[\\/]/).pop() ?? ''
  return base.replace(/\0/g, '') || 'file'
}

/**
 * The room's built-in HTTP server for files: `POST /files/?token=T` (multipart field `file`, new id
 * in the `FileId` header) and `GET /files/{fileId}?token=T`. A missing token gets 401, an unknown or
 * expired one 403, an upload over the limit 413.
 */
export const createFileServer = (deps: FileServerDeps): Server =>
  createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://room.invalid')
    const token = deps.tokens.check(url.searchParams.get('token'))
    if (token !== 'ok') {
      drainThen(req, () =>
        token === 'missing'
          ? send(res, 401, 'a token query parameter is required')
          : send(res, 403, token === 'expired' ? 'the token has expired' : 'the token is not valid'),
      )
      return
    }
    if (req.method === 'POST' && (url.pathname === UPLOAD_PATH || url.pathname === UPLOAD_PATH.replace(/\/$/, ''))) {
      upload(deps, req, res)
      return
    }
    if (req.method === 'GET' && url.pathname.startsWith(DOWNLOAD_PATH_PREFIX)) {
      download(deps, url.pathname.slice(DOWNLOAD_PATH_PREFIX.length), res)
      return
    }
    drainThen(req, () => send(res, 404, 'not found'))
  })

const tooLarge = (deps: FileServerDeps): string => `the upload exceeds the limit of ${deps.maxUploadBytes} bytes`

const upload = (deps: FileServerDeps, req: IncomingMessage, res: ServerResponse): void => {
  const declared = Number(req.headers['content-length'])
  // The multipart envelope adds a few hundred bytes around the file; compare the body with headroom.
  if (Number.isFinite(declared) && declared > deps.maxUploadBytes + 64 * 1024) {
    drainThen(req, () => send(res, 413, tooLarge(deps), { Connection: 'close' }))
    return
  }
  let parser: busboy.Busboy
  try {
    parser = busboy({ headers: req.headers, limits: { fileSize: deps.maxUploadBytes, files: 1 } })
  } catch (error) {
    drainThen(req, () => send(res, 400, `expected multipart/form-data: ${error instanceof Error ? error.message : 'bad request'}`))
    return
  }
  let stored: Promise<{ fileId: number; fileName: string; size: number; path: string } | 'too-large'> | undefined
  parser.on('file', (field, stream, info) => {
    if (field !== 'file' || stored !== undefined) {
      stream.resume()
      return
    }
    const fileId = deps.state.allocateFileId()
    const path = join(deps.storageDir, `upload-${fileId}`)
    const fileName = cleanFileName(info.filename)
    let size = 0
    let truncated = false
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length
    })
    stream.on('limit', () => {
      truncated = true
    })
    const out = createWriteStream(path)
    stored = new Promise((resolve, reject) => {
      out.on('finish', () => {
        if (truncated) unlink(path).then(() => resolve('too-large'), () => resolve('too-large'))
        else resolve({ fileId, fileName, size, path })
      })
      out.on('error', reject)
    })
    stream.pipe(out)
  })
  parser.on('error', (error: unknown) => {
    drainThen(req, () => send(res, 400, `malformed multipart body: ${error instanceof Error ? error.message : 'error'}`))
  })
  parser.on('close', () => {
    if (stored === undefined) {
      send(res, 400, 'the multipart body has no "file" field')
      return
    }
    stored.then(
      (file) => {
        if (file === 'too-large') {
          send(res, 413, tooLarge(deps))
          return
        }
        deps.state.addFile(file)
        deps.log(`http: stored upload as fileId ${file.fileId} (${file.size} bytes)`)
        const body = JSON.stringify({ fileId: file.fileId })
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          FileId: String(file.fileId),
          'Access-Control-Expose-Headers': 'FileId',
        })
        res.end(body)
      },
      (error: unknown) => send(res, 500, `could not store the upload: ${error instanceof Error ? error.message : 'error'}`),
    )
  })
  req.pipe(parser)
}

const download = (deps: FileServerDeps, idText: string, res: ServerResponse): void => {
  const fileId = /^\d{1,15}$/.test(idText) ? Number(idText) : NaN
  const file = Number.isNaN(fileId) ? undefined : deps.state.file(fileId)
  if (file === undefined) {
    send(res, 404, `no file with fileId ${idText}`)
    return
  }
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': file.size,
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    FileId: String(file.fileId),
  })
  const stream = createReadStream(file.path)
  stream.on('error', () => res.destroy())
  stream.pipe(res)
}
