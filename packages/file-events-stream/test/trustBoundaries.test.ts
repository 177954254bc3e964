/**
 * Every network input is bounded in size, time and destination: each case here is a hostile room,
 * web server or HTTP server on a real socket (port 0).
 */
import { spawn } from 'node:child_process'
import { getEventListeners } from 'node:events'
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import { type Socket as NetSocket, createServer as createNetServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { WebSocketServer, WebSocket } from 'ws'
import {
  type ConnectionLogEntry,
  type ConnectionState,
  type RoomConnection,
  type WebSocketConstructor,
  connectRoom,
  discoverRoom,
  exponentialBackoff,
  isDiscoveryError,
  isHttpError,
  isReplyDecodeError,
  isRetriesExhaustedError,
} from '../src/index'
import { startRoomSimulator } from '@org/room-simulator'
import { first, ready } from './helpers'

const Ctor = WebSocket as unknown as WebSocketConstructor
const closers: Array<() => unknown> = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

const listen = async (
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; port: number; origin: string }> => {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(
    () => new Promise((resolve) => server.close(resolve)),
    () => server.closeAllConnections(),
  )
  const port = (server.address() as AddressInfo).port
  return { server, port, origin: `http://127.0.0.1:${port}` }
}

/** A room's WebSocket side that answers auth (recording the PINs it was sent) and the lists. */
const wsRoom = async (
  /** Answers what it wants first (returning true), before the defaults. */
  extra: (frame: Record<string, unknown>, socket: WebSocket) => boolean | void = () => undefined,
): Promise<{
  url: string
  port: number
  pins: unknown[]
  sockets: WebSocket[]
  closeCodes: number[]
}> => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const pins: unknown[] = []
  const sockets: WebSocket[] = []
  const closeCodes: number[] = []
  wss.on('connection', (socket) => {
    sockets.push(socket)
    socket.on('close', (code) => closeCodes.push(code))
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>
      const reply = (fields: Record<string, unknown>) =>
        socket.send(
          JSON.stringify({
            method: frame['method'],
            requestId: frame['requestId'],
            result: true,
            ...fields,
          }),
        )
      if (extra(frame, socket) === true) return
      if (frame['method'] === 'auth') {
        pins.push(frame['credentials'])
        reply({ token: 'session-secret', tokenForHttpServer: 'http-secret' })
      } else if (frame['method'] === 'getIncomingFilesRequests')
        reply({ incomingFilesRequests: [] })
      else if (frame['method'] === 'getOutgoingFilesRequests') reply({ outgoingFilesRequests: [] })
      else if (frame['method'] === 'getFileTransferHistory') reply({ filesRequests: [] })
    })
  })
  closers.push(() => {
    for (const s of wss.clients) s.terminate()
    return new Promise((resolve) => wss.close(() => resolve(undefined)))
  })
  const port = (wss.address() as AddressInfo).port
  return { url: `ws://127.0.0.1:${port}`, port, pins, sockets, closeCodes }
}

const configJson = (
  ws: { hostname: unknown; port: unknown },
  http: { hostname: unknown; port: unknown } = { hostname: null, port: 8766 },
) => JSON.stringify({ config: { websocket: ws, http } })

const track = (room: RoomConnection): RoomConnection => {
  closers.push(() => room.close())
  return room
}

describe('destination: the PIN only goes to the host the user gave', () => {
  it.each(['169.254.169.254', 'attacker.example', 'localhost'])(
    'connects to the given host when config.json names %s, and says so',
    async (named) => {
      const room = await wsRoom()
      const web = await listen((_req, res) =>
        res.writeHead(200).end(configJson({ hostname: named, port: room.port })),
      )
      const logs: ConnectionLogEntry[] = []
      const c = track(
        connectRoom({
          host: '127.0.0.1',
          webPort: web.port,
          pin: '5150',
          WebSocketCtor: Ctor,
          logger: (e) => logs.push(e),
        }),
      )
      await ready(c)
      expect(c.urls?.wsUrl).toBe(`ws://127.0.0.1:${room.port}`)
      expect(room.pins).toEqual(['5150'])
      expect(logs.find((e) => e.event === 'discovery-host-ignored')?.message).toContain(named)
    },
  )

  it('uses a discovered host when trustDiscoveredHosts is set', async () => {
    const room = await wsRoom()
    const web = await listen((_req, res) =>
      res.writeHead(200).end(configJson({ hostname: 'localhost', port: room.port })),
    )
    const c = track(
      connectRoom({
        host: '127.0.0.1',
        webPort: web.port,
        pin: '5150',
        WebSocketCtor: Ctor,
        trustDiscoveredHosts: true,
      }),
    )
    await ready(c)
    expect(c.urls?.wsUrl).toBe(`ws://localhost:${room.port}`)
  })

  it('reads a null, empty or same hostname as the given host', async () => {
    for (const hostname of [null, '', '127.0.0.1']) {
      const web = await listen((_req, res) =>
        res.writeHead(200).end(configJson({ hostname, port: 9001 }, { hostname, port: 9002 })),
      )
      await expect(discoverRoom({ host: '127.0.0.1', webPort: web.port })).resolves.toEqual({
        wsUrl: 'ws://127.0.0.1:9001',
        httpUrl: 'http://127.0.0.1:9002',
        ignoredHosts: [],
      })
    }
  })

  it.each([
    [{ hostname: 'a b', port: 9001 }, 'destination', 'named a malformed WebSocket host "a b"'],
    [
      { hostname: 'evil.example/x', port: 9001 },
      'destination',
      'named a malformed WebSocket host "evil.example/x"',
    ],
    [
      { hostname: 'user@evil.example', port: 9001 },
      'destination',
      'named a malformed WebSocket host "user@evil.example"',
    ],
    [{ hostname: null, port: 0 }, 'destination', 'named WebSocket port 0, not one from 1 to 65535'],
    [{ hostname: null, port: 70_000 }, 'invalid', 'returned an invalid document'],
  ])('refuses %j with a DiscoveryError', async (ws, reason, message) => {
    const web = await listen((_req, res) => res.writeHead(200).end(configJson(ws)))
    const error = await discoverRoom({ host: '127.0.0.1', webPort: web.port }).catch(
      (e: unknown) => e,
    )
    expect(isDiscoveryError(error)).toBe(true)
    expect(error).toMatchObject({ reason })
    expect((error as Error).message).toContain(message)
  })

  it('does not follow a discovery redirect to another origin', async () => {
    const elsewhere = await listen((_req, res) =>
      res.writeHead(200).end(configJson({ hostname: null, port: 9001 })),
    )
    let reached = 0
    elsewhere.server.on('request', () => reached++)
    const web = await listen((_req, res) =>
      res.writeHead(302, { Location: `${elsewhere.origin}/public/default/config.json` }).end(),
    )
    const error = await discoverRoom({ host: '127.0.0.1', webPort: web.port }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ code: 'ERR_DISCOVERY', reason: 'redirect' })
    expect(reached).toBe(0)
  })
})

describe('time: every step of an attempt is bounded', () => {
  /**
   * A web server that accepts connections and never answers. `open()` counts the connections that
   * carried a request and are still open (fetch's pool may also open an idle one, closed by itself).
   */
  const silent = async (): Promise<{ port: number; open: () => number }> => {
    const sockets = new Set<NetSocket>()
    const server = createNetServer((socket) => {
      // Read (and drop) what comes, so that the client's end is seen.
      socket.once('data', () => sockets.add(socket))
      socket.resume()
      socket.on('close', () => sockets.delete(socket))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    closers.push(() => {
      for (const s of sockets) s.destroy()
      return new Promise((resolve) => server.close(resolve))
    })
    return { port: (server.address() as AddressInfo).port, open: () => sockets.size }
  }

  it('times out a discovery that never answers (connectTimeoutMs), and the backoff applies', async () => {
    const web = await silent()
    const c = track(
      connectRoom({
        host: '127.0.0.1',
        webPort: web.port,
        WebSocketCtor: Ctor,
        connectTimeoutMs: 300,
        maxRetries: 1,
        backoff: () => 50,
      }),
    )
    const states: ConnectionState[] = []
    c.state$.subscribe({ next: (s) => states.push(s), error: () => undefined })
    const error = await new Promise((resolve) => c.state$.subscribe({ error: resolve }))
    expect(isRetriesExhaustedError(error)).toBe(true)
    expect(error).toMatchObject({
      attempts: 2,
      lastError: {
        code: 'ERR_CONNECTION',
        reason: 'timeout',
        message: 'no connection within connectTimeoutMs (300 ms): discovery did not finish',
      },
    })
    expect(states.map((s) => s.status)).toEqual([
      'connecting',
      'reconnecting',
      'connecting',
      'closed',
    ])
    // Each attempt's discovery request was aborted with it.
    for (let i = 0; i < 50 && web.open() > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20))
    expect(web.open()).toBe(0)
  })

  it('close() aborts a discovery in flight, and a process that calls it exits on its own', async () => {
    const web = await silent()
    const entry = join(__dirname, '..', 'dist', 'node.cjs')
    const script = `const { connectRoom } = require(${JSON.stringify(entry)})
const room = connectRoom({ host: '127.0.0.1', webPort: ${web.port}, pin: '1234' })
room.state$.subscribe({ error: () => undefined })
setTimeout(() => { room.close(); process.stdout.write('closed') }, 300)`
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += String(d)))
    const exited = await new Promise<number | null>((resolve) => {
      const guard = setTimeout(() => {
        child.kill('SIGKILL')
        resolve(-1)
      }, 15_000)
      child.on('exit', (code) => {
        clearTimeout(guard)
        resolve(code)
      })
    })
    expect(out).toBe('closed')
    expect(exited).toBe(0)
    for (let i = 0; i < 50 && web.open() > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20))
    expect(web.open()).toBe(0)
  })
})

describe('size: what the network sends is read only up to its cap', () => {
  it('reads at most 64 KiB of config.json, whether it declares its length or streams', async () => {
    let written = 0
    let ended = false
    const web = await listen((req, res) => {
      if (req.url?.includes('declared') === true) {
        res.writeHead(200, { 'Content-Length': String(200_000_000) })
        res.write('{"config":')
        return
      }
      res.writeHead(200)
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      const pump = (): void => {
        while (!ended && written < 200_000_000) {
          written += chunk.length
          if (!res.write(chunk)) {
            res.once('drain', pump)
            return
          }
        }
      }
      res.on('close', () => (ended = true))
      pump()
    })
    const error = await discoverRoom({ host: '127.0.0.1', webPort: web.port }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({
      code: 'ERR_DISCOVERY',
      reason: 'too-large',
      message: expect.stringContaining('sent a document over 65536 bytes'),
    })
    for (let i = 0; i < 100 && !ended; i++) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(ended).toBe(true)
    // What the kernel's buffers took before the client stopped reading: far from 200 MB.
    expect(written).toBeLessThan(32 * 1024 * 1024)
  })

  it('ends a socket that carries a frame over twice maxFrameBytes (1009, reason too-large), and reconnects', async () => {
    const room = await wsRoom((frame, socket) => {
      if (frame['method'] === 'getAppState')
        socket.send(Buffer.alloc(20 * 1024 * 1024, 0x61), { binary: false })
    })
    const c = track(
      connectRoom({
        wsUrl: room.url,
        WebSocketCtor: Ctor,
        maxFrameBytes: 64 * 1024,
        backoff: () => 10,
      }),
    )
    await ready(c)
    const states: ConnectionState[] = []
    c.state$.subscribe((s) => states.push(s))
    await expect(c.request({ method: 'getAppState' })).rejects.toMatchObject({
      code: 'ERR_CONNECTION',
      reason: 'too-large',
    })
    await first(c.state$, (s) => s.status === 'ready' && s.connects === 2, 'the second connection')
    expect(states.find((s) => s.status === 'reconnecting')).toMatchObject({
      lastError: { reason: 'too-large' },
    })
    expect(room.sockets).toHaveLength(2)
  })

  it('bounds the report of a reply of 76,000 bad items: the items counted, 20 lines, 16 KiB', async () => {
    const items = Array.from({ length: 76_000 }, (_, i) => ({ id: i }))
    let lists = 0
    const room = await wsRoom((frame, socket) => {
      // The resync's read is answered well; the next one with every item wrong.
      if (frame['method'] !== 'getIncomingFilesRequests' || ++lists === 1) return false
      socket.send(
        JSON.stringify({
          method: frame['method'],
          requestId: frame['requestId'],
          result: true,
          incomingFilesRequests: items,
        }),
      )
      return true
    })
    const c = track(connectRoom({ wsUrl: room.url, WebSocketCtor: Ctor }))
    await ready(c)
    const error = await c.request({ method: 'getIncomingFilesRequests' }).catch((e: unknown) => e)
    expect(isReplyDecodeError(error)).toBe(true)
    const failure = (error as { failure: { messages: string[]; frameLength: number } }).failure
    expect(failure.frameLength).toBeGreaterThan(900_000)
    expect(failure.messages.length).toBeLessThanOrEqual(21)
    expect(failure.messages[0]).toBe(
      'getIncomingFilesRequests.incomingFilesRequests: 76000 of 76000 items failed (the first 3 are explained)',
    )
    expect((error as Error).message.length).toBeLessThan(16 * 1024 + 200)
  })
})

describe('redirects: files stay on the room’s HTTP server', () => {
  const setup = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
    const room = await wsRoom()
    let reached = 0
    const elsewhere = await listen((_req, res) => {
      reached++
      res.writeHead(200, { FileId: '7' }).end('stolen')
    })
    const http = await listen((req, res) => handler(req, res))
    const c = track(connectRoom({ wsUrl: room.url, httpUrl: http.origin, WebSocketCtor: Ctor }))
    await ready(c)
    return { c, elsewhere, reached: () => reached, http }
  }

  it('refuses a download or an upload redirected to another origin; the token never goes there', async () => {
    let target = ''
    const { c, elsewhere, reached } = await setup((_req, res) =>
      res.writeHead(302, { Location: target }).end(),
    )
    target = `${elsewhere.origin}/files/1`
    const download = await c.openDownload(1).catch((e: unknown) => e)
    expect(isHttpError(download)).toBe(true)
    expect((download as Error).message).toBe(
      `GET /files/1 was not sent on: the server redirected to another origin (${elsewhere.origin}), which is not followed`,
    )
    target = `${elsewhere.origin}/files/`
    const upload = await c.uploadFile('x', 'x.txt').catch((e: unknown) => e)
    expect(isHttpError(upload)).toBe(true)
    expect(reached()).toBe(0)
  })

  it('follows a redirect on the same origin', async () => {
    const { c } = await setup((req, res) => {
      if (req.url?.startsWith('/files/1?') === true)
        res.writeHead(307, { Location: '/moved/1' }).end()
      else res.writeHead(200).end('content')
    })
    const response = await c.openDownload(1)
    expect(await response.text()).toBe('content')
  })
})

describe('browsers: a failed fetch may be CORS', () => {
  const page = globalThis as { document?: unknown; location?: unknown }
  afterEach(() => {
    delete page.document
    delete page.location
  })

  it('says that the room may not allow the page’s origin', async () => {
    page.document = {}
    page.location = { origin: 'http://page.test:3000' }
    const refused: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'))
    const error = await discoverRoom({ host: '127.0.0.1', webPort: 1, fetch: refused }).catch(
      (e: unknown) => e,
    )
    expect((error as Error).message).toContain(
      "does not allow this page's origin, http://page.test:3000, looks like: CORS",
    )
    const c = track(
      connectRoom({
        wsUrl: 'ws://127.0.0.1:1',
        httpUrl: 'http://127.0.0.1:1',
        WebSocketCtor: Ctor,
        fetch: refused,
        maxRetries: 0,
      }),
    )
    c.state$.subscribe({ error: () => undefined })
    // Uploads wait for a token, which needs the WebSocket: on Node, without a page, no hint.
    delete page.document
    const node = await discoverRoom({ host: '127.0.0.1', webPort: 1, fetch: refused }).catch(
      (e: unknown) => e,
    )
    expect((node as Error).message).not.toContain('CORS')
  })
})

describe('time and listeners on the HTTP server', () => {
  const withHttp = async (
    handler: (req: IncomingMessage, res: ServerResponse) => void,
    extra: Partial<Parameters<typeof connectRoom>[0]> = {},
  ) => {
    const room = await wsRoom()
    const http = await listen(handler)
    const c = track(
      connectRoom({ wsUrl: room.url, httpUrl: http.origin, WebSocketCtor: Ctor, ...extra }),
    )
    await ready(c)
    return c
  }

  it('fails an upload the server never answers after httpTimeoutMs', async () => {
    const c = await withHttp(() => undefined, { httpTimeoutMs: 300 })
    const error = await c.uploadFile('x', 'x.txt').catch((e: unknown) => e)
    expect(isHttpError(error)).toBe(true)
    expect((error as Error).message).toBe(
      'POST /files/ got no answer within httpTimeoutMs (300 ms)',
    )
  })

  it('fails a download whose body stops coming after httpTimeoutMs', async () => {
    const c = await withHttp(
      (_req, res) => res.writeHead(200, { 'Content-Length': '100' }).write('only a part'),
      { httpTimeoutMs: 300 },
    )
    const response = await c.openDownload(1)
    const error = await response.text().catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'ERR_HTTP',
      message: 'GET /files/1 sent no data for httpTimeoutMs (300 ms)',
    })
  })

  it('leaves no listener on the connection once a download body is read or cancelled', async () => {
    const c = await withHttp((_req, res) => res.writeHead(200).end('content'))
    const ended = (c as unknown as { policy: { parts: { ended: AbortController } } }).policy.parts
      .ended.signal
    for (let i = 0; i < 12; i++) expect(await (await c.openDownload(1)).text()).toBe('content')
    await (await c.openDownload(2)).body?.cancel()
    expect(getEventListeners(ended, 'abort')).toHaveLength(0)
  })

  it('times out discoverRoom called alone', async () => {
    const sockets: NetSocket[] = []
    const server = createNetServer((socket) => {
      sockets.push(socket)
      socket.resume()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    closers.push(() => {
      for (const s of sockets) s.destroy()
      return new Promise((resolve) => server.close(resolve))
    })
    const port = (server.address() as AddressInfo).port
    const error = await discoverRoom({ host: '127.0.0.1', webPort: port, timeoutMs: 200 }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({
      code: 'ERR_DISCOVERY',
      reason: 'timeout',
      message: `discovery at http://127.0.0.1:${port}/public/default/config.json did not answer within 200 ms`,
    })
  })
})

describe('what the connection says it uses', () => {
  it('gives urls as the two URLs only, whatever discovery found besides', async () => {
    const room = await wsRoom()
    const web = await listen((_req, res) =>
      res.writeHead(200).end(configJson({ hostname: 'attacker.example', port: room.port })),
    )
    const c = track(connectRoom({ host: '127.0.0.1', webPort: web.port, WebSocketCtor: Ctor }))
    await ready(c)
    expect(c.urls).toEqual({
      wsUrl: `ws://127.0.0.1:${room.port}`,
      httpUrl: 'http://127.0.0.1:8766',
    })
  })
})

describe('flapping and waiting, against the simulator on real sockets', () => {
  it('keeps the backoff growing for a room that drops every session right after it is ready', async () => {
    const sim = await startRoomSimulator({ timeScale: 0 })
    closers.push(() => sim.close())
    // Dropped after the three resync replies: each session reaches ready, then loses its socket.
    sim.injectFault({ type: 'dropAfterAuth', afterMessages: 3 })
    const c = track(
      connectRoom({
        wsUrl: sim.urls.ws,
        httpUrl: sim.urls.http,
        WebSocketCtor: Ctor,
        backoff: exponentialBackoff({ initialDelayMs: 20, maxDelayMs: 10_000, jitter: 0 }),
        maxRetries: 4,
      }),
    )
    const states: ConnectionState[] = []
    c.state$.subscribe({ next: (s) => states.push(s), error: () => undefined })
    const error = await new Promise((resolve) => c.state$.subscribe({ error: resolve }))
    expect(isRetriesExhaustedError(error)).toBe(true)
    expect(states.filter((s) => s.status === 'ready').length).toBeGreaterThanOrEqual(4)
    // Without minUptimeMs every delay would be the first one, 20 ms, for ever.
    expect(states.flatMap((s) => (s.status === 'reconnecting' ? [s.delayMs] : []))).toEqual([
      20, 40, 80, 160,
    ])
  })

  it('lets at most maxQueuedRequests wait while the room cannot be reached', async () => {
    const refused = await listen(() => undefined)
    const port = refused.port
    await new Promise((resolve) => refused.server.close(resolve))
    const c = track(
      connectRoom({
        wsUrl: `ws://127.0.0.1:${port}`,
        WebSocketCtor: Ctor,
        maxQueuedRequests: 2,
        backoff: () => 60_000,
      }),
    )
    c.state$.subscribe({ error: () => undefined })
    const waiting = [c.request({ method: 'getAppState' }), c.request({ method: 'getAppState' })]
    for (const w of waiting) w.catch(() => undefined)
    const third = await c.request({ method: 'getAppState' }).catch((e: unknown) => e)
    expect(third).toMatchObject({ code: 'ERR_QUEUE_FULL', maxQueuedRequests: 2 })
    await first(c.state$, (s) => s.status === 'reconnecting', 'the refused attempt')
    c.close()
    for (const w of waiting) await expect(w).rejects.toMatchObject({ code: 'ERR_CLOSED' })
  })
})
