import {
  type RoomConnection,
  type WebSocketConstructor,
  ConfigurationError,
  HANDSHAKE_DEFAULTS,
  HandshakeLimiter,
  connectRoom,
  exponentialBackoff,
  isConnectionError,
} from '../src/index'
import { FakeRoom, type FakeSocket } from './fakeRoom'

describe('HandshakeLimiter', () => {
  it('starts at most maxInFlight at once, the rest in order as slots free, and skips withdrawn ones', () => {
    const limiter = new HandshakeLimiter({ maxInFlight: 2 })
    const started: string[] = []
    const release = ['a', 'b', 'c', 'd'].map((name) => limiter.acquire(() => started.push(name)))
    expect(started).toEqual(['a', 'b'])
    expect([limiter.inFlight, limiter.waiting]).toEqual([2, 2])
    release[2]?.() // c withdraws while it waits
    release[0]?.()
    expect(started).toEqual(['a', 'b', 'd'])
    release[0]?.() // a second release gives nothing back twice
    expect([limiter.inFlight, limiter.waiting]).toEqual([2, 0])
    release[1]?.()
    release[3]?.()
    expect(limiter.inFlight).toBe(0)
  })

  it('frees a slot released from inside a start without starting attempts out of order', () => {
    const limiter = new HandshakeLimiter({ maxInFlight: 1 })
    const started: string[] = []
    const release: Array<() => void> = []
    release.push(limiter.acquire(() => started.push('a')))
    release.push(
      limiter.acquire(() => {
        started.push('b')
        release[1]?.() // over at once (a session closed by its subscriber)
      }),
    )
    release.push(limiter.acquire(() => started.push('c')))
    release[0]?.()
    expect(started).toEqual(['a', 'b', 'c'])
    expect(limiter.inFlight).toBe(1)
  })

  it('is shared by the whole process unless given, 256 in flight, and refuses a bad limit', () => {
    expect(HandshakeLimiter.shared()).toBe(HandshakeLimiter.shared())
    expect(HandshakeLimiter.shared().maxInFlight).toBe(HANDSHAKE_DEFAULTS.maxInFlight)
    expect(HANDSHAKE_DEFAULTS.maxInFlight).toBe(256)
    expect(() => new HandshakeLimiter({ maxInFlight: 0 })).toThrow(
      'maxInFlight must be an integer of at least 1, or Infinity, not 0',
    )
    expect(() =>
      connectRoom({
        wsUrl: 'ws://room.test:8765',
        handshakeLimiter: { maxInFlight: 3 } as unknown as HandshakeLimiter,
      }),
    ).toThrow(ConfigurationError)
  })
})

/**
 * A room server that opens one socket at a time, `msPerHandshake` each, in the order they were
 * asked for, including sockets their client has given up on (as a real server that accepted the
 * connection does): the load that makes a herd of attempts time out together.
 */
const slowServer = (room: FakeRoom, msPerHandshake: number): WebSocketConstructor => {
  let freeAt = 0
  room.openAfterMs = Number.POSITIVE_INFINITY
  const Open = room.Ctor as unknown as new (url: string) => FakeSocket
  return class {
    constructor(url: string) {
      const socket = new Open(url)
      freeAt = Math.max(freeAt, room.scheduler.now()) + msPerHandshake
      socket.later(freeAt - room.scheduler.now(), () => {
        if (!socket.closed) socket.onopen?.({})
      })
      return socket
    }
  } as unknown as WebSocketConstructor
}

interface Herd {
  /** From the start (or the drop) to the last connection ready. */
  readyAtMs: number | undefined
  ready: number
  /** Attempts that ended in a `connectTimeoutMs` timeout. */
  timeouts: number
  socketsOpened: number
}

/**
 * `rooms` connections started together against one slow server, in virtual time; with `drop`,
 * once all are ready the server drops every socket at once and the figures are of the reconnect.
 */
const herd = (rooms: number, handshakeLimiter: HandshakeLimiter, drop = false): Herd => {
  const room = new FakeRoom()
  const WebSocketCtor = slowServer(room, 25)
  const connections: RoomConnection[] = []
  let ready = 0
  let timeouts = 0
  let readyAtMs: number | undefined
  let since = 0
  for (let i = 0; i < rooms; i++) {
    const connection = connectRoom({
      wsUrl: 'ws://room.test:8765',
      WebSocketCtor,
      scheduler: room.scheduler,
      keepAliveMs: 0,
      backoff: exponentialBackoff({ initialDelayMs: 500, jitter: 0 }),
      handshakeLimiter,
    })
    connections.push(connection)
    let wasReady = false
    connection.state$.subscribe((state) => {
      if (state.status === 'ready' && !wasReady) {
        wasReady = true
        if (++ready === rooms) readyAtMs = room.scheduler.now() - since
      }
      if (state.status === 'reconnecting') {
        wasReady = false
        const error = state.lastError
        if (isConnectionError(error) && error.reason === 'timeout') timeouts++
      }
    })
  }
  room.advance(60_000)
  let socketsOpened = room.sockets.length
  if (drop && ready === rooms) {
    ;[ready, timeouts, readyAtMs, since] = [0, 0, undefined, room.scheduler.now()]
    for (const socket of [...room.sockets]) socket.drop()
    room.advance(60_000)
    socketsOpened = room.sockets.length - socketsOpened
  }
  for (const connection of connections) connection.close()
  return { readyAtMs, ready, timeouts, socketsOpened }
}

describe('a herd of connections against a slow server', () => {
  it('reaches ready in a time that grows with its size, none abandoned, with the default limit', () => {
    // 1,000 handshakes of 25 ms each, one at a time: 25 s of server work. 256 in flight wait at
    // most 6.4 s each, well within connectTimeoutMs (10 s).
    const limited = herd(1_000, new HandshakeLimiter())
    expect(limited).toEqual({ readyAtMs: 25_000, ready: 1_000, timeouts: 0, socketsOpened: 1_000 })
  })

  it('reconnects a herd dropped at once the same way', () => {
    // The backoff's first delay (500 ms, no jitter here) brings every attempt back together.
    const again = herd(1_000, new HandshakeLimiter(), true)
    expect(again).toEqual({ readyAtMs: 25_500, ready: 1_000, timeouts: 0, socketsOpened: 1_000 })
  })

  it('collapses without a limit: attempts time out together and retry into the same queue', () => {
    const unlimited = herd(1_000, new HandshakeLimiter({ maxInFlight: Number.POSITIVE_INFINITY }))
    expect(unlimited.timeouts).toBeGreaterThan(500)
    expect(unlimited.ready).toBeLessThan(1_000)
    expect(unlimited.socketsOpened).toBeGreaterThan(1_500)
  })
})

describe('HandshakeLimiter on real sockets', () => {
  it('keeps at most maxInFlight handshakes open at a slow room, and brings every connection to ready', async () => {
    const { WebSocket, WebSocketServer } = await import('ws')
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
    // Sockets opened and not yet through the resync: what the limit bounds, as the room sees it.
    let handshaking = 0
    let most = 0
    wss.on('connection', (socket) => {
      handshaking++
      most = Math.max(most, handshaking)
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as Record<string, unknown>
        const fields: Record<string, unknown> =
          frame['method'] === 'auth'
            ? { token: 'session-token-0123', tokenForHttpServer: 'http-token-0123' }
            : frame['method'] === 'getIncomingFilesRequests'
              ? { incomingFilesRequests: [] }
              : frame['method'] === 'getOutgoingFilesRequests'
                ? { outgoingFilesRequests: [] }
                : frame['method'] === 'getFileTransferHistory'
                  ? { filesRequests: [] }
                  : {}
        // A slow room: every reply 30 ms late.
        setTimeout(() => {
          if (frame['method'] === 'getFileTransferHistory') handshaking--
          socket.send(
            JSON.stringify({
              method: frame['method'],
              requestId: frame['requestId'],
              result: true,
              ...fields,
            }),
          )
        }, 30)
      })
    })
    const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`
    const limiter = new HandshakeLimiter({ maxInFlight: 2 })
    const rooms = Array.from({ length: 6 }, () =>
      connectRoom({
        wsUrl: url,
        WebSocketCtor: WebSocket as unknown as WebSocketConstructor,
        keepAliveMs: 0,
        handshakeLimiter: limiter,
      }),
    )
    try {
      const states = await Promise.all(rooms.map((room) => room.ready()))
      expect(states.every((s) => s.status === 'ready')).toBe(true)
      expect(most).toBe(2)
      expect(wss.clients.size).toBe(6)
    } finally {
      await Promise.all(rooms.map((room) => room.close()))
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    }
  })
})
