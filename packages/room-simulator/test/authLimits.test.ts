import { execFile, execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { WebSocket } from 'ws'
import { type RoomSimulator, startRoomSimulator } from '../src'
import { TestClient } from './helpers/TestClient'

const PIN = '246810'
const THROTTLED = 'too many authentication attempts from this address: try again in a second'

/** Sends every frame at once and resolves with the `auth` replies to them (or fewer, if closed). */
const burst = async (c: TestClient, pins: ReadonlyArray<string>) => {
  const from = c.messages.length
  pins.forEach((pin, i) =>
    c.send({ method: 'auth', type: 'secured', credentials: pin, requestId: `a${i}` }),
  )
  await Promise.race([c.waitForCount(from + pins.length, 20_000), c.closed])
  return c.messages.slice(from).map((m) => m as unknown as { result: boolean; error?: string })
}

/** The outcome of a WebSocket handshake with these headers: `open`, or the HTTP status refusing it. */
const handshake = (url: string, headers: Record<string, string>): Promise<'open' | number> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => {
      ws.close()
      resolve('open')
    })
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error)
    })
  })

describe('PIN guessing', () => {
  let room: RoomSimulator
  const logs: string[] = []
  afterEach(async () => {
    await room.close()
    logs.length = 0
  })

  it('closes a connection with 1008 after 5 wrong PINs, answering each, and checks nothing it sends after', async () => {
    room = await startRoomSimulator({ timeScale: 0, pin: PIN, log: (l) => logs.push(l) })
    const c = await TestClient.connect(room.urls.ws)
    const pins = Array.from({ length: 200 }, (_, i) => String(100_000 + i))
    const replies = await burst(c, [...pins, PIN])
    expect((await c.closed).code).toBe(1008)
    expect(replies).toHaveLength(5)
    for (const reply of replies)
      expect(reply).toMatchObject({ result: false, error: 'Wrong credentials' })
    expect(logs).toContain(
      'client 1: disconnected with code 1008: 5 failed authentication attempts',
    )
    expect(logs.join('\n')).not.toContain(PIN)
  })

  it('checks at most authAttemptsPerSecond attempts a second from one address, across its connections, the right PIN included', async () => {
    room = await startRoomSimulator({ timeScale: 0, pin: PIN, maxAuthFailures: 1000 })
    const c = await TestClient.connect(room.urls.ws)
    const started = Date.now()
    const replies = await burst(
      c,
      Array.from({ length: 100 }, (_, i) => String(200_000 + i)),
    )
    const other = await TestClient.connect(room.urls.ws)
    const right = await other.auth(PIN)
    const windows = Math.floor((Date.now() - started) / 1000) + 1
    const checked = replies.filter((r) => r.error === 'Wrong credentials').length
    expect(checked).toBeGreaterThanOrEqual(10)
    expect(checked).toBeLessThanOrEqual(10 * windows)
    expect(replies.filter((r) => r.error === THROTTLED).length).toBe(100 - checked)
    // Within the window the right PIN is refused unchecked: a guess cannot tell it apart.
    if (windows === 1) expect(right).toMatchObject({ result: false, error: THROTTLED })
    await Promise.all([c.close(), other.close()])
  })

  it('lets clients that know the PIN in at any rate: a successful attempt gives its place back', async () => {
    room = await startRoomSimulator({ timeScale: 0, pin: PIN })
    const clients = await Promise.all(
      Array.from({ length: 40 }, () => TestClient.connect(room.urls.ws)),
    )
    const replies = await Promise.all(clients.map((c) => c.auth(PIN)))
    for (const reply of replies) expect(reply.result).toBe(true)
    await Promise.all(clients.map((c) => c.close()))
  })

  it('takes relaxed limits for tests that guess on purpose', async () => {
    room = await startRoomSimulator({
      timeScale: 0,
      pin: PIN,
      maxAuthFailures: 500,
      authAttemptsPerSecond: 1_000_000,
    })
    const c = await TestClient.connect(room.urls.ws)
    const replies = await burst(c, [
      ...Array.from({ length: 300 }, (_, i) => String(300_000 + i)),
      PIN,
    ])
    expect(replies.filter((r) => r.error === 'Wrong credentials')).toHaveLength(300)
    expect(replies.at(-1)).toMatchObject({ result: true })
    expect(c.isOpen).toBe(true)
    await c.close()
  })
})

describe('WebSocket Origin', () => {
  let room: RoomSimulator
  afterEach(() => room.close())

  it('refuses a page of another origin (403), accepts clients without Origin and the server’s own origin at an IP address or localhost', async () => {
    room = await startRoomSimulator({ timeScale: 0, pin: PIN })
    const { port } = new URL(room.urls.ws)
    expect(await handshake(room.urls.ws, { Origin: 'http://evil.example' })).toBe(403)
    expect(await handshake(room.urls.ws, { Origin: 'null' })).toBe(403)
    expect(await handshake(room.urls.ws, {})).toBe('open')
    // What Python's websocket-client sends by default: the server's own origin.
    expect(await handshake(room.urls.ws, { Origin: `http://127.0.0.1:${port}` })).toBe('open')
    expect(
      await handshake(room.urls.ws, {
        Host: `localhost:${port}`,
        Origin: `http://localhost:${port}`,
      }),
    ).toBe('open')
    // A page whose name was rebound to 127.0.0.1 is same-origin with itself, not with the room.
    expect(
      await handshake(room.urls.ws, {
        Host: `evil.example:${port}`,
        Origin: `http://evil.example:${port}`,
      }),
    ).toBe(403)
    expect(await handshake(room.urls.ws, { Origin: `http://127.0.0.1:${Number(port) + 1}` })).toBe(
      403,
    )
  })

  it('accepts the origins of corsOrigins, and any with *', async () => {
    room = await startRoomSimulator({ timeScale: 0, corsOrigins: ['http://localhost:5173'] })
    expect(await handshake(room.urls.ws, { Origin: 'http://localhost:5173' })).toBe('open')
    expect(await handshake(room.urls.ws, { Origin: 'http://localhost:5174' })).toBe(403)
    await room.close()
    room = await startRoomSimulator({ timeScale: 0, corsOrigins: ['*'] })
    expect(await handshake(room.urls.ws, { Origin: 'http://evil.example' })).toBe('open')
  })

  it('accepts every Origin with anyWebSocketOrigin, as a real room is documented to, while the HTTP servers still refuse the page', async () => {
    room = await startRoomSimulator({ timeScale: 0, anyWebSocketOrigin: true })
    expect(await handshake(room.urls.ws, { Origin: 'http://evil.example' })).toBe('open')
    const config = await fetch(`${room.urls.web}/public/default/config.json`, {
      headers: { Origin: 'http://evil.example' },
    })
    expect(config.headers.get('access-control-allow-origin')).toBeNull()
  })
})

const PYTHON = '/usr/bin/python3'
const hasWebsocketClient =
  existsSync(PYTHON) &&
  (() => {
    try {
      execFileSync(PYTHON, ['-c', 'import websocket'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  })()

// TrueConf's own Python client is built on websocket-client, which sends `Origin` by default.
;(hasWebsocketClient ? describe : describe.skip)(
  'a Python websocket-client, as TrueConf’s own client connects',
  () => {
    it('authenticates with the PIN unchanged and reads a command reply', async () => {
      const room = await startRoomSimulator({ timeScale: 0, pin: PIN })
      const script = [
        'import json, sys, websocket',
        'ws = websocket.create_connection(sys.argv[1], timeout=10)',
        'ws.send(json.dumps({"method": "auth", "type": "secured", "credentials": sys.argv[2]}))',
        'auth = json.loads(ws.recv())',
        'ws.send(json.dumps({"method": "getFileList", "requestId": "1"}))',
        'files = json.loads(ws.recv())',
        'print(json.dumps([auth["result"], files["result"]]))',
      ].join('\n')
      try {
        const out = await new Promise<string>((resolve, reject) =>
          execFile(PYTHON, ['-c', script, room.urls.ws, PIN], (error, stdout) =>
            error ? reject(error) : resolve(stdout),
          ),
        )
        expect(JSON.parse(out)).toEqual([true, true])
      } finally {
        await room.close()
      }
    })
  },
)
