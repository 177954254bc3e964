import { decodeRoomMessage, RoomConfig } from '@org/file-events-codec'
import { type RoomSimulator, startRoomSimulator } from '../src'
import { TestClient } from './helpers/TestClient'

describe('auth and the command envelope', () => {
  let room: RoomSimulator
  const clients: TestClient[] = []
  const connect = async () => {
    const c = await TestClient.connect(room.urls.ws)
    clients.push(c)
    return c
  }

  beforeAll(async () => {
    room = await startRoomSimulator({ pin: '4321', timeScale: 0 })
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()))
  })
  afterAll(() => room.close())

  it('serves config.json with the WebSocket and HTTP ports', async () => {
    const res = await fetch(`${room.urls.web}/public/default/config.json`)
    expect(res.status).toBe(200)
    const body: unknown = await res.json()
    expect(RoomConfig.is(body)).toBe(true)
    expect(body).toEqual({
      config: {
        websocket: { hostname: null, port: Number(new URL(room.urls.ws).port) },
        http: { hostname: null, port: Number(new URL(room.urls.http).port) },
      },
    })
    expect((await fetch(`${room.urls.web}/other`)).status).toBe(404)
  })

  it('answers a first auth without requestId with the real reply shape', async () => {
    const c = await connect()
    c.send({ method: 'auth', type: 'secured', credentials: '4321' })
    const reply = await c.waitFor((m) => m.method === 'auth')
    expect(Object.keys(reply).sort()).toEqual([
      'method',
      'previleges',
      'requestId',
      'result',
      'token',
      'tokenForHttpServer',
    ])
    expect(reply).toMatchObject({ requestId: '', method: 'auth', previleges: 2, result: true })
    expect(typeof reply.token).toBe('string')
    expect(typeof reply.tokenForHttpServer).toBe('string')
  })

  it('refuses a wrong PIN with result false, resultCode 3 and an error that does not echo the PIN', async () => {
    const c = await connect()
    const reply = await c.request('auth', { type: 'secured', credentials: '9999' }, 'a1')
    expect(reply).toMatchObject({ method: 'auth', requestId: 'a1', result: false, resultCode: 3 })
    expect(typeof reply.error).toBe('string')
    expect(c.frames.join('')).not.toContain('9999')
    expect(c.frames.join('')).not.toContain('4321')
    // Still not authorized afterwards.
    const after = await c.request('getFileList')
    expect(after).toMatchObject({ result: false })
  })

  it('refuses unsecured auth when a PIN is set', async () => {
    const c = await connect()
    expect(await c.auth()).toMatchObject({ result: false, resultCode: 3 })
  })

  it('rejects commands before auth, but answers setUsedApiVersion', async () => {
    const c = await connect()
    expect(await c.request('setUsedApiVersion', { version: '1' }, 'v')).toEqual({
      method: 'setUsedApiVersion',
      requestId: 'v',
      result: true,
    })
    const reply = await c.request('getIncomingFilesRequests', {}, 'x')
    expect(reply).toMatchObject({
      method: 'getIncomingFilesRequests',
      requestId: 'x',
      result: false,
    })
    expect(reply.error).toMatch(/auth/)
  })

  it('rejects unknown commands and malformed requests with a named error, never an event key', async () => {
    const c = await connect()
    await c.auth('4321')
    const unknown = await c.request('makeCoffee', {}, 'u')
    expect(unknown).toMatchObject({
      method: 'makeCoffee',
      requestId: 'u',
      result: false,
      error: 'unknown command "makeCoffee"',
    })
    const bad = await c.request('acceptIncomingFileRequest', { fileRequestId: 42 }, 'b')
    expect(bad.result).toBe(false)
    expect(bad.error).toMatch(/fileRequestId/)
    const from = c.messages.length
    c.sendRaw('{not json')
    const invalid = await c.waitFor((m) => m.method === '', { from })
    expect(invalid).toMatchObject({ requestId: '', result: false })
    expect(invalid.error).toMatch(/invalid JSON/)
    for (const frame of c.frames) expect(JSON.parse(frame)).not.toHaveProperty('event')
  })

  it('never echoes credentials in a schema error', async () => {
    const c = await connect()
    const reply = await c.request('auth', { type: 'secured', credentials: 43215678 }, 's')
    expect(reply.result).toBe(false)
    expect(c.frames.join('')).not.toContain('43215678')
  })

  it('answers pipelined requests all, in order, echoing requestId (also "")', async () => {
    const c = await connect()
    await c.auth('4321')
    const sent = [
      { method: 'getAppState', requestId: '1' },
      { method: 'getSettings', requestId: '2' },
      { method: 'getSystemInfo' },
      { method: 'getMonitorsInfo', requestId: '4' },
      { method: 'getFileTransferAvailability', requestId: '5' },
      { method: 'getTokenForHttpServer', requestId: '6' },
      { method: 'nope', requestId: '7' },
    ]
    const from = c.messages.length
    for (const s of sent) c.send(s)
    await c.waitForCount(from + sent.length)
    const replies = c.messages.slice(from)
    expect(replies.map((r) => [r.method, (r as { requestId?: string }).requestId])).toEqual(
      sent.map((s) => [s.method, s.requestId ?? '']),
    )
    expect(replies[0]).toMatchObject({
      appState: 3,
      embeddedHttpPort: Number(new URL(room.urls.http).port),
      result: true,
    })
    expect(replies[4]).toMatchObject({ availability: 3 })
    for (const frame of c.frames) expect(decodeRoomMessage(frame)._tag).toBe('Right')
  })

  it('handles a clean close with code 1000 and counts clients', async () => {
    const a = await connect()
    const b = await connect()
    await a.auth('4321')
    expect(room.clientCount).toBeGreaterThanOrEqual(2)
    expect((await a.close(1000)).code).toBe(1000)
    await b.close(1000)
  })
})

describe('unsecured room', () => {
  it('accepts unsecured auth when no PIN is set', async () => {
    const room = await startRoomSimulator({ timeScale: 0 })
    try {
      expect(room.pin).toBeUndefined()
      const c = await TestClient.connect(room.urls.ws)
      expect(await c.auth()).toMatchObject({ result: true, previleges: 2 })
      await c.close()
    } finally {
      await room.close()
    }
  })

  it('accepts secured auth with any credentials when no PIN is set (documented as a guess)', async () => {
    const room = await startRoomSimulator({ timeScale: 0 })
    try {
      for (const credentials of ['anything', '', '1234']) {
        const c = await TestClient.connect(room.urls.ws)
        expect(await c.request('auth', { type: 'secured', credentials })).toMatchObject({
          result: true,
          previleges: 2,
        })
        expect(await c.request('getFileTransferAvailability')).toMatchObject({ result: true })
        await c.close()
      }
    } finally {
      await room.close()
    }
  })

  it('reports a port in use clearly', async () => {
    const room = await startRoomSimulator({ timeScale: 0 })
    try {
      const port = Number(new URL(room.urls.ws).port)
      await expect(startRoomSimulator({ wsPort: port })).rejects.toThrow(
        `the WebSocket port ${port} on 127.0.0.1 is already in use`,
      )
    } finally {
      await room.close()
    }
  })
})
