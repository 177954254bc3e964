import { type RoomSimulator, startRoomSimulator } from '../src'
import { classify, expectedAnswers, rawStatus, sendHostile } from './helpers/raw'
import { TestClient } from './helpers/TestClient'

describe('hostile HTTP clients', () => {
  let room: RoomSimulator
  let c: TestClient
  let token: string
  const logs: string[] = []

  beforeEach(async () => {
    logs.length = 0
    room = await startRoomSimulator({ timeScale: 0, log: (line) => logs.push(line) })
    c = await TestClient.authed(room.urls.ws)
    token = (await c.request('getTokenForHttpServer')).token as string
  })
  afterEach(async () => {
    await c.close()
    await room.close()
  })

  const stillServes = async (): Promise<void> => {
    const res = await fetch(`${room.urls.web}/public/default/config.json`)
    expect(res.status).toBe(200)
    expect(
      ((await res.json()) as { config: { websocket: { port: number } } }).config.websocket.port,
    ).toBe(Number(new URL(room.urls.ws).port))
    expect((await c.request('getFileList')).result).toBe(true)
  }

  it('the web server answers every malformed request line and header with a client error and keeps serving config.json', async () => {
    expect(classify(await sendHostile(room.urls.web, token))).toEqual(expectedAnswers())
    await stillServes()
  })

  it('the HTTP file server does the same, with a valid token in every target', async () => {
    expect(classify(await sendHostile(room.urls.http, token))).toEqual(expectedAnswers())
    await stillServes()
  })

  it('the WebSocket server answers them with a client error (426 or 400) and keeps its clients', async () => {
    const answers = await sendHostile(room.urls.ws.replace(/^ws/, 'http'), token)
    for (const [name, status] of Object.entries(answers))
      expect([name, typeof status === 'number' && status >= 400 && status < 500]).toEqual([
        name,
        true,
      ])
    await stillServes()
    expect(room.clientCount).toBe(1)
  })

  it('accepts the absolute-form a server must accept, and reads a target with // inside the path as a path', async () => {
    const absolute = `GET ${room.urls.web}/public/default/config.json HTTP/1.1\r\nHost: x\r\n\r\n`
    expect(await rawStatus(room.urls.web, absolute)).toBe(200)
    expect(
      await rawStatus(
        room.urls.web,
        'GET /public//default/config.json HTTP/1.1\r\nHost: x\r\n\r\n',
      ),
    ).toBe(404)
  })
})
