import { readdirSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RoomSimulator, downloadPath, startRoomSimulator } from '../src'
import { bytesOf, upload, uploadedFileId } from './helpers/http'
import { TestClient } from './helpers/TestClient'

describe('the built-in HTTP file server', () => {
  let room: RoomSimulator
  let c: TestClient
  let token: string
  let storageDir: string

  beforeEach(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'room-sim-test-'))
    room = await startRoomSimulator({ timeScale: 0, maxUploadBytes: 100_000, storageDir })
    c = await TestClient.authed(room.urls.ws)
    token = (await c.request('auth', { type: 'unsecured' })).tokenForHttpServer as string
  })
  afterEach(async () => {
    await c.close()
    await room.close()
    rmSync(storageDir, { recursive: true, force: true })
  })

  it('uploads and downloads byte-exact, with the new id in the FileId header', async () => {
    const bytes = bytesOf(99_000)
    const res = await upload(room.urls.http, token, bytes, 'big.bin')
    expect(res.status).toBe(200)
    const fileId = Number(res.headers.get('FileId'))
    expect(Number.isInteger(fileId) && fileId > 0).toBe(true)
    const down = await fetch(`${room.urls.http}${downloadPath(fileId)}?token=${token}`)
    expect(down.status).toBe(200)
    expect(new Uint8Array(await down.arrayBuffer())).toEqual(bytes)
    expect((await c.request('getFileList')).fileList).toEqual([
      { fileId: String(fileId), fileName: 'big.bin' },
    ])
    // A real file on disk in the chosen folder.
    expect(readdirSync(storageDir)).toEqual([`upload-${fileId}`])
  })

  it('gives 401 without a token and 403 with a bad one', async () => {
    expect((await upload(room.urls.http, '', bytesOf(10))).status).toBe(401)
    expect((await upload(room.urls.http, 'forged', bytesOf(10))).status).toBe(403)
    const fileId = await uploadedFileId(room.urls.http, token, bytesOf(10))
    expect((await fetch(`${room.urls.http}/files/${fileId}`)).status).toBe(401)
    expect((await fetch(`${room.urls.http}/files/${fileId}?token=forged`)).status).toBe(403)
    expect((await fetch(`${room.urls.http}/files/12345?token=${token}`)).status).toBe(404)
  })

  it('answers 413 for an upload over the limit and keeps nothing of it', async () => {
    const res = await upload(room.urls.http, token, bytesOf(100_001))
    expect(res.status).toBe(413)
    expect(((await c.request('getFileList')).fileList as unknown[]).length).toBe(0)
    expect((await upload(room.urls.http, token, bytesOf(400_000))).status).toBe(413)
    expect(readdirSync(storageDir)).toEqual([])
    // The server keeps working.
    expect((await upload(room.urls.http, token, bytesOf(10))).status).toBe(200)
  })

  it('answers 400 for a body that is not multipart or has no file field', async () => {
    const plain = await fetch(`${room.urls.http}/files/?token=${token}`, {
      method: 'POST',
      body: 'raw',
    })
    expect(plain.status).toBe(400)
    const form = new FormData()
    form.append('other', 'value')
    const noFile = await fetch(`${room.urls.http}/files/?token=${token}`, {
      method: 'POST',
      body: form,
    })
    expect(noFile.status).toBe(400)
  })

  it('issues a new token with getTokenForHttpServer', async () => {
    const reply = await c.request('getTokenForHttpServer', {}, 't')
    expect(reply).toMatchObject({ method: 'getTokenForHttpServer', requestId: 't', result: true })
    expect(reply.token).not.toBe(token)
    expect((await upload(room.urls.http, reply.token as string, bytesOf(5))).status).toBe(200)
  })
})

describe('HTTP token lifetime', () => {
  it('expires tokens after tokenTtlMs when no PIN is set', async () => {
    const room = await startRoomSimulator({ timeScale: 0, tokenTtlMs: 1 })
    const c = await TestClient.authed(room.urls.ws)
    try {
      const { token } = await c.request('getTokenForHttpServer')
      // Wait until the token's 1 ms lifetime has certainly passed (a clock condition, not a sleep).
      const issued = Date.now()
      await new Promise<void>((resolve) => {
        const spin = () => (Date.now() - issued > 2 ? resolve() : setImmediate(spin))
        spin()
      })
      const res = await upload(room.urls.http, token as string, bytesOf(5))
      expect(res.status).toBe(403)
      expect(await res.json()).toEqual({ error: 'the token has expired' })
    } finally {
      await c.close()
      await room.close()
    }
  })

  it('never expires tokens when a PIN is set', async () => {
    const room = await startRoomSimulator({ timeScale: 0, tokenTtlMs: 1, pin: '55' })
    const c = await TestClient.authed(room.urls.ws, '55')
    try {
      const { token } = await c.request('getTokenForHttpServer')
      const issued = Date.now()
      await new Promise<void>((resolve) => {
        const spin = () => (Date.now() - issued > 2 ? resolve() : setImmediate(spin))
        spin()
      })
      expect((await upload(room.urls.http, token as string, bytesOf(5))).status).toBe(200)
    } finally {
      await c.close()
      await room.close()
    }
  })
})
