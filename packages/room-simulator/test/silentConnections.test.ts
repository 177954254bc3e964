import { WebSocket } from 'ws'
import { type RoomSimulator, startRoomSimulator } from '../src'
import { closedBy, openSocket } from './helpers/sockets'
import { TestClient } from './helpers/TestClient'

/** Short settings, so that crossing each limit takes a fraction of a second. */
const SHORT = { headersTimeoutMs: 300, keepAliveTimeoutMs: 300, authTimeoutMs: 300 }
/** How long a test waits for the simulator to close a socket before it fails. */
const WAIT_MS = 5000

const closeOf = (ws: WebSocket): Promise<number> =>
  new Promise((resolve) => ws.once('close', (code: number) => resolve(code)))

describe('connections that never speak', () => {
  let room: RoomSimulator
  afterEach(() => room.close())

  it.each(['web', 'ws', 'http'] as const)(
    'the %s server closes a connection that sends nothing within headersTimeoutMs, and one that never finishes its headers',
    async (server) => {
      room = await startRoomSimulator({ timeScale: 0, ...SHORT })
      const silent = await openSocket(room.urls[server])
      const slow = await openSocket(room.urls[server])
      slow.write('GET /public/default/config.json HTTP/1.1\r\nHost: room\r\n')
      await closedBy(silent, WAIT_MS, 'a connection that sent nothing')
      await closedBy(slow, WAIT_MS, 'a connection with half its headers')
    },
  )

  it('closes 200 idle connections to each server', async () => {
    room = await startRoomSimulator({ timeScale: 0, ...SHORT })
    const sockets = await Promise.all(
      (['web', 'ws', 'http'] as const).flatMap((server) =>
        Array.from({ length: 200 }, () => openSocket(room.urls[server])),
      ),
    )
    await Promise.all(sockets.map((s) => closedBy(s, WAIT_MS, 'an idle connection')))
  })

  it('closes a kept-alive connection keepAliveTimeoutMs after its last answer', async () => {
    room = await startRoomSimulator({ timeScale: 0, ...SHORT, headersTimeoutMs: 60_000 })
    const socket = await openSocket(room.urls.web)
    let answer = ''
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')))
    socket.write('GET /public/default/config.json HTTP/1.1\r\nHost: room\r\n\r\n')
    await closedBy(socket, WAIT_MS, 'an idle kept-alive connection')
    expect(answer).toMatch(/^HTTP\/1\.1 200 /)
    expect(answer).toMatch(/keep-alive/i)
  })

  it('closes a WebSocket that has not authenticated within authTimeoutMs with 1008, and keeps the ones that did', async () => {
    const logs: string[] = []
    room = await startRoomSimulator({
      timeScale: 0,
      pin: '1357',
      ...SHORT,
      log: (l) => logs.push(l),
    })
    const authed = await TestClient.authed(room.urls.ws, '1357')
    const silent = new WebSocket(room.urls.ws)
    const wrongOnce = await TestClient.connect(room.urls.ws)
    expect((await wrongOnce.auth('0000')).result).toBe(false)
    expect(await closeOf(silent)).toBe(1008)
    expect((await wrongOnce.closed).code).toBe(1008)
    expect(logs).toContain('client 2: disconnected with code 1008: not authenticated within 300 ms')
    // The authenticated client outlived the limit and still gets answers.
    expect(authed.isOpen).toBe(true)
    expect((await authed.request('getFileList')).result).toBe(true)
    await authed.close()
    expect(logs.join('\n')).not.toContain('1357')
  })

  it('lets a WebSocket handshake through after its connection was made, and keeps an authenticated client past headersTimeoutMs', async () => {
    room = await startRoomSimulator({ timeScale: 0, ...SHORT })
    const c = await TestClient.authed(room.urls.ws)
    const silent = await openSocket(room.urls.ws)
    await closedBy(silent, WAIT_MS, 'a connection that sent nothing')
    expect(c.isOpen).toBe(true)
    expect((await c.request('getFileList')).result).toBe(true)
    await c.close()
  })
})
