import { readdirSync } from 'node:fs'
import {
  type RoomSimulator,
  type RoomSimulatorOptions,
  downloadPath,
  startRoomSimulator,
} from '../src'
import { bytesOf } from './helpers/http'
import { TestClient } from './helpers/TestClient'

const PAGE = 'http://localhost:5173'

describe('CORS (corsOrigins)', () => {
  let room: RoomSimulator
  let c: TestClient
  let token: string
  const begin = async (options: RoomSimulatorOptions) => {
    room = await startRoomSimulator({ timeScale: 0, ...options })
    c = await TestClient.authed(room.urls.ws)
    token = (await c.request('getTokenForHttpServer')).token as string
  }
  afterEach(async () => {
    await c.close()
    await room.close()
  })

  const config = (origin: string, init: RequestInit = {}) =>
    fetch(`${room.urls.web}/public/default/config.json`, {
      ...init,
      headers: { Origin: origin, ...(init.headers as Record<string, string>) },
    })
  const uploadFrom = (origin: string) => {
    const form = new FormData()
    form.append('file', new Blob([bytesOf(100)]), 'page.bin')
    return fetch(`${room.urls.http}/files/?token=${token}`, {
      method: 'POST',
      body: form,
      headers: { Origin: origin },
    })
  }

  it('is off by default: no Access-Control-Allow-Origin, no preflight, and a page upload is refused without being stored', async () => {
    await begin({})
    const res = await config(PAGE)
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await config(PAGE, {
      method: 'OPTIONS',
      headers: { 'Access-Control-Request-Method': 'GET' },
    })
    expect(preflight.status).toBe(404)
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    const upload = await uploadFrom(PAGE)
    expect(upload.status).toBe(403)
    expect(await upload.json()).toEqual({ error: `origin ${PAGE} is not allowed` })
    expect(readdirSync(room.storageDir)).toEqual([])
    expect((await c.request('getFileList')).fileList).toEqual([])
  })

  it('answers an allowed origin on the web server and the HTTP file server, exposes FileId, and answers preflights', async () => {
    await begin({ corsOrigins: [PAGE, 'https://other.example'] })
    const res = await config(PAGE)
    expect(res.headers.get('access-control-allow-origin')).toBe(PAGE)
    expect(res.headers.get('vary')).toBe('Origin')
    expect(
      (await config('http://evil.example')).headers.get('access-control-allow-origin'),
    ).toBeNull()

    const preflight = await config(PAGE, {
      method: 'OPTIONS',
      headers: { 'Access-Control-Request-Method': 'GET' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(PAGE)
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS')

    const filesPreflight = await fetch(`${room.urls.http}/files/?token=${token}`, {
      method: 'OPTIONS',
      headers: {
        Origin: PAGE,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, x-trace',
      },
    })
    expect(filesPreflight.status).toBe(204)
    expect(filesPreflight.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS')
    expect(filesPreflight.headers.get('access-control-allow-headers')).toBe('content-type, x-trace')

    const upload = await uploadFrom(PAGE)
    expect(upload.status).toBe(200)
    expect(upload.headers.get('access-control-allow-origin')).toBe(PAGE)
    expect(upload.headers.get('access-control-expose-headers')).toBe('FileId')
    const fileId = upload.headers.get('FileId') as string
    const down = await fetch(`${room.urls.http}${downloadPath(fileId)}?token=${token}`, {
      headers: { Origin: PAGE },
    })
    expect(down.status).toBe(200)
    expect(down.headers.get('access-control-allow-origin')).toBe(PAGE)
    // Error answers carry the header too, so a page can read why it failed.
    const missing = await fetch(`${room.urls.http}${downloadPath(99)}?token=${token}`, {
      headers: { Origin: PAGE },
    })
    expect([missing.status, missing.headers.get('access-control-allow-origin')]).toEqual([
      404,
      PAGE,
    ])
    expect((await uploadFrom('http://evil.example')).status).toBe(403)
  })

  it("allows every origin with '*'", async () => {
    await begin({ corsOrigins: ['*'] })
    expect((await config('http://any.example')).headers.get('access-control-allow-origin')).toBe(
      '*',
    )
    const upload = await uploadFrom('http://any.example')
    expect([upload.status, upload.headers.get('access-control-allow-origin')]).toEqual([200, '*'])
  })

  it('refuses an origin with a path, a trailing slash or no scheme', async () => {
    for (const bad of ['http://localhost:5173/', 'localhost:5173', 'ftp://x.example', '']) {
      await expect(startRoomSimulator({ corsOrigins: [bad] })).rejects.toThrow(TypeError)
    }
    await begin({})
  })
})
