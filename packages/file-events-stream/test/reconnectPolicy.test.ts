import {
  type ConnectionLogEntry,
  type ConnectionState,
  type ConnectRoomOptions,
  type RoomConnection,
  ConnectionClosedError,
  connectRoom,
  exponentialBackoff,
  isConnectionError,
  isRequestQueueFullError,
  isRetriesExhaustedError,
} from '../src/index'
import { FakeRoom } from './fakeRoom'

/** Everything here runs in virtual time: the scheduler drives timers, the fake sockets, the handshake. */
let room: FakeRoom
let connection: RoomConnection | undefined

const connect = (
  extra: Partial<ConnectRoomOptions> = {},
): { c: RoomConnection; states: ConnectionState[]; failure: () => unknown } => {
  const c = connectRoom({
    wsUrl: 'ws://room.test:8765',
    WebSocketCtor: room.Ctor,
    scheduler: room.scheduler,
    backoff: exponentialBackoff({ initialDelayMs: 100, maxDelayMs: 10_000, jitter: 0 }),
    keepAliveMs: 0,
    ...extra,
  })
  connection = c
  const states: ConnectionState[] = []
  let failure: unknown
  c.state$.subscribe({ next: (s) => states.push(s), error: (e: unknown) => (failure = e) })
  return { c, states, failure: () => failure }
}

const delays = (states: ConnectionState[]): number[] =>
  states.flatMap((s) => (s.status === 'reconnecting' ? [s.delayMs] : []))

beforeEach(() => {
  room = new FakeRoom()
})
afterEach(() => {
  connection?.close()
  connection = undefined
})

describe('the reconnect policy, in virtual time', () => {
  it('waits the backoff delays between attempts and gives up after maxRetries', () => {
    room.refuse = true
    const { states, failure } = connect({
      backoff: exponentialBackoff({ initialDelayMs: 100, maxDelayMs: 300, jitter: 0 }),
      maxRetries: 3,
    })
    room.advance(10_000)
    // Each refused socket fails 1 ms after it is made.
    expect(room.sockets.length).toBe(4)
    expect(delays(states)).toEqual([100, 200, 300])
    expect(isRetriesExhaustedError(failure())).toBe(true)
    expect(failure()).toMatchObject({
      attempts: 4,
      lastError: { code: 'ERR_CONNECTION', reason: 'open-failed' },
    })
    expect((failure() as Error).message).toBe('gave up after 4 failed connection attempts')
    expect(states[states.length - 1]).toMatchObject({
      status: 'closed',
      reason: 'retries-exhausted',
    })
  })

  it('keeps the backoff growing for a room that drops every session right after auth (flapping)', () => {
    room.afterResync = (socket) => socket.later(10, () => socket.drop(1011, 'going away'))
    const { states, failure } = connect({ maxRetries: 6 })
    room.advance(600_000)
    // Without minUptimeMs the backoff would start over after every ready: 100, 100, 100, ...
    expect(delays(states)).toEqual([100, 200, 400, 800, 1600, 3200])
    expect(states.filter((s) => s.status === 'ready')).toHaveLength(7)
    expect(isRetriesExhaustedError(failure())).toBe(true)
    expect(failure()).toMatchObject({
      attempts: 7,
      lastError: { reason: 'closed', closeCode: 1011 },
    })
  })

  it('starts the backoff over once a session stayed ready minUptimeMs', () => {
    let drops = 0
    room.afterResync = (socket) => {
      drops++
      // The third session stays up 6 s, past minUptimeMs (5 s); the others drop at once.
      socket.later(drops === 3 ? 6_000 : 10, () => socket.drop())
    }
    const { states } = connect({ maxRetries: 10 })
    room.advance(3_000)
    expect(delays(states)).toEqual([100, 200])
    room.advance(10_000)
    // The session after the long one flaps again: its backoff starts from the first delay.
    expect(delays(states).slice(0, 5)).toEqual([100, 200, 100, 200, 400])
    connection?.close()
  })

  it('fails an attempt whose socket never opens after connectTimeoutMs, then backs off', () => {
    room.openAfterMs = Number.POSITIVE_INFINITY
    const { states } = connect({ connectTimeoutMs: 2_000, maxRetries: 1 })
    room.advance(1_999)
    expect(states.map((s) => s.status)).toEqual(['connecting'])
    room.advance(1)
    const reconnecting = states[1]
    expect(reconnecting).toMatchObject({ status: 'reconnecting', attempt: 1, delayMs: 100 })
    const lastError = (reconnecting as { lastError: unknown }).lastError
    expect(isConnectionError(lastError)).toBe(true)
    expect(lastError).toMatchObject({
      reason: 'timeout',
      message: 'no connection within connectTimeoutMs (2000 ms): opening the socket did not finish',
    })
    expect(room.sockets[0]?.closed).toBe(true)
  })

  it('bounds auth by connectTimeoutMs too: a room that never answers it is left', () => {
    room.auth = () => undefined
    const { states } = connect({ connectTimeoutMs: 3_000, requestTimeoutMs: 60_000, maxRetries: 0 })
    room.advance(3_000)
    expect(states.map((s) => s.status)).toEqual(['connecting', 'authenticating', 'closed'])
    expect((states[2] as { error: { lastError: unknown } }).error.lastError).toMatchObject({
      reason: 'timeout',
      message: expect.stringContaining('auth did not finish'),
    })
  })
})

describe('connection features, in virtual time', () => {
  it('asks a pin function on every attempt and sends what it gives', async () => {
    const pins = ['1111', '2222']
    let asked = 0
    room.afterResync = (socket) => {
      if (room.sockets.length === 1) socket.later(10, () => socket.drop())
    }
    const { c } = connect({ pin: () => pins[asked++] })
    room.advance(1_000)
    const auths = room.sockets.map((s) => s.sent.find((f) => f.method === 'auth'))
    expect(auths.map((a) => a?.['credentials'])).toEqual(['1111', '2222'])
    expect(asked).toBe(2)
    c.close()
  })

  it('takes a pin function that resolves later', async () => {
    const { states } = connect({ pin: () => Promise.resolve('3333') })
    room.advance(1)
    await Promise.resolve()
    room.advance(10)
    expect(room.sockets[0]?.sent[0]).toMatchObject({
      method: 'auth',
      type: 'secured',
      credentials: '3333',
    })
    expect(states.map((s) => s.status)).toContain('ready')
  })

  it('fails the attempt, not the connection, when the pin function throws', () => {
    let calls = 0
    const { states } = connect({
      pin: () => {
        calls++
        if (calls === 1) throw new Error('vault unreachable')
        return '4444'
      },
    })
    room.advance(1_000)
    expect(states[2]).toMatchObject({
      status: 'reconnecting',
      lastError: { reason: 'credentials', message: 'the `pin` function failed: vault unreachable' },
    })
    expect(states.map((s) => s.status)).toContain('ready')
  })

  it('reconnect() drops the socket and connects again at once, failing what was in flight', async () => {
    room.other = () => undefined
    const { c, states } = connect()
    room.advance(100)
    const inFlight = c.request({ method: 'getAppState' })
    room.advance(1)
    c.reconnect()
    await expect(inFlight).rejects.toMatchObject({ code: 'ERR_CONNECTION', reason: 'reconnect' })
    room.advance(100)
    expect(room.sockets).toHaveLength(2)
    expect(room.sockets[0]?.closed).toBe(true)
    expect(states.filter((s) => s.status === 'ready')).toHaveLength(2)
    expect(delays(states)).toEqual([])
  })

  it('aborts a request with its signal: it rejects with the reason, and a late reply is ignored', async () => {
    room.other = (frame, socket) => {
      socket.later(500, () =>
        socket.deliver({
          method: frame.method,
          requestId: frame.requestId,
          result: true,
          appState: 3,
        }),
      )
      return undefined
    }
    const { c } = connect()
    room.advance(100)
    const controller = new AbortController()
    const aborted = c.request({ method: 'getAppState' }, { signal: controller.signal })
    const other = c.request({ method: 'getAppState' })
    controller.abort(new Error('not needed any more'))
    await expect(aborted).rejects.toThrow('not needed any more')
    room.advance(1_000)
    await expect(other).resolves.toMatchObject({ appState: 3 })
    // An already aborted signal: nothing is sent.
    const sent = room.sockets[0]?.sent.length
    await expect(
      c.request({ method: 'getAppState' }, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' })
    expect(room.sockets[0]?.sent.length).toBe(sent)
  })

  it('queues at most maxQueuedRequests while disconnected, and sends them in order once ready', async () => {
    room.openAfterMs = 1_000
    const { c } = connect({ maxQueuedRequests: 2 })
    const first = c.request({ method: 'getAppState' })
    const second = c.request({ method: 'getFileTransferAvailability' })
    const third = c.request({ method: 'getAppState' })
    expect(isRequestQueueFullError(await third.catch((e: unknown) => e))).toBe(true)
    await expect(third).rejects.toMatchObject({
      maxQueuedRequests: 2,
      message:
        'getAppState was not queued: 2 requests already wait for the connection (maxQueuedRequests)',
    })
    room.advance(2_000)
    await expect(first).resolves.toMatchObject({ result: true })
    await expect(second).resolves.toMatchObject({ result: true })
    const methods = (room.sockets[0]?.sent ?? [])
      .map((f) => f.method)
      .filter((m) => m.startsWith('get') && !m.includes('File') && !m.includes('Files'))
    expect(methods).toEqual(['getAppState'])
    c.close()
    await expect(c.request({ method: 'getAppState' })).rejects.toBeInstanceOf(ConnectionClosedError)
  })

  it('tells a logger what happens, and never a secret', () => {
    const entries: ConnectionLogEntry[] = []
    room.auth = (frame) => ({
      result: true,
      token: 'session-secret',
      tokenForHttpServer: 'http-secret',
      echo: frame['credentials'],
    })
    room.afterResync = (socket) => {
      if (room.sockets.length === 1)
        socket.later(10, () => socket.drop(4000, 'bye pin-77 session-secret'))
    }
    const { c } = connect({ pin: 'pin-77', logger: (entry) => entries.push(entry) })
    room.advance(1_000)
    c.close()
    expect(entries.map((e) => e.event)).toEqual([
      'connecting',
      'open',
      'authenticated',
      'ready',
      'dropped',
      'reconnect-scheduled',
      'connecting',
      'open',
      'authenticated',
      'ready',
      'closed',
    ])
    const text = JSON.stringify(entries)
    for (const secret of ['pin-77', 'session-secret', 'http-secret'])
      expect(text).not.toContain(secret)
    expect(text).toContain('bye *** ***')
  })
})

describe('subscribers that close or reconnect from inside a state', () => {
  it('close() on connecting leaves no socket and no timer behind', () => {
    room.refuse = true
    const { c } = connect({ maxRetries: 5 })
    c.state$.subscribe((s) => {
      if (s.status === 'connecting' && s.attempt === 1) c.close()
    })
    room.advance(10_000)
    // The second attempt's socket was never made, and nothing is left to run.
    expect(room.sockets).toHaveLength(1)
    expect(room.scheduler.actions).toHaveLength(0)
  })

  it('close() on ready leaves no minUptimeMs timer behind', () => {
    const { c } = connect({ minUptimeMs: 60_000 })
    c.state$.subscribe((s) => {
      if (s.status === 'ready') c.close()
    })
    room.advance(100)
    expect(room.scheduler.actions).toHaveLength(0)
  })

  it('reconnect() on ready gives later requests the new socket, not the stopped one', async () => {
    const { c } = connect()
    let once = false
    c.state$.subscribe((s) => {
      if (s.status === 'ready' && !once) {
        once = true
        c.reconnect()
      }
    })
    room.advance(1)
    const answered = c.request({ method: 'getAppState' })
    room.advance(100)
    await expect(answered).resolves.toMatchObject({ appState: 3 })
    expect(room.sockets).toHaveLength(2)
    expect(room.sockets[1]?.sent.map((f) => f.method)).toContain('getAppState')
  })

  it('close() on reconnecting leaves no reconnect timer behind', () => {
    room.refuse = true
    const { c } = connect({ backoff: () => 30_000 })
    c.state$.subscribe((s) => {
      if (s.status === 'reconnecting') c.close()
    })
    room.advance(10)
    expect(room.scheduler.actions).toHaveLength(0)
  })
})

describe('sending to the conference', () => {
  it('waits for the event that names the request at most requestTimeoutMs, and not past close()', async () => {
    room.other = (frame) =>
      frame.method === 'sendFileToConference' ? { result: true } : { result: true }
    const { c } = connect({ requestTimeoutMs: 5_000 })
    room.advance(10)
    const late = c.sendUploaded(5, 'conference')
    room.advance(5_000)
    await expect(late).rejects.toMatchObject({
      code: 'ERR_REQUEST_TIMEOUT',
      method: 'outgoingFileRequestSentToConference',
      timeoutMs: 5_000,
    })
    const closed = c.sendUploaded(6, 'conference')
    room.advance(10)
    c.close()
    await expect(closed).rejects.toBeInstanceOf(ConnectionClosedError)
  })
})
