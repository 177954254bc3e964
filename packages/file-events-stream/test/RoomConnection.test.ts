import { type Server, createServer } from 'node:http'
import fc from 'fast-check'
import type { AddressInfo } from 'node:net'
import { type WebSocket as ServerSocket, WebSocketServer, WebSocket } from 'ws'
import {
  type ConnectionState,
  type RoomConnection,
  type WebSocketConstructor,
  ConfigurationError,
  ConnectionClosedError,
  connectRoom,
  discoverRoom,
  exponentialBackoff,
  isAuthenticationError,
  isCommandFailedError,
  isConnectionError,
  isDiscoveryError,
  isReplyDecodeError,
  isRetriesExhaustedError,
} from '../src/index'
import { first, ready } from './helpers'

type Frame = Record<string, unknown> & { method: string; requestId?: string }
type Handler = (frame: Frame, socket: ServerSocket, server: ScriptedRoom) => void

/** A WebSocket server on port 0 that answers auth and the lists, and lets each test script the rest. */
class ScriptedRoom {
  readonly received: Frame[] = []
  readonly sockets: ServerSocket[] = []
  connections = 0
  handler: Handler = () => undefined
  /** The reply to `auth` (without method and requestId); a successful one by default. */
  authReply: (frame: Frame) => Record<string, unknown> = () => ({
    result: true,
    token: 'session-secret',
    tokenForHttpServer: 'http-secret',
  })
  private constructor(
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {
    wss.on('connection', (socket) => {
      this.connections++
      this.sockets.push(socket)
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as Frame
        this.received.push(frame)
        const reply = (extra: Record<string, unknown>) =>
          socket.send(
            JSON.stringify({
              method: frame.method,
              requestId: frame.requestId ?? '',
              result: true,
              ...extra,
            }),
          )
        if (frame.method === 'auth') reply(this.authReply(frame))
        else if (frame.method === 'getIncomingFilesRequests') reply({ incomingFilesRequests: [] })
        else if (frame.method === 'getOutgoingFilesRequests') reply({ outgoingFilesRequests: [] })
        else if (frame.method === 'getFileTransferHistory') reply({ filesRequests: [] })
        else this.handler(frame, socket, this)
      })
    })
  }

  static async start(): Promise<ScriptedRoom> {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
    return new ScriptedRoom(wss, `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`)
  }

  count(method: string): number {
    return this.received.filter((f) => f.method === method).length
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.terminate()
    return new Promise((resolve) => this.wss.close(() => resolve()))
  }
}

let room: ScriptedRoom
let connection: RoomConnection | undefined

const connect = (extra: Partial<Parameters<typeof connectRoom>[0]> = {}): RoomConnection => {
  connection = connectRoom({
    wsUrl: room.url,
    httpUrl: 'http://127.0.0.1:9',
    WebSocketCtor: WebSocket as unknown as WebSocketConstructor,
    backoff: exponentialBackoff({ initialDelayMs: 5, maxDelayMs: 20 }),
    requestTimeoutMs: 2_000,
    ...extra,
  })
  return connection
}

beforeEach(async () => {
  room = await ScriptedRoom.start()
})
afterEach(async () => {
  connection?.close()
  connection = undefined
  await room.close()
})

const SECRETS = ['pin-8413', 'session-secret', 'http-secret']
const expectNoSecrets = (value: unknown): void => {
  const text = `${String((value as { message?: unknown }).message)} ${JSON.stringify(value)} ${JSON.stringify({ ...(value as object) })}`
  for (const secret of SECRETS) expect(text).not.toContain(secret)
}

describe('RoomConnection secrets in what the room says', () => {
  it('redacts the PIN and the tokens from a failed command’s error', async () => {
    room.handler = (frame, socket) =>
      socket.send(
        JSON.stringify({
          method: frame.method,
          requestId: frame.requestId,
          result: false,
          resultCode: 7,
          error: 'bad credentials pin-8413 for session-secret / http-secret',
        }),
      )
    const c = connect({ pin: 'pin-8413' })
    const shown: unknown[] = []
    c.messages$.subscribe({ next: (m) => shown.push(m), error: () => undefined })
    await ready(c)
    const failed = await c
      .request({ method: 'getFileTransferAvailability' })
      .catch((e: unknown) => e)
    // messages$ shows the refusal as the room sent it (data is never rewritten); only the
    // error meant for people is redacted, and the auth reply's secret fields are masked.
    expect(shown).toContainEqual({
      _tag: 'Message',
      message: expect.objectContaining({
        error: 'bad credentials pin-8413 for session-secret / http-secret',
      }),
    })
    expect(shown).toContainEqual({
      _tag: 'Message',
      message: expect.objectContaining({ method: 'auth', token: '***', tokenForHttpServer: '***' }),
    })
    expect(isCommandFailedError(failed)).toBe(true)
    expect(failed).toMatchObject({
      serverError: 'bad credentials *** for *** / ***',
      message: 'getFileTransferAvailability failed: bad credentials *** for *** / ***',
    })
    expectNoSecrets(failed)
  })

  it('redacts the PIN from an AuthenticationError', async () => {
    room.authReply = (frame) => ({
      result: false,
      resultCode: 3,
      error: `bad credentials ${String(frame.credentials)}`,
    })
    const c = connect({ pin: 'pin-8413' })
    const error = await new Promise((resolve) => c.state$.subscribe({ error: resolve }))
    expect(isAuthenticationError(error)).toBe(true)
    expect(error).toMatchObject({ serverError: 'bad credentials ***', resultCode: 3 })
    expect((error as Error).message).toContain('bad credentials ***')
    expectNoSecrets(error)
  })

  it('redacts tokens from a close reason and from a reply that does not decode', async () => {
    room.handler = (frame, socket) => {
      if (frame.method === 'getFileTransferAvailability') {
        socket.send(
          JSON.stringify({
            method: frame.method,
            requestId: frame.requestId,
            result: true,
            availability: 'session-secret',
          }),
        )
      } else socket.close(4000, 'session-secret revoked')
    }
    const c = connect({ pin: 'pin-8413' })
    await ready(c)
    const bad = await c.request({ method: 'getFileTransferAvailability' }).catch((e: unknown) => e)
    expect(isReplyDecodeError(bad)).toBe(true)
    expectNoSecrets(bad)
    const dropped = await c.acceptFile('x').catch((e: unknown) => e)
    expect(isConnectionError(dropped)).toBe(true)
    expect(dropped).toMatchObject({ closeCode: 4000, closeReason: '*** revoked' })
    expectNoSecrets(dropped)
  })
})

describe('RoomConnection requests', () => {
  it('matches replies by requestId, in any order, and by method when the room leaves it empty', async () => {
    const held: Array<{ frame: Frame; socket: ServerSocket }> = []
    room.handler = (frame, socket) => {
      held.push({ frame, socket })
      if (held.length < 3) return
      // Answer the third request first, then the first two with an empty requestId.
      const [a, b, c] = held as [(typeof held)[0], (typeof held)[0], (typeof held)[0]]
      c.socket.send(
        JSON.stringify({
          method: c.frame.method,
          requestId: c.frame.requestId,
          availability: 1,
          result: true,
        }),
      )
      a.socket.send(
        JSON.stringify({ method: a.frame.method, requestId: '', availability: 2, result: true }),
      )
      b.socket.send(
        JSON.stringify({ method: b.frame.method, requestId: '', availability: 3, result: true }),
      )
    }
    const c = connect()
    await ready(c)
    const replies = await Promise.all([
      c.request({ method: 'getFileTransferAvailability' }),
      c.request({ method: 'getFileTransferAvailability' }),
      c.request({ method: 'getFileTransferAvailability' }),
    ])
    expect(replies.map((r) => r.availability)).toEqual([2, 3, 1])
    const ids = room.received.map((f) => f.requestId)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('fails a request with the room’s error, or with a decode error for a malformed reply', async () => {
    room.handler = (frame, socket) => {
      if (frame.method === 'acceptIncomingFileRequest') {
        socket.send(
          JSON.stringify({
            method: frame.method,
            requestId: frame.requestId,
            result: false,
            error: 'no such request',
          }),
        )
      } else {
        socket.send(
          JSON.stringify({
            method: frame.method,
            requestId: frame.requestId,
            result: true,
            availability: 'lots',
          }),
        )
      }
    }
    const c = connect()
    const failed = await c.acceptFile('nope').catch((e: unknown) => e)
    expect(isCommandFailedError(failed)).toBe(true)
    expect(failed).toMatchObject({
      method: 'acceptIncomingFileRequest',
      serverError: 'no such request',
      message: 'acceptIncomingFileRequest failed: no such request',
    })
    const bad = await c.request({ method: 'getFileTransferAvailability' }).catch((e: unknown) => e)
    expect(isReplyDecodeError(bad)).toBe(true)
    expect(bad).toMatchObject({
      code: 'ERR_REPLY_DECODE',
      method: 'getFileTransferAvailability',
      failure: { reason: 'schema' },
    })
  })

  it('fails in-flight requests on a disconnect, queues new ones, and resyncs after a clean close', async () => {
    let answer = false
    let arrived: () => void = () => undefined
    const held = new Promise<void>((resolve) => (arrived = resolve))
    room.handler = (frame, socket) => {
      if (answer)
        socket.send(
          JSON.stringify({
            method: frame.method,
            requestId: frame.requestId,
            result: true,
            availability: 3,
          }),
        )
      else arrived()
    }
    const c = connect()
    const states: ConnectionState[] = []
    c.state$.subscribe((s) => states.push(s))
    await ready(c)
    const inFlight = c.request({ method: 'getFileTransferAvailability' })
    await held
    // The room closes cleanly: the client still reconnects.
    for (const s of room.sockets) s.close(1000, 'restart')
    const error = await inFlight.catch((e: unknown) => e)
    expect(isConnectionError(error)).toBe(true)
    expect(error).toMatchObject({ closeCode: 1000, closeReason: 'restart' })
    answer = true
    const queued = c.request({ method: 'getFileTransferAvailability' })
    await expect(queued).resolves.toMatchObject({ availability: 3 })
    expect(room.connections).toBe(2)
    expect(room.count('auth')).toBe(2)
    expect(room.count('getIncomingFilesRequests')).toBe(2)
    expect(room.count('getFileTransferHistory')).toBe(2)
    expect(states.map((s) => s.status)).toEqual([
      'connecting',
      'authenticating',
      'ready',
      'reconnecting',
      'connecting',
      'authenticating',
      'ready',
    ])
    expect(states[6]).toMatchObject({ connects: 2 })
  })

  it('replaces a socket that stops answering (half-open) thanks to the keep-alive probe', async () => {
    // The scripted room never answers getFileTransferAvailability: the probe times out. The timeout
    // also bounds auth and the lists, so it is long enough that a test process descheduled between
    // a handshake request and its reply does not see the handshake time out instead of the probe.
    const c = connect({ keepAliveMs: 30, requestTimeoutMs: 1_000 })
    await ready(c)
    const drop = await first(c.state$, (s) => s.status === 'reconnecting', 'the probe to give up')
    expect(drop).toMatchObject({
      lastError: {
        code: 'ERR_CONNECTION',
        cause: { code: 'ERR_REQUEST_TIMEOUT', method: 'getFileTransferAvailability' },
      },
    })
    await ready(c)
    expect(room.connections).toBe(2)
    expect(room.count('getFileTransferAvailability')).toBeGreaterThanOrEqual(1)
  })

  it('sends setUsedApiVersion after auth when asked, and the PIN only inside auth', async () => {
    room.handler = (frame, socket) =>
      socket.send(
        JSON.stringify({ method: frame.method, requestId: frame.requestId, result: true }),
      )
    const c = connect({ apiVersion: '1', pin: '2468' })
    await ready(c)
    expect(room.received.slice(0, 2).map((f) => f.method)).toEqual(['auth', 'setUsedApiVersion'])
    expect(room.received[0]).toMatchObject({ type: 'secured', credentials: '2468' })
    expect(room.received[1]).toMatchObject({ version: '1' })
  })

  it('survives thousands of random and mutated frames, replies with stray ids included', async () => {
    room.handler = (frame, socket) =>
      socket.send(
        JSON.stringify({
          method: frame.method,
          requestId: frame.requestId,
          result: true,
          availability: 3,
        }),
      )
    const c = connect({ maxFrameBytes: 2_000 })
    const states: ConnectionState[] = []
    let streamError: unknown
    c.state$.subscribe({ next: (s) => states.push(s), error: (e: unknown) => (streamError = e) })
    await ready(c)
    const base = [
      '{"method":"event","event":"fileTransferAvailabilityChanged","availability":3}',
      '{"method":"getFileTransferAvailability","requestId":"999","result":true,"availability":1}',
      '{"method":"sendFile","requestId":"","result":false}',
    ]
    const frames = fc.sample(
      fc.oneof(
        fc.string(),
        fc.json(),
        fc.string({ minLength: 2_001, maxLength: 2_100 }),
        fc
          .tuple(fc.constantFrom(...base), fc.nat(), fc.string({ maxLength: 4 }))
          .map(([f, at, x]) => f.slice(0, at % f.length) + x + f.slice(at % f.length)),
      ),
      { numRuns: 3_000, seed: 7 },
    )
    let seen = 0
    const all = new Promise<void>((resolve) =>
      c.messages$.subscribe(() => {
        if (++seen === frames.length) resolve()
      }),
    )
    const socket = room.sockets[0] as ServerSocket
    for (const f of frames) socket.send(f)
    await all
    await expect(c.request({ method: 'getFileTransferAvailability' })).resolves.toMatchObject({
      availability: 3,
    })
    expect(streamError).toBeUndefined()
    expect(states.map((s) => s.status)).toEqual(['connecting', 'authenticating', 'ready'])
  })

  it('names the request sent to the conference from its event when the reply has no id', async () => {
    room.handler = (frame, socket) => {
      socket.send(
        JSON.stringify({ method: frame.method, requestId: frame.requestId, result: true }),
      )
      socket.send(
        JSON.stringify({
          method: 'event',
          event: 'outgoingFileRequestSentToConference',
          fileRequestId: 'conf-req-1',
          fileName: 'a.txt',
          timestamp: 1,
          fileId: 77,
          confId: 'c#vcs',
          fileSize: 3,
        }),
      )
    }
    const c = connect()
    await expect(c.sendUploaded(77, 'conference')).resolves.toBe('conf-req-1')
    expect(room.received.find((f) => f.method === 'sendFileToConference')).toMatchObject({
      fileId: 77,
    })
  })

  it('sends sendFile with the documented callId and the peerId real clients use', async () => {
    room.handler = (frame, socket) =>
      socket.send(
        JSON.stringify({
          method: frame.method,
          requestId: frame.requestId,
          result: true,
          sentFileRequestId: 'out-1',
        }),
      )
    const c = connect()
    await expect(c.sendUploaded(5, 'bob@server')).resolves.toBe('out-1')
    expect(room.received.find((f) => f.method === 'sendFile')).toMatchObject({
      fileId: 5,
      peerId: 'bob@server',
      callId: 'bob@server',
    })
  })

  it('ends the connection when the room refuses the API version, without retrying', async () => {
    room.handler = (frame, socket) =>
      socket.send(
        JSON.stringify({
          method: frame.method,
          requestId: frame.requestId,
          result: false,
          error: 'unsupported version',
        }),
      )
    const c = connect({ apiVersion: '9' })
    const error = await new Promise((resolve) => c.state$.subscribe({ error: resolve }))
    expect(isCommandFailedError(error)).toBe(true)
    expect(error).toMatchObject({ method: 'setUsedApiVersion', serverError: 'unsupported version' })
    expect(room.connections).toBe(1)
  })

  it('rejects requests after close, and completes its streams', async () => {
    const c = connect()
    await ready(c)
    const done = new Promise<void>((resolve) => c.events$.subscribe({ complete: resolve }))
    c.close()
    await done
    await expect(c.request({ method: 'getFileTransferAvailability' })).rejects.toBeInstanceOf(
      ConnectionClosedError,
    )
  })
})

describe('RoomConnection reconnecting', () => {
  // The backoff delays and maxRetries are tested in virtual time, in reconnectPolicy.test.ts.
  it('retries discovery when the fallback is off, and reports why it gave up', async () => {
    const c = connectRoom({
      host: '127.0.0.1',
      webPort: 1,
      discoveryFallback: false,
      maxRetries: 1,
      backoff: () => 1,
      WebSocketCtor: WebSocket as unknown as WebSocketConstructor,
    })
    const error = await new Promise((resolve) => c.state$.subscribe({ error: resolve }))
    expect(isRetriesExhaustedError(error)).toBe(true)
    expect(error).toMatchObject({
      attempts: 2,
      message: 'gave up after 2 failed connection attempts',
    })
    expect((error as { lastError: unknown }).lastError).toMatchObject({ code: 'ERR_DISCOVERY' })
  })

  it('asks for a WebSocket class when none is available', async () => {
    const c = connectRoom({ wsUrl: 'ws://127.0.0.1:1' })
    const error = await new Promise((resolve) => c.state$.subscribe({ error: resolve }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(String((error as Error).message)).toContain('ws')
    // A request made then fails at once with the same error, instead of waiting for its timeout.
    const late = connectRoom({ wsUrl: 'ws://127.0.0.1:1', requestTimeoutMs: 60_000 })
    await expect(late.request({ method: 'getAppState' })).rejects.toBeInstanceOf(ConfigurationError)
    await expect(late.request({ method: 'getAppState' })).rejects.toBeInstanceOf(ConfigurationError)
    expect(() => connectRoom({})).toThrow(ConfigurationError)
  })
})

describe('discovery', () => {
  let server: Server
  let port = 0
  let body = ''
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/public/default/config.json')
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(body)
      else res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise((resolve) => server.close(resolve)))

  it('reads the ports from config.json', async () => {
    body = JSON.stringify({
      config: { websocket: { hostname: null, port: 8765 }, http: { hostname: null, port: 8766 } },
    })
    await expect(discoverRoom({ host: '127.0.0.1', webPort: port })).resolves.toEqual({
      wsUrl: 'ws://127.0.0.1:8765',
      httpUrl: 'http://127.0.0.1:8766',
      ignoredHosts: [],
    })
  })

  it('fails with DiscoveryError on a bad document or no server', async () => {
    body = '{"config":{}}'
    const bad = await discoverRoom({ host: '127.0.0.1', webPort: port }).catch((e: unknown) => e)
    expect(isDiscoveryError(bad)).toBe(true)
    expect(String((bad as Error).message)).toContain('invalid document')
    const none = await discoverRoom({ host: '127.0.0.1', webPort: 1 }).catch((e: unknown) => e)
    expect(none).toMatchObject({
      code: 'ERR_DISCOVERY',
      url: 'http://127.0.0.1:1/public/default/config.json',
    })
  })
})

describe('endpoint options', () => {
  it.each([
    [
      { host: 'http://127.0.0.1' },
      '`host` takes a host name or an IP address (such as 192.168.1.20), not "http://127.0.0.1": for URLs, use `wsUrl` and `httpUrl`',
    ],
    [
      { host: '127.0.0.1:8080' },
      '`host` takes no port: pass host "127.0.0.1", and the web port as `webPort`',
    ],
    [
      { host: '[::1]:8080' },
      '`host` takes no port: pass host "[::1]", and the web port as `webPort`',
    ],
    [
      { host: 'room.local:' },
      '`host` takes no port: pass host "room.local", and the web port as `webPort`',
    ],
    [
      { host: ':80' },
      '`host` takes a host name or an IP address (such as 192.168.1.20), not ":80"',
    ],
    [
      { host: '[::1' },
      '`host` takes a host name or an IP address (such as 192.168.1.20), not "[::1"',
    ],
    [
      { host: 'admin:s3cret@room.local' },
      '`host` takes a host name or an IP address (such as 192.168.1.20), not "***@room.local"',
    ],
    [
      { host: 'http://admin:s3cret@room.local' },
      '`host` takes a host name or an IP address (such as 192.168.1.20), not "http://***@room.local": for URLs, use `wsUrl` and `httpUrl`',
    ],
    [
      { host: 'room.local', pin: '' },
      '`pin` is empty: give the PIN, or leave `pin` out for a room without one',
    ],
    [
      { host: 'room 4821', pin: '4821' },
      '`host` takes a host name or an IP address (such as 192.168.1.20), not "room ***"',
    ],
    [
      { host: ' room.local' },
      '`host` takes a host name or an IP address (such as 192.168.1.20), not " room.local"',
    ],
    [{ host: '' }, '`host` takes a host name or an IP address (such as 192.168.1.20), not ""'],
    [
      { host: 'room.local', webPort: 70_000 },
      '`webPort` must be an integer from 1 to 65535, not 70000',
    ],
    [{ wsUrl: 'not a url' }, '`wsUrl` is not a valid URL: "not a url"'],
    [{ wsUrl: 'http://room.local:8765' }, '`wsUrl` must start with ws:// or wss://, not http://'],
    [
      { wsUrl: 'ws://room.local:8765', httpUrl: 'http://bad host:1/?token=t0k3n' },
      '`httpUrl` is not a valid URL: "http://bad host:1/?token=***"',
    ],
    [
      { wsUrl: 'ws://room.local:8765', httpUrl: 'ws://room.local:8766' },
      '`httpUrl` must start with http:// or https://, not ws://',
    ],
    [
      { host: 'room.local', keepaliveMs: 5 },
      'connectRoom has no option "keepaliveMs": did you mean `keepAliveMs`?',
    ],
    [{ host: 'room.local', timeout: 5 }, 'connectRoom has no option "timeout"'],
  ])('refuses %j at once, with a ConfigurationError saying what to pass', (options, message) => {
    expect(() =>
      connectRoom({ ...options, WebSocketCtor: WebSocket as unknown as WebSocketConstructor }),
    ).toThrow(new ConfigurationError({ detail: message }))
  })

  it.each([
    { host: '::1' },
    { host: '[::1]' },
    { host: 'Room.Local.' },
    { host: 'fe80::1' },
    { host: 'bücher.example' },
    { host: 'room.local', webPort: 8080 },
    { wsUrl: 'wss://[::1]:8765', httpUrl: 'https://[::1]:8766' },
  ])('accepts %j', (options) => {
    connectRoom({ ...options, WebSocketCtor: WebSocket as unknown as WebSocketConstructor }).close()
  })

  it('derives the HTTP server URL from wsUrl: same host, port 8766, at the root whatever the path', async () => {
    const c = connectRoom({
      wsUrl: `${room.url}/api/ws?client=1`,
      WebSocketCtor: WebSocket as unknown as WebSocketConstructor,
      requestTimeoutMs: 2_000,
    })
    connection = c
    await ready(c)
    expect(c.urls).toEqual({
      wsUrl: `${room.url}/api/ws?client=1`,
      httpUrl: 'http://127.0.0.1:8766',
    })
  })

  it('says that discovery failed when the default port it fell back to is refused too', async () => {
    // A web port where nothing listens: discovery fails, then the default WebSocket port is tried.
    const probe = createServer().listen(0, '127.0.0.1')
    await new Promise((resolve) => probe.once('listening', resolve))
    const webPort = (probe.address() as AddressInfo).port
    await new Promise((resolve) => probe.close(resolve))
    const c = connectRoom({
      host: '127.0.0.1',
      webPort,
      maxRetries: 0,
      WebSocketCtor: WebSocket as unknown as WebSocketConstructor,
    })
    const error = await new Promise((resolve) => c.state$.subscribe({ error: resolve }))
    expect(isRetriesExhaustedError(error)).toBe(true)
    const last = (error as { lastError: Error }).lastError.message
    expect(last).toContain('the default WebSocket port was tried because discovery at')
    expect(last).toContain(
      `127.0.0.1:${webPort}/public/default/config.json failed: fetch failed: connect ECONNREFUSED`,
    )
    expect(last).toContain('check `host` and `webPort`')
  })
})
