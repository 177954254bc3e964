import { type RoomSimulator, downloadPath, startRoomSimulator } from '../src'
import { bytesOf, uploadedFileId } from './helpers/http'
import { TestClient } from './helpers/TestClient'

describe('faults for clients that must distrust the room', () => {
  let room: RoomSimulator
  const logs: string[] = []
  const config = () => `${room.urls.web}/public/default/config.json`
  beforeEach(async () => {
    logs.length = 0
    room = await startRoomSimulator({ timeScale: 0, log: (line) => logs.push(line) })
  })
  afterEach(() => room.close())

  const logged = async (text: string): Promise<void> => {
    while (!logs.some((l) => l.includes(text))) await new Promise((r) => setImmediate(r))
  }

  it('hangDiscovery leaves config.json unanswered until the client gives up; cleared, it answers again', async () => {
    room.injectFault({ type: 'hangDiscovery' })
    const abort = new AbortController()
    const hanging = fetch(config(), { signal: abort.signal })
    await logged('fault: config.json request left unanswered')
    abort.abort()
    await expect(hanging).rejects.toThrow(/abort/i)
    room.clearFaults()
    expect((await fetch(config())).status).toBe(200)
  })

  it('oversizedConfig streams a valid config.json of the given size, without Content-Length unless asked', async () => {
    room.injectFault({ type: 'oversizedConfig', bytes: 300_000 })
    const res = await fetch(config())
    expect(res.headers.get('content-length')).toBeNull()
    const text = await res.text()
    expect(text.length).toBe(300_000)
    expect(
      (JSON.parse(text) as { config: { websocket: { port: number } } }).config.websocket.port,
    ).toBe(Number(new URL(room.urls.ws).port))
    room.injectFault({ type: 'oversizedConfig', bytes: 100_000, declareLength: true })
    const declared = await fetch(config())
    expect(declared.headers.get('content-length')).toBe('100000')
    expect((await declared.text()).length).toBe(100_000)
  })

  it('oversizedConfig by default is 200 MiB, made while sent: a client reading 64 KiB and leaving costs nothing', async () => {
    room.injectFault({ type: 'oversizedConfig' })
    const abort = new AbortController()
    const res = await fetch(config(), { signal: abort.signal })
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    let read = 0
    while (read < 64 * 1024) read += ((await reader.read()).value as Uint8Array).length
    abort.abort()
    await logged('fault: config.json padded to 209715200 bytes')
    room.clearFaults()
    expect((await fetch(config())).status).toBe(200)
  })

  it('configOtherHost names another host for the WebSocket and the HTTP server', async () => {
    room.injectFault({ type: 'configOtherHost' })
    const named = (await (await fetch(config())).json()) as {
      config: { websocket: { hostname: unknown }; http: { hostname: unknown } }
    }
    expect([named.config.websocket.hostname, named.config.http.hostname]).toEqual([
      'attacker.invalid',
      'attacker.invalid',
    ])
    room.injectFault({ type: 'configOtherHost', hostname: '192.0.2.1' })
    expect(
      ((await (await fetch(config())).json()) as { config: { http: { hostname: unknown } } }).config
        .http.hostname,
    ).toBe('192.0.2.1')
    expect(() => room.injectFault({ type: 'configOtherHost', hostname: 'http://x/' })).toThrow(
      TypeError,
    )
  })

  it('oversizedFrame sends one valid frame of the given size to every client now, and to each after its auth while active', async () => {
    const c = await TestClient.authed(room.urls.ws)
    room.injectFault({ type: 'oversizedFrame', bytes: 2_000_000 })
    await c.waitFor((m) => m.method === 'event' && m.event === 'simulatorPadding')
    expect(c.frames.at(-1)?.length).toBe(2_000_000)
    // The connection is kept: the next reply comes.
    expect((await c.request('getFileList')).result).toBe(true)
    const d = await TestClient.authed(room.urls.ws)
    await d.waitFor((m) => m.method === 'event' && m.event === 'simulatorPadding')
    expect(d.frames.map((f) => f.length)).toEqual([expect.any(Number), 2_000_000])
    await Promise.all([c.close(), d.close()])
  })

  it('dropAfterAuth closes every client right after its auth reply, each time it comes back (flapping)', async () => {
    room.injectFault({ type: 'dropAfterAuth' })
    for (let i = 0; i < 3; i++) {
      const c = await TestClient.connect(room.urls.ws)
      expect(await c.auth()).toMatchObject({ result: true })
      expect((await c.closed).code).toBe(1006)
      expect(c.frames).toHaveLength(1)
    }
    room.injectFault({ type: 'dropAfterAuth', afterMessages: 2, code: 4001 })
    const c = await TestClient.authed(room.urls.ws)
    await c.request('getFileList')
    c.send({ method: 'getFileList', requestId: 'x' })
    c.send({ method: 'getFileList', requestId: 'y' })
    expect((await c.closed).code).toBe(4001)
    expect(c.frames).toHaveLength(3)
    // Clients before auth are not touched.
    const early = await TestClient.connect(room.urls.ws)
    expect((await early.request('setUsedApiVersion', { version: '1' })).result).toBe(true)
    expect(early.isOpen).toBe(true)
    await early.close()
  })

  it('redirectDownloads answers a download with a redirect to another origin, token included', async () => {
    const c = await TestClient.authed(room.urls.ws)
    const token = (await c.request('getTokenForHttpServer')).token as string
    const fileId = await uploadedFileId(room.urls.http, token, bytesOf(10))
    room.injectFault({ type: 'redirectDownloads' })
    const res = await fetch(`${room.urls.http}${downloadPath(fileId)}?token=${token}`, {
      redirect: 'manual',
    })
    expect([res.status, res.headers.get('location')]).toEqual([
      302,
      `http://attacker.invalid/files/${fileId}?token=${token}`,
    ])
    room.injectFault({ type: 'redirectDownloads', origin: 'http://127.0.0.1:9', status: 307 })
    const other = await fetch(`${room.urls.http}${downloadPath(fileId)}?token=${token}`, {
      redirect: 'manual',
    })
    expect([other.status, other.headers.get('location')]).toEqual([
      307,
      `http://127.0.0.1:9/files/${fileId}?token=${token}`,
    ])
    expect(() =>
      room.injectFault({ type: 'redirectDownloads', origin: 'http://x.example/path' }),
    ).toThrow(TypeError)
    room.clearFaults()
    expect((await fetch(`${room.urls.http}${downloadPath(fileId)}?token=${token}`)).status).toBe(
      200,
    )
    await c.close()
  })

  it('a scenario can inject them', async () => {
    await room.close()
    room = await startRoomSimulator({
      timeScale: 0,
      scenario: {
        steps: [{ at: 0, fault: { type: 'configOtherHost', hostname: 'elsewhere.example' } }],
      },
    })
    const c = await TestClient.authed(room.urls.ws)
    await room.idle()
    expect(
      ((await (await fetch(config())).json()) as { config: { websocket: { hostname: unknown } } })
        .config.websocket.hostname,
    ).toBe('elsewhere.example')
    await c.close()
  })
})
