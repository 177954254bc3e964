import { decodeRoomMessage, isFileEvent } from '@org/file-events-codec'
import { type RoomSimulator, startRoomSimulator } from '../src'
import { bytesOf, uploadedFileId } from './helpers/http'
import { TestClient } from './helpers/TestClient'

const expectAllFramesValid = (c: TestClient): void => {
  for (const frame of c.frames) {
    const decoded = decodeRoomMessage(frame)
    if (decoded._tag === 'Left')
      throw new Error(`invalid frame ${frame}: ${decoded.left.messages.join('; ')}`)
  }
  expect(c.failures).toEqual([])
}

/** The events of one request, as `name` or `name:status` / `name:percent`. */
const trail = (c: TestClient, id: string): string[] =>
  c.events
    .filter((e) => (e as { fileRequestId?: string }).fileRequestId === id)
    .map((e) => {
      const m = e as { event: string; status?: number; processedPercents?: number }
      return m.status !== undefined
        ? `${m.event}:${m.status}`
        : m.processedPercents !== undefined
          ? `${m.event}:${m.processedPercents}`
          : m.event
    })

describe('file transfers over a real socket', () => {
  let room: RoomSimulator
  let c: TestClient

  beforeEach(async () => {
    room = await startRoomSimulator({ pin: '1234', timeScale: 0 })
    c = await TestClient.authed(room.urls.ws, '1234')
  })
  afterEach(async () => {
    await c.close()
    await room.close()
  })

  it('walks an inbound transfer in the documented order and stores the file', async () => {
    const data = bytesOf(5000)
    const id = room.offerFile({
      fileName: 'photo.png',
      data,
      peerId: 'bob@some.server',
      peerDn: 'Bob',
    })
    const received = await c.waitForEvent('receivedFileRequest')
    expect(received).toMatchObject({
      fileRequestId: id,
      peerId: 'bob@some.server',
      peerDn: 'Bob',
      fileName: 'photo.png',
      fileSize: 5000,
    })
    expect(received.timestamp as number).toBeGreaterThan(1e12)
    await c.waitForEvent('fileRequestStatusChanged', (e) => e.status === 1)

    const pending = await c.request('getIncomingFilesRequests')
    expect(pending.incomingFilesRequests).toEqual([
      expect.objectContaining({
        fileRequestId: id,
        peerId: 'bob@some.server',
        peerDn: 'Bob',
        size: 5000,
        status: 1,
      }),
    ])
    expect(await c.request('getFileRequestInfo', { fileRequestId: id })).toMatchObject({
      result: true,
      fileRequestId: id,
      status: 1,
      directionType: 0,
      peerDisplayName: 'Bob',
      fileSize: 5000,
    })

    const accepted = await c.request('acceptIncomingFileRequest', { fileRequestId: id }, '1')
    expect(accepted).toEqual({ method: 'acceptIncomingFileRequest', requestId: '1', result: true })
    const done = await c.waitForEvent(
      'fileRequestStatusChanged',
      (e) => e.fileRequestId === id && e.status === 3,
    )
    expect(typeof done.fileId).toBe('number')
    expect(trail(c, id)).toEqual([
      'receivedFileRequest',
      'fileRequestStatusChanged:1',
      'incomingFileRequestAccepted',
      'fileRequestStatusChanged:2',
      'incomingFileRequestDownloadingProgress:0',
      'incomingFileRequestDownloadingProgress:20',
      'incomingFileRequestDownloadingProgress:40',
      'incomingFileRequestDownloadingProgress:60',
      'incomingFileRequestDownloadingProgress:80',
      'incomingFileRequestDownloadingProgress:100',
      'fileRequestStatusChanged:3',
    ])
    // The accept reply precedes every event it causes.
    const replyIndex = c.messages.findIndex((m) => m.method === 'acceptIncomingFileRequest')
    const acceptedIndex = c.messages.findIndex(
      (m) => m.method === 'event' && m.event === 'incomingFileRequestAccepted',
    )
    expect(replyIndex).toBeLessThan(acceptedIndex)

    const history = await c.request('getFileTransferHistory')
    expect(history.filesRequests).toEqual([
      expect.objectContaining({ fileRequestId: id, directionType: 0, fileId: done.fileId }),
    ])
    const list = await c.request('getFileList')
    expect(list.fileList).toEqual([{ fileId: String(done.fileId), fileName: 'photo.png' }])

    const token = (await c.request('getTokenForHttpServer')).token as string
    const res = await fetch(`${room.urls.http}/files/${String(done.fileId)}?token=${token}`)
    expect(res.status).toBe(200)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(data)
    expect(room.groundTruth()).toEqual([
      {
        fileRequestId: id,
        directionType: 0,
        fileName: 'photo.png',
        fileSize: 5000,
        status: 3,
        rejected: false,
        fileId: done.fileId,
        peerId: 'bob@some.server',
      },
    ])
    expectAllFramesValid(c)
  })

  it('rejects an inbound request', async () => {
    const id = room.offerFile({ fileName: 'x.txt', data: 'hello' })
    await c.waitForEvent('receivedFileRequest')
    expect(await c.request('rejectIncomingFileRequest', { fileRequestId: id })).toMatchObject({
      result: true,
    })
    await c.waitForEvent('incomingFileRequestRejected', (e) => e.fileRequestId === id)
    expect(room.groundTruth()[0]).toMatchObject({ status: 1, rejected: true })
    const again = await c.request('acceptIncomingFileRequest', { fileRequestId: id })
    expect(again).toMatchObject({ result: false, error: `file request ${id} was already rejected` })
    expect(await c.request('acceptIncomingFileRequest', { fileRequestId: 'nope' })).toMatchObject({
      result: false,
    })
    expectAllFramesValid(c)
  })

  it('walks an outbound transfer to a peer (callId or peerId) and to the conference', async () => {
    const token = (await c.request('getTokenForHttpServer')).token as string
    const fileId = await uploadedFileId(room.urls.http, token, bytesOf(3200), '2.jpg')
    const sent = await c.request('sendFile', { fileId, callId: '820_1@some.server' }, '1')
    expect(sent).toMatchObject({ method: 'sendFile', requestId: '1', result: true })
    const id = sent.sentFileRequestId as string
    const first = await c.waitForEvent('outgoingFileRequestSent', (e) => e.fileRequestId === id)
    expect(first).toMatchObject({
      peerId: '820_1@some.server',
      peerDn: '820_1',
      fileName: '2.jpg',
      fileId,
      fileSize: 3200,
    })
    expect(first.timestamp as number).toBeLessThan(1e11)
    await c.waitForEvent(
      'fileRequestStatusChanged',
      (e) => e.fileRequestId === id && e.status === 3,
    )
    expect(trail(c, id)).toEqual([
      'outgoingFileRequestSent',
      'fileRequestStatusChanged:1',
      'fileRequestStatusChanged:2',
      'outgoingFileRequestUploadingProgress:0',
      'outgoingFileRequestUploadingProgress:20',
      'outgoingFileRequestUploadingProgress:40',
      'outgoingFileRequestUploadingProgress:60',
      'outgoingFileRequestUploadingProgress:80',
      'outgoingFileRequestUploadingProgress:100',
      'fileRequestStatusChanged:3',
    ])

    const byPeerId = await c.request('sendFile', {
      fileId: String(fileId),
      peerId: 'dave@some.server',
    })
    expect(byPeerId.result).toBe(true)
    const conf = await c.request('sendFileToConference', { fileId })
    expect(conf.result).toBe(true)
    const confId = conf.sentFileRequestId as string
    const confSent = await c.waitForEvent(
      'outgoingFileRequestSentToConference',
      (e) => e.fileRequestId === confId,
    )
    expect(confSent).not.toHaveProperty('peerId')
    expect(typeof confSent.confId).toBe('string')
    await c.waitForEvent(
      'fileRequestStatusChanged',
      (e) => e.fileRequestId === confId && e.status === 3,
    )
    await room.idle()

    const outgoing = await c.request('getOutgoingFilesRequests')
    expect((outgoing.outgoingFilesRequests as unknown[]).length).toBe(3)
    const history = await c.request('getFileTransferHistory')
    expect((history.filesRequests as unknown[]).length).toBe(3)
    expect(room.groundTruth().map((g) => g.status)).toEqual([3, 3, 3])

    expect(await c.request('sendFile', { fileId: 999, peerId: 'x@y' })).toMatchObject({
      result: false,
      error: 'no file with fileId 999 on the HTTP server',
    })
    expectAllFramesValid(c)
  })

  it('fails transfers with status 0 at a chosen percent, from code and from the offer', async () => {
    const a = room.offerFile({ fileName: 'a.bin', size: 1000, failAtPercent: 40 })
    const b = room.offerFile({ fileName: 'b.bin', size: 1000 })
    await c.request('acceptIncomingFileRequest', { fileRequestId: a })
    await c.waitForEvent('fileRequestStatusChanged', (e) => e.fileRequestId === a && e.status === 0)
    expect(trail(c, a).slice(-3)).toEqual([
      'incomingFileRequestDownloadingProgress:0',
      'incomingFileRequestDownloadingProgress:20',
      'fileRequestStatusChanged:0',
    ])
    room.failTransfer(b)
    await c.waitForEvent('fileRequestStatusChanged', (e) => e.fileRequestId === b && e.status === 0)
    room.failTransfer(b) // already ended: nothing changes
    expect(() => room.failTransfer('missing')).toThrow('no file request')
    expect(room.groundTruth().map((g) => g.status)).toEqual([0, 0])
    expectAllFramesValid(c)
  })

  it('changes availability, deletes a history file and clears the history with their events', async () => {
    room.setAvailability(2)
    expect(await c.waitForEvent('fileTransferAvailabilityChanged')).toMatchObject({
      availability: 2,
    })
    expect(await c.request('getFileTransferAvailability')).toMatchObject({ availability: 2 })
    const id = room.offerFile({ fileName: 'r.txt', data: 'data' })
    expect(await c.request('acceptIncomingFileRequest', { fileRequestId: id })).toMatchObject({
      result: false,
    })
    room.setAvailability(3)
    await c.request('acceptIncomingFileRequest', { fileRequestId: id })
    const done = await c.waitForEvent('fileRequestStatusChanged', (e) => e.status === 3)
    const second = room.offerFile({ fileName: 's.txt', data: 'more' })
    await c.request('acceptIncomingFileRequest', { fileRequestId: second })
    await c.waitForEvent(
      'fileRequestStatusChanged',
      (e) => e.fileRequestId === second && e.status === 3,
    )

    expect(await c.request('deleteFileTransferFile', { fileId: done.fileId })).toMatchObject({
      result: true,
    })
    expect(await c.waitForEvent('fileDeletedFromFileTransferHistory')).toMatchObject({
      fileRequestId: id,
      removedFromDisk: true,
    })
    expect(((await c.request('getFileList')).fileList as unknown[]).length).toBe(1)
    expect(await c.request('deleteFileTransferFile', { fileId: done.fileId })).toMatchObject({
      result: false,
    })

    expect(
      await c.request('clearFileTransferHistory', { deleteFilesFromDisk: true }),
    ).toMatchObject({ result: true })
    await c.waitForEvent('fileTransferHistoryCleared')
    expect((await c.request('getFileTransferHistory')).filesRequests).toEqual([])
    expect((await c.request('getIncomingFilesRequests')).incomingFilesRequests).toEqual([])
    expect((await c.request('getFileList')).fileList).toEqual([])
    // The ground truth keeps every request ever made.
    expect(room.groundTruth().length).toBe(2)
    expectAllFramesValid(c)
  })

  it('sends every event to every authenticated client and none to the others', async () => {
    const second = await TestClient.authed(room.urls.ws, '1234')
    const anonymous = await TestClient.connect(room.urls.ws)
    const id = room.offerFile({ fileName: 'both.txt', data: 'x' })
    await c.request('acceptIncomingFileRequest', { fileRequestId: id })
    await c.waitForEvent('fileRequestStatusChanged', (e) => e.status === 3)
    await second.waitForEvent('fileRequestStatusChanged', (e) => e.status === 3)
    const names = (t: TestClient) => t.events.filter(isFileEvent).map((e) => e.event)
    expect(names(second)).toEqual(names(c))
    // A reply on the anonymous socket proves anything sent before it would have arrived first.
    await anonymous.request('setUsedApiVersion', { version: '1' })
    expect(anonymous.events).toEqual([])
    await second.close()
    await anonymous.close()
  })
})
