import { type RoomSimulator, startRoomSimulator } from '../src'
import { TestClient } from './helpers/TestClient'

const fileEvents = (c: TestClient) =>
  c.events.map(
    (e) =>
      `${e.event}:${String((e as { fileRequestId?: string }).fileRequestId)}:${String((e as { status?: number }).status ?? (e as { processedPercents?: number }).processedPercents ?? '')}`,
  )

describe('faults', () => {
  let room: RoomSimulator
  const open: TestClient[] = []
  const authed = async () => {
    const c = await TestClient.authed(room.urls.ws)
    open.push(c)
    return c
  }
  beforeEach(async () => {
    room = await startRoomSimulator({ timeScale: 0, seed: 3 })
  })
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()))
    await room.close()
  })

  const completeOne = async (c: TestClient, name = 'f.bin') => {
    const id = room.offerFile({ fileName: name, size: 100 })
    await c.request('acceptIncomingFileRequest', { fileRequestId: id })
    return id
  }

  it('closeAfterMessages closes each socket after N frames, abruptly or with a code', async () => {
    const c = await authed()
    room.injectFault({ type: 'closeAfterMessages', count: 3 })
    room.offerFile({ fileName: 'a', size: 10 })
    room.offerFile({ fileName: 'b', size: 10 })
    const { code } = await c.closed
    expect(code).toBe(1006)
    expect(c.frames.length).toBe(1 + 3) // the auth reply, then exactly 3 frames
    const d = await authed()
    room.injectFault({ type: 'closeAfterMessages', count: 2, code: 4000 })
    room.offerFile({ fileName: 'c', size: 10 })
    expect((await d.closed).code).toBe(4000)
    room.clearFaults()
    const e = await authed()
    room.offerFile({ fileName: 'd', size: 10 })
    await e.waitForEvent('fileRequestStatusChanged')
    expect(e.isOpen).toBe(true)
    // Faults never touch the ground truth: four offers, all waiting.
    expect(room.groundTruth().map((g) => g.status)).toEqual([1, 1, 1, 1])
  })

  it('randomClose terminates sockets at seeded random points', async () => {
    const c = await authed()
    room.injectFault({ type: 'randomClose', probability: 0.2 })
    for (let i = 0; i < 40; i++) room.offerFile({ fileName: `r${i}`, size: 1 })
    expect((await c.closed).code).toBe(1006)
    expect(c.frames.length).toBeLessThan(81)
    expect(room.groundTruth().length).toBe(40)
  })

  it('malformedFrames interleaves invalid JSON, wrong-typed events and oversized frames', async () => {
    const c = await authed()
    room.injectFault({
      type: 'malformedFrames',
      kinds: ['json', 'schema', 'oversized'],
      oversizedBytes: 2048,
    })
    const id = await completeOne(c)
    await c.waitForEvent(
      'fileRequestStatusChanged',
      (e) => e.fileRequestId === id && e.status === 3,
    )
    const reasons = new Set(c.failures.map((f) => f.reason))
    expect(reasons.has('json')).toBe(true)
    expect(reasons.has('schema')).toBe(true)
    expect(c.frames.some((f) => f.length === 2048)).toBe(true)
    // Every real event still arrived.
    expect(c.events.filter((e) => e.event !== 'simulatorPadding').length).toBe(11)
  })

  it('duplicateEvents sends events twice', async () => {
    const c = await authed()
    room.injectFault({ type: 'duplicateEvents' })
    const id = room.offerFile({ fileName: 'd', size: 1 })
    await c.waitForEvent('fileRequestStatusChanged', (e) => e.fileRequestId === id)
    await c.waitForCount(1 + 4)
    expect(fileEvents(c)).toEqual([
      `receivedFileRequest:${id}:`,
      `receivedFileRequest:${id}:`,
      `fileRequestStatusChanged:${id}:1`,
      `fileRequestStatusChanged:${id}:1`,
    ])
  })

  it('reorderEvents swaps events and loses none', async () => {
    const c = await authed()
    room.injectFault({ type: 'reorderEvents' })
    const id = await completeOne(c)
    await c.waitForEvent(
      'fileRequestStatusChanged',
      (e) => e.fileRequestId === id && e.status === 3,
    )
    await room.idle()
    room.clearFaults() // flushes a held event
    await c.waitForCount(1 + 1 + 11)
    const got = fileEvents(c)
    const inOrder = [
      `receivedFileRequest:${id}:`,
      `fileRequestStatusChanged:${id}:1`,
      `incomingFileRequestAccepted:${id}:`,
      `fileRequestStatusChanged:${id}:2`,
      ...[0, 20, 40, 60, 80, 100].map((p) => `incomingFileRequestDownloadingProgress:${id}:${p}`),
      `fileRequestStatusChanged:${id}:3`,
    ]
    expect(got).not.toEqual(inOrder)
    expect([...got].sort()).toEqual([...inOrder].sort())
  })

  it('stallReplies holds replies, still in order, while events flow', async () => {
    const c = await authed()
    room.injectFault({ type: 'stallReplies', durationMs: 150 })
    const started = Date.now()
    const first = c.request('getFileList', {}, 'a')
    const second = c.request('getFileTransferAvailability', {}, 'b')
    room.offerFile({ fileName: 'during-stall', size: 1 })
    await c.waitForEvent('receivedFileRequest')
    const eventIndex = c.messages.length
    await Promise.all([first, second])
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    const replies = c.messages.slice(eventIndex).filter((m) => m.method !== 'event')
    expect(replies.map((m) => (m as { requestId?: string }).requestId)).toEqual(['a', 'b'])
  })

  it('disconnectClients closes every client, cleanly with 1000 when asked', async () => {
    const a = await authed()
    const b = await authed()
    room.disconnectClients(1000)
    expect((await a.closed).code).toBe(1000)
    expect((await b.closed).code).toBe(1000)
    const d = await authed()
    room.disconnectClients()
    expect((await d.closed).code).toBe(1006)
  })
})
