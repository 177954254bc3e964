import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRoomSimulator } from '../src'
import { TestClient } from './helpers/TestClient'
import { bytesOf, uploadedFileId } from './helpers/http'

describe('the storage folder', () => {
  let base: string
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'room-sim-dir-'))
  })
  afterEach(() => {
    rmSync(base, { recursive: true, force: true })
  })

  /** Uploads one file and receives one over real sockets; returns the upload's bytes and the received text. */
  const storeTwo = async (room: Awaited<ReturnType<typeof startRoomSimulator>>) => {
    const c = await TestClient.authed(room.urls.ws)
    const token = String((await c.request('getTokenForHttpServer')).token)
    const uploaded = bytesOf(3000)
    const uploadId = await uploadedFileId(room.urls.http, token, uploaded, 'mine.bin')
    const id = room.offerFile({ fileName: 'theirs.txt', data: 'received text' })
    await c.request('acceptIncomingFileRequest', { fileRequestId: id })
    const done = await c.waitForEvent(
      'fileRequestStatusChanged',
      (e) => e.fileRequestId === id && e.status === 3,
    )
    await c.close()
    return { uploadId, uploaded, receivedId: Number(done.fileId) }
  }

  it('creates a missing folder (parents included) and keeps it with its files after close()', async () => {
    const dir = join(base, 'not', 'yet', 'there')
    const room = await startRoomSimulator({ timeScale: 0, storageDir: dir })
    expect(room.storageDir).toBe(dir)
    expect(readdirSync(dir)).toEqual([])
    const { uploadId, uploaded, receivedId } = await storeTwo(room).finally(() => room.close())
    expect(readdirSync(dir).sort()).toEqual([`received-${receivedId}`, `upload-${uploadId}`])
    expect(new Uint8Array(readFileSync(join(dir, `upload-${uploadId}`)))).toEqual(uploaded)
    expect(readFileSync(join(dir, `received-${receivedId}`), 'utf8')).toBe('received text')
  })

  it('keeps the files of a folder that already existed, and a later run overwrites the same names', async () => {
    writeFileSync(join(base, 'notes.txt'), "not the simulator's")
    writeFileSync(join(base, 'received-2'), 'from an earlier run')
    const room = await startRoomSimulator({ timeScale: 0, storageDir: base })
    const { receivedId } = await storeTwo(room).finally(() => room.close())
    expect(receivedId).toBe(2)
    expect(readFileSync(join(base, 'notes.txt'), 'utf8')).toBe("not the simulator's")
    expect(readFileSync(join(base, 'received-2'), 'utf8')).toBe('received text')
  })

  it('removes its own temporary folder, with the stored files, on close()', async () => {
    const room = await startRoomSimulator({ timeScale: 0 })
    const own = room.storageDir
    try {
      expect(own.startsWith(join(tmpdir(), 'room-simulator-'))).toBe(true)
      const { uploadId, receivedId } = await storeTwo(room)
      expect(readdirSync(own).sort()).toEqual([`received-${receivedId}`, `upload-${uploadId}`])
    } finally {
      await room.close()
    }
    expect(existsSync(own)).toBe(false)
  })

  it('fails the start with a clear error when the path cannot be a folder', async () => {
    const file = join(base, 'a-file')
    writeFileSync(file, 'x')
    await expect(startRoomSimulator({ storageDir: join(file, 'sub') })).rejects.toThrow(
      `room-simulator: cannot create the storage folder ${join(file, 'sub')}: `,
    )
  })
})
