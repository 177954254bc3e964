import { connect } from 'node:net'
import { type RoomSimulator, downloadPath, startRoomSimulator } from '../src'
import { bytesOf, upload } from './helpers/http'
import { TestClient } from './helpers/TestClient'

/** A masked client text frame (RFC 6455 section 5.2), with a zero mask key. */
const clientFrame = (text: string): Buffer => {
  const payload = Buffer.from(text, 'utf8')
  if (payload.length > 125) throw new Error('short frames only')
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload])
}

/** A WebSocket client on a raw socket that authenticates and then never reads a byte. */
const neverReadingClient = (wsUrl: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(wsUrl)
    const socket = connect({ host: hostname, port: Number(port) })
    socket.on('error', () => undefined)
    socket.on('connect', () => {
      socket.write(
        `GET / HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      )
      socket.once('data', () => {
        socket.write(clientFrame(JSON.stringify({ method: 'auth', type: 'unsecured' })))
        socket.pause()
        resolve()
      })
    })
    socket.once('close', () => reject(new Error('closed before the handshake')))
  })

describe('limits toward clients', () => {
  let room: RoomSimulator
  const logs: string[] = []
  afterEach(async () => {
    await room.close()
    logs.length = 0
  })

  it('disconnects a client that never reads once its unsent data passes maxClientBufferedBytes, with 1008 and a log line', async () => {
    room = await startRoomSimulator({
      timeScale: 0,
      maxClientBufferedBytes: 64 * 1024,
      log: (line) => logs.push(line),
    })
    await neverReadingClient(room.urls.ws)
    const reader = await TestClient.authed(room.urls.ws)
    while (room.clientCount < 2 || !logs.some((l) => l.includes('client 1: authenticated')))
      await new Promise((r) => setImmediate(r))
    room.injectFault({ type: 'malformedFrames', kinds: ['oversized'], oversizedBytes: 256 * 1024 })
    // The kernel's socket buffers take a few MiB first; then the simulator's own buffer fills.
    const dropped = () => logs.find((l) => l.startsWith('client 1: disconnected with code 1008'))
    for (let i = 0; i < 400 && dropped() === undefined; i++) {
      room.offerFile({ fileName: `f${i}`, size: 1 })
      await new Promise((r) => setImmediate(r))
    }
    expect(dropped()).toMatch(
      /^client 1: disconnected with code 1008: \d+ bytes unsent, over the limit of 65536$/,
    )
    // It cannot read the close frame either: its socket is destroyed after a grace period.
    while (room.clientCount > 1) await new Promise((r) => setTimeout(r, 20))
    // The client that reads is kept.
    expect(reader.isOpen).toBe(true)
    expect((await reader.request('getFileList')).result).toBe(true)
    await reader.close()
  })

  it('disconnects a client whose replies pile up behind stallReplies past the bound', async () => {
    room = await startRoomSimulator({
      timeScale: 0,
      maxClientBufferedBytes: 4096,
      log: (line) => logs.push(line),
    })
    const c = await TestClient.authed(room.urls.ws)
    room.injectFault({ type: 'stallReplies', durationMs: 600_000 })
    for (let i = 0; i < 200; i++) c.send({ method: 'getFileList', requestId: String(i) })
    expect((await c.closed).code).toBe(1008)
    expect(
      logs.some((l) =>
        /^client 1: disconnected with code 1008: \d+ bytes unsent, over the limit of 4096$/.test(l),
      ),
    ).toBe(true)
  })

  describe('storage', () => {
    let c: TestClient
    let token: string
    const begin = async () => {
      room = await startRoomSimulator({
        timeScale: 0,
        maxStorageBytes: 100_000,
        maxUploadBytes: 300_000,
      })
      c = await TestClient.authed(room.urls.ws)
      token = (await c.request('getTokenForHttpServer')).token as string
    }
    afterEach(() => c.close())

    it('answers 507 once uploads would pass maxStorageBytes, keeps nothing of the refused one, and counts received files', async () => {
      await begin()
      const first = await upload(room.urls.http, token, bytesOf(60_000))
      expect(first.status).toBe(200)
      // Refused while streaming (its declared length fits the headroom) ...
      const second = await upload(room.urls.http, token, bytesOf(60_000))
      expect(second.status).toBe(507)
      expect(await second.json()).toEqual({ error: 'the storage quota of 100000 bytes is used up' })
      // ... and up front, from Content-Length.
      expect((await upload(room.urls.http, token, bytesOf(200_000))).status).toBe(507)
      expect((await c.request('getFileList')).fileList).toEqual([
        { fileId: '1', fileName: 'upload.bin' },
      ])
      // A received file over the quota ends its transfer with status 0; one that fits is stored.
      const tooBig = room.offerFile({ fileName: 'big.bin', size: 50_000 })
      await c.request('acceptIncomingFileRequest', { fileRequestId: tooBig })
      expect(
        await c.waitForEvent(
          'fileRequestStatusChanged',
          (e) => e.fileRequestId === tooBig && (e.status === 0 || e.status === 3),
        ),
      ).toMatchObject({ status: 0 })
      const fits = room.offerFile({ fileName: 'small.bin', size: 30_000 })
      await c.request('acceptIncomingFileRequest', { fileRequestId: fits })
      const done = await c.waitForEvent(
        'fileRequestStatusChanged',
        (e) => e.fileRequestId === fits && (e.status === 0 || e.status === 3),
      )
      expect(done).toMatchObject({ status: 3 })
      // Deleting gives the bytes back.
      expect((await upload(room.urls.http, token, bytesOf(20_000))).status).toBe(507)
      await c.request('deleteFileTransferFile', { fileId: done.fileId as number })
      expect((await upload(room.urls.http, token, bytesOf(20_000))).status).toBe(200)
    })

    it('a scenario-style sendFile over the quota rejects and sends nothing', async () => {
      await begin()
      await expect(
        room.sendFile({ fileName: 'huge.bin', size: 200_000, to: 'bob@x' }),
      ).rejects.toThrow(
        'room-simulator: sendFile: cannot store huge.bin: the storage quota of 100000 bytes is used up',
      )
      expect(room.groundTruth()).toEqual([])
    })

    it('reads file ids as the codec does: a leading zero is 404', async () => {
      await begin()
      expect((await upload(room.urls.http, token, bytesOf(10))).headers.get('FileId')).toBe('1')
      expect((await fetch(`${room.urls.http}${downloadPath(1)}?token=${token}`)).status).toBe(200)
      for (const id of ['01', '001', '1.0', '+1', ' 1']) {
        expect([
          id,
          (await fetch(`${room.urls.http}/files/${encodeURIComponent(id)}?token=${token}`)).status,
        ]).toEqual([id, 404])
      }
    })
  })
})
