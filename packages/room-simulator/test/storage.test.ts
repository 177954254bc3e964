import { execFileSync } from 'node:child_process'
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RoomSimulator, startRoomSimulator } from '../src'
import { TestClient } from './helpers/TestClient'

/**
 * A FIFO where the simulator will store a file holds its write until the test reads it, so the test
 * can act while the write is in flight. A blocking write would stall the simulator's event loop and
 * the test with it.
 */
const undrained = new Set<string>()
const fifo = (path: string): void => {
  execFileSync('mkfifo', [path])
  undrained.add(path)
}
const drain = async (path: string): Promise<Buffer> => {
  undrained.delete(path)
  const chunks: Buffer[] = []
  for await (const chunk of createReadStream(path)) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

describe('file storage writes do not block and keep the event order', () => {
  let dir: string
  let room: RoomSimulator | undefined
  let client: TestClient | undefined
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'room-sim-storage-'))
  })
  afterEach(async () => {
    // A failed test may leave a write waiting for its reader; close() waits for writes.
    const draining = [...undrained].map(drain)
    await client?.close()
    await room?.close()
    await Promise.all(draining)
    client = undefined
    room = undefined
    rmSync(dir, { recursive: true, force: true })
  })

  const receiveIntoFifo = async () => {
    fifo(join(dir, 'received-1'))
    room = await startRoomSimulator({ timeScale: 0, storageDir: dir })
    client = await TestClient.authed(room.urls.ws)
    const id = room.offerFile({ fileName: 'held.txt', data: 'held bytes' })
    await client.request('acceptIncomingFileRequest', { fileRequestId: id })
    await client.waitForEvent(
      'incomingFileRequestDownloadingProgress',
      (e) => e.processedPercents === 100,
    )
    // The room answers while the write waits for a reader; the file is not listed before status 3.
    expect(await client.request('getFileList')).toMatchObject({ result: true, fileList: [] })
    expect(await client.request('getFileRequestInfo', { fileRequestId: id })).toMatchObject({
      result: true,
      status: 2,
    })
    return { id, room, client }
  }

  it('sends status 3 only once the received file is stored, listed and downloadable', async () => {
    const { id, room: r, client: c } = await receiveIntoFifo()
    const idle = r.idle()
    expect(await drain(join(dir, 'received-1'))).toEqual(Buffer.from('held bytes'))
    const done = await c.waitForEvent(
      'fileRequestStatusChanged',
      (e) => e.fileRequestId === id && e.status === 3,
    )
    expect(done.fileId).toBe(1)
    await idle
    const list = await c.request('getFileList')
    expect(list.fileList).toEqual([expect.objectContaining({ fileName: 'held.txt' })])
    const events = c.events
      .filter((e) => (e as { fileRequestId?: unknown }).fileRequestId === id)
      .map((e) => e.event)
    expect(events.slice(-2)).toEqual([
      'incomingFileRequestDownloadingProgress',
      'fileRequestStatusChanged',
    ])
  })

  it('a transfer failed while its file is written ends at status 0, without the file', async () => {
    const { id, room: r, client: c } = await receiveIntoFifo()
    r.failTransfer(id)
    await c.waitForEvent(
      'fileRequestStatusChanged',
      (e) => e.fileRequestId === id && e.status === 0,
    )
    await drain(join(dir, 'received-1'))
    await r.idle()
    expect(r.groundTruth()).toEqual([expect.objectContaining({ fileRequestId: id, status: 0 })])
    expect(await c.request('getFileList')).toMatchObject({ fileList: [] })
    expect(existsSync(join(dir, 'received-1'))).toBe(false)
    // A reply after idle proves every event sent before it has arrived: no status 3.
    expect(c.events.some((e) => (e as { status?: unknown }).status === 3)).toBe(false)
  })

  it('holds later scenario steps until a send step has stored its upload', async () => {
    fifo(join(dir, 'upload-1'))
    room = await startRoomSimulator({
      timeScale: 0,
      storageDir: dir,
      scenario: {
        steps: [
          { at: 0, send: { fileName: 'first.txt', data: 'first', to: 'peer@x' } },
          { at: 0, availability: 2 },
        ],
      },
    })
    client = await TestClient.authed(room.urls.ws)
    // The room answers while the upload waits for a reader, and the later step has not run.
    expect(await client.request('getFileTransferAvailability')).toMatchObject({ availability: 3 })
    expect(client.events).toEqual([])
    expect(await drain(join(dir, 'upload-1'))).toEqual(Buffer.from('first'))
    await client.waitForEvent('fileTransferAvailabilityChanged')
    const names = client.events.map((e) => e.event)
    expect(names.indexOf('outgoingFileRequestSent')).toBeGreaterThanOrEqual(0)
    expect(names.indexOf('outgoingFileRequestSent')).toBeLessThan(
      names.indexOf('fileTransferAvailabilityChanged'),
    )
  })
})
