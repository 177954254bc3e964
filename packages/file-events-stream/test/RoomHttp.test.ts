/**
 * Uploads and downloads on real sockets (port 0): bodies stream in constant memory, a body that
 * keeps moving is never cut however long it takes, one that stalls is cut after httpTimeoutMs, and
 * an upload is never sent on by a redirect. The WebSocket side is the room simulator; the HTTP side
 * is either the simulator's own server or a server written here to misbehave.
 */
import { openAsBlob } from 'node:fs'
import { truncate, writeFile } from 'node:fs/promises'
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { type RoomSimulator, startRoomSimulator } from '@org/room-simulator'
import { WebSocket } from 'ws'
import { type WebSocketConstructor, isHttpError } from '../src/index'
import { type NodeRoomConnection, connectRoom } from '../src/node'
import { ready, runChild, tempDir } from './helpers'

const Ctor = WebSocket as unknown as WebSocketConstructor
const PIN = '7391'
const MiB = 1024 * 1024

const closers: Array<() => unknown> = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

const simulator = async (
  options: Parameters<typeof startRoomSimulator>[0] = {},
): Promise<RoomSimulator> => {
  const sim = await startRoomSimulator({ pin: PIN, timeScale: 0, ...options })
  closers.push(() => sim.close())
  return sim
}

/** An HTTP server on port 0 that records the tokens it is sent. */
const listen = async (
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ origin: string; tokens: string[] }> => {
  const tokens: string[] = []
  const server = createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token')
    if (token !== null) tokens.push(token)
    handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(
    () => new Promise((resolve) => server.close(resolve)),
    () => server.closeAllConnections(),
  )
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tokens }
}

/** A connection whose WebSocket side is the simulator and whose HTTP server is `httpUrl`. */
const connect = async (
  httpUrl: string,
  extra: Partial<Parameters<typeof connectRoom>[0]> = {},
): Promise<NodeRoomConnection> => {
  const sim = await simulator()
  const room = connectRoom({ wsUrl: sim.urls.ws, httpUrl, pin: PIN, WebSocketCtor: Ctor, ...extra })
  closers.push(() => room.close())
  await ready(room)
  return room
}

/**
 * A server that reads an upload in pieces of at most `piece` bytes, one every `everyMs`, records
 * when bytes came, and answers with a `FileId` once all came. `stopAfter` bytes in, it stops reading
 * for good (a stalled upload).
 */
const slowReader = (options: { everyMs: number; stopAfter?: number }) => {
  const seen = { bytes: 0, firstAt: 0, lastAt: 0, longestGapMs: 0, requests: 0, aborted: 0 }
  return {
    seen,
    handler: (req: IncomingMessage, res: ServerResponse) => {
      seen.requests++
      req.on('aborted', () => seen.aborted++)
      req.on('data', (chunk: Buffer) => {
        const now = Date.now()
        if (seen.firstAt === 0) seen.firstAt = now
        else seen.longestGapMs = Math.max(seen.longestGapMs, now - seen.lastAt)
        seen.lastAt = now
        seen.bytes += chunk.byteLength
        req.pause()
        if (options.stopAfter !== undefined && seen.bytes >= options.stopAfter) return
        setTimeout(() => req.resume(), options.everyMs)
      })
      req.on('end', () => res.writeHead(200, { FileId: '42' }).end())
    },
  }
}

const sparseFile = async (dir: string, bytes: number, name = 'big.bin'): Promise<string> => {
  const path = join(dir, name)
  await writeFile(path, '')
  await truncate(path, bytes)
  return path
}

describe('uploads stream in constant memory', () => {
  it('sends a 400 MiB file from a path with sendFile, adding at most 32 MiB of RSS (a child process, the built package, the simulator)', async () => {
    const sim = await simulator({ maxUploadBytes: 512 * MiB, maxStorageBytes: 1024 * MiB })
    const { dir, remove } = tempDir()
    closers.push(remove)
    const path = await sparseFile(dir, 400 * MiB, 'big.bin')
    const warmUp = await sparseFile(dir, 16 * MiB, 'warm-up.bin')
    const entry = join(__dirname, '..', 'dist', 'node.cjs')
    // A 16 MiB upload first: what any streaming costs once (fetch loaded, V8's young generation
    // grown to its working size: the same 30 to 40 MiB for a 40 MiB file as for a 400 MiB one) is
    // in the baseline, and what is measured is what the size of the file adds.
    const script = `const { connectRoom } = require(${JSON.stringify(entry)})
const room = connectRoom({ host: '127.0.0.1', webPort: ${new URL(sim.urls.web).port}, pin: ${JSON.stringify(PIN)} })
room.state$.subscribe({ error: () => undefined })
const main = async () => {
  await room.sendFile({ path: ${JSON.stringify(warmUp)}, to: 'peer@server.trueconf' })
  global.gc()
  const before = process.memoryUsage().rss
  let peak = before
  const sample = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 5)
  const started = Date.now()
  const id = await room.sendFile({ path: ${JSON.stringify(path)}, to: 'peer@server.trueconf' })
  clearInterval(sample)
  peak = Math.max(peak, process.memoryUsage().rss)
  process.stdout.write(JSON.stringify({ id, before, peak, ms: Date.now() - started }))
}
main().catch((e) => process.stdout.write(JSON.stringify({ error: String(e) }))).finally(() => room.close())`
    const result = await runChild<{ id: string; before: number; peak: number; ms: number }>(script)
    expect(result.error).toBeUndefined()
    expect(typeof result.id).toBe('string')
    const sent = sim.groundTruth().find((entry) => entry.fileRequestId === result.id)
    expect(sent).toMatchObject({ fileName: 'big.bin', fileSize: 400 * MiB, directionType: 1 })
    const growthMiB = ((result.peak ?? Infinity) - (result.before ?? 0)) / MiB
    process.stdout.write(
      `400 MiB sendFile({ path }): peak RSS growth ${growthMiB.toFixed(1)} MiB, ${result.ms ?? '?'} ms\n`,
    )
    expect(growthMiB).toBeLessThanOrEqual(32)
  }, 120_000)

  it('sends the multipart body a form would, with the name quoted as a form quotes it', async () => {
    let body = ''
    let headers: IncomingMessage['headers'] = {}
    const http = await listen((req, res) => {
      headers = req.headers
      req.setEncoding('latin1')
      req.on('data', (chunk: string) => (body += chunk))
      req.on('end', () => res.writeHead(200, { FileId: '9' }).end())
    })
    const room = await connect(http.origin)
    const name = 'a "quoted"\r\nname ü.txt'
    expect(await room.uploadFile(new Blob(['hello'], { type: 'text/plain' }), name)).toBe(9)
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(
      headers['content-type'] ?? '',
    )?.[1]
    expect(boundary).toBeDefined()
    const utf8Name = Buffer.from('a %22quoted%22%0D%0Aname ü.txt').toString('latin1')
    expect(body).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${utf8Name}"\r\n` +
        `Content-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`,
    )
    expect(headers['content-length']).toBe(String(Buffer.byteLength(body, 'latin1')))
  })
})

describe('httpTimeoutMs measures silence, not size', () => {
  it('never cuts an upload that keeps moving, though it takes many times httpTimeoutMs in all', async () => {
    // The client sees progress as the system takes bytes into its socket buffers, which hold
    // megabytes on loopback; the last of them drain after the body is all taken. The reader is
    // steady and fast enough that the buffers drain well within httpTimeoutMs, and the body large
    // enough that the whole takes several times it.
    const reader = slowReader({ everyMs: 4 })
    const http = await listen(reader.handler)
    const room = await connect(http.origin, { httpTimeoutMs: 1_000 })
    const { dir, remove } = tempDir()
    closers.push(remove)
    const blob = await openAsBlob(await sparseFile(dir, 64 * MiB))
    const started = Date.now()
    expect(await room.uploadFile(blob, 'slow.bin')).toBe(42)
    expect(reader.seen.bytes).toBeGreaterThan(64 * MiB)
    // The limit is crossed: the upload took several times httpTimeoutMs, never silent that long.
    expect(Date.now() - started).toBeGreaterThan(3 * 1_000)
    expect(reader.seen.longestGapMs).toBeLessThan(1_000)
  }, 30_000)

  it('cuts an upload that stalls for httpTimeoutMs with an HttpError naming it, and shows no secret', async () => {
    const reader = slowReader({ everyMs: 5, stopAfter: MiB })
    const http = await listen(reader.handler)
    const room = await connect(http.origin, { httpTimeoutMs: 300 })
    const { dir, remove } = tempDir()
    closers.push(remove)
    const blob = await openAsBlob(await sparseFile(dir, 256 * MiB))
    const error = await room.uploadFile(blob, 'stalls.bin').catch((e: unknown) => e)
    expect(isHttpError(error)).toBe(true)
    expect((error as Error).message).toMatch(
      /^POST \/files\/ stalled: the server took no more of the body for httpTimeoutMs \(300 ms\), after \d+ bytes$/,
    )
    const token = http.tokens[0] ?? ''
    expect(token.length).toBeGreaterThan(0)
    const shown = `${inspect(error, { depth: 10 })} ${JSON.stringify(error)}`
    expect(shown).not.toContain(token)
    expect(shown).not.toContain(PIN)
    // The server stopped after 1 MiB; what the kernel buffers is far less than the file.
    expect(reader.seen.bytes).toBeLessThan(64 * MiB)
  })

  it('cuts an upload whose whole body was taken but never answered, after httpTimeoutMs', async () => {
    const http = await listen((req) => req.resume())
    const room = await connect(http.origin, { httpTimeoutMs: 300 })
    const error = await room.uploadFile(new Uint8Array(MiB), 'x.bin').catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'ERR_HTTP',
      message: 'POST /files/ got no answer within httpTimeoutMs (300 ms)',
    })
  })

  it('never cuts a download that keeps moving, though it takes many times httpTimeoutMs in all', async () => {
    const piece = Buffer.alloc(16 * 1024, 7)
    const pieces = 40
    const http = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(piece.byteLength * pieces) })
      let sent = 0
      const next = (): void => {
        res.write(piece)
        if (++sent < pieces) setTimeout(next, 50)
        else res.end()
      }
      next()
    })
    const room = await connect(http.origin, { httpTimeoutMs: 300 })
    const started = Date.now()
    const response = await room.openDownload(1)
    const bytes = (await response.arrayBuffer()).byteLength
    expect(bytes).toBe(piece.byteLength * pieces)
    expect(Date.now() - started).toBeGreaterThan(3 * 300)
  })

  it('lets a signal bound the whole upload: AbortSignal.timeout(ms) cuts one that keeps moving', async () => {
    const reader = slowReader({ everyMs: 8 })
    const http = await listen(reader.handler)
    const room = await connect(http.origin, { httpTimeoutMs: 500 })
    const error = await room
      .sendFile({
        data: new Uint8Array(64 * MiB),
        fileName: 'long.bin',
        to: 'peer@server.trueconf',
        signal: AbortSignal.timeout(1_000),
      })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TimeoutError' })
    expect(reader.seen.bytes).toBeGreaterThan(0)
    expect(reader.seen.bytes).toBeLessThan(64 * MiB)
    const aborted = await room
      .uploadFile('x', 'x.txt', { signal: AbortSignal.abort(new Error('not now')) })
      .catch((e: unknown) => e)
    expect(aborted).toMatchObject({ message: 'not now' })
  })
})

describe('an upload is never redirected', () => {
  it.each([307, 308, 302])(
    'answers a %i to an upload with an HttpError, and sends nothing to the new location',
    async (status) => {
      let moved = 0
      const http = await listen((req, res) => {
        req.resume()
        if (req.url?.startsWith('/moved') === true) {
          moved++
          res.writeHead(200, { FileId: '7' }).end()
        } else res.writeHead(status, { Location: '/moved/' }).end()
      })
      const room = await connect(http.origin)
      const error = await room.uploadFile('secret report', 'r.txt').catch((e: unknown) => e)
      expect(isHttpError(error)).toBe(true)
      expect((error as Error).message).toBe(
        'POST /files/ was not sent on: the server answered with a redirect, which a request with a body does not follow',
      )
      expect(moved).toBe(0)
    },
  )
})
