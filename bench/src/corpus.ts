import type { FileEvent, FileRequestStatusChanged, UnknownEvent } from '@org/file-events-codec'
import { pick, seededRandom, uuid } from './random'

const PEERS = [
  ['820_1@some.server', '820_1'],
  ['alice@video.example.com', 'Alice Martin'],
  ['bob.k@video.example.com', 'Bob Kowalski'],
] as const
const FILES = ['2.jpg', 'quarterly report 2026.pdf', 'Screenshot (1).png', '777.zip', 'notes.txt']

/** `fileRequestStatusChanged` frames as a room sends them: inbound and outbound, p2p and conference. */
export const statusChangedFrames = (count: number, seed = 1): string[] => {
  const random = seededRandom(seed)
  return Array.from({ length: count }, (_, i) => JSON.stringify(statusChanged(random, i)))
}

const statusChanged = (random: () => number, i: number): FileRequestStatusChanged => {
  const outbound = random() < 0.5
  const conference = outbound && random() < 0.3
  const [peerId, peerDisplayName] = pick(random, PEERS)
  const status = pick(random, [0, 1, 2, 3] as const)
  return {
    method: 'event',
    event: 'fileRequestStatusChanged',
    fileRequestId: uuid(random),
    status,
    directionType: outbound ? 1 : 0,
    fileName: pick(random, FILES),
    timestamp: outbound ? 1659286530 + i : 1659284222850 + i,
    fileSize: Math.floor(random() * 1e8),
    ...(conference ? { confId: '00000172c08f078a@some.server#vcs' } : { peerId, peerDisplayName }),
    ...(outbound || status === 3 ? { fileId: Math.floor(random() * 1e9) } : {}),
  }
}

/** Events of other kinds, as sent (the type brands an unknown event's name, so these are cast once). */
const UNKNOWN = [
  { method: 'event', event: 'appStateChanged', appState: 5 },
  {
    method: 'event',
    event: 'videoMatrixChanged',
    matrixType: 3,
    mainWindowWidth: 1920,
    mainWindowHeight: 1080,
    participants: [],
  },
  {
    method: 'event',
    event: 'newParticipantInConference',
    peerId: '820_1@some.server',
    peerDn: '820_1',
    confId: 'c1@some.server#vcs',
  },
  { method: 'event', event: 'usersStatusesChanged', usersStatuses: [{ peerId: 'a@s', status: 1 }] },
] as ReadonlyArray<object> as ReadonlyArray<UnknownEvent>

/** Every file event, plus events of other kinds, in a seeded order: a realistic mixed stream. */
export const mixedFrames = (count: number, seed = 2): string[] => {
  const random = seededRandom(seed)
  return Array.from({ length: count }, (_, i) => JSON.stringify(mixedEvent(random, i)))
}

const mixedEvent = (random: () => number, i: number): FileEvent | UnknownEvent => {
  const [peerId, peerDn] = pick(random, PEERS)
  const fileRequestId = uuid(random)
  const fileName = pick(random, FILES)
  const fileSize = Math.floor(random() * 1e8)
  const timestamp = 1659284222850 + i
  const fileId = Math.floor(random() * 1e9)
  const kind = Math.floor(random() * 13)
  switch (kind) {
    case 0:
    case 1:
      return statusChanged(random, i)
    case 2:
      return {
        method: 'event',
        event: 'receivedFileRequest',
        fileRequestId,
        peerId,
        peerDn,
        fileName,
        fileSize,
        timestamp,
      }
    case 3:
      return {
        method: 'event',
        event: 'incomingFileRequestAccepted',
        fileRequestId,
        peerId,
        peerDn,
        fileName,
        fileSize,
        timestamp,
      }
    case 4:
      return {
        method: 'event',
        event: 'incomingFileRequestRejected',
        fileRequestId,
        peerId,
        peerDn,
        fileName,
        fileSize,
        timestamp,
      }
    case 5:
      return {
        method: 'event',
        event: 'incomingFileRequestDownloadingProgress',
        fileSize,
        processedPercents: Math.floor(random() * 101),
        fileRequestId,
        fileName,
        peerId,
        peerDisplayName: peerDn,
        timestamp,
      }
    case 6:
      return {
        method: 'event',
        event: 'outgoingFileRequestSent',
        fileRequestId,
        peerId,
        peerDn,
        fileName,
        timestamp: 1659286530,
        fileSize,
        fileId,
      }
    case 7:
      return {
        method: 'event',
        event: 'outgoingFileRequestSentToConference',
        fileRequestId,
        fileName,
        timestamp: 1659287236,
        fileSize,
        confId: '00000172c08f078a@some.server#vcs',
        fileId,
      }
    case 8:
      return {
        method: 'event',
        event: 'outgoingFileRequestUploadingProgress',
        fileSize,
        processedPercents: Math.floor(random() * 101),
        fileRequestId,
        fileName,
        timestamp: 1659289349,
        fileId,
        peerId,
        peerDisplayName: peerDn,
      }
    case 9:
      return {
        method: 'event',
        event: 'fileTransferAvailabilityChanged',
        availability: pick(random, [0, 1, 2, 3] as const),
      }
    case 10:
      return {
        method: 'event',
        event: 'fileDeletedFromFileTransferHistory',
        directionType: 0,
        fileName,
        fileSize,
        timestamp,
        removedFromDisk: random() < 0.5,
        fileRequestId,
        peerDn,
        peerId,
        fileId,
      }
    case 11:
      return { method: 'event', event: 'fileTransferHistoryCleared' }
    default:
      return pick(random, UNKNOWN)
  }
}

/**
 * What a busy room sends: transfers in both directions going through their whole lifecycle
 * (offer or send, status changes, progress, completion or failure), interleaved `concurrent` at a
 * time, with some events of other kinds between them.
 */
export const transferFrames = (count: number, seed = 3, concurrent = 50): string[] => {
  const random = seededRandom(seed)
  const frames: string[] = []
  interface Transfer {
    id: string
    outbound: boolean
    fileName: string
    fileSize: number
    fileId: number
    step: number
    peer: readonly [string, string]
  }
  const start = (): Transfer => ({
    id: uuid(random),
    outbound: random() < 0.5,
    fileName: pick(random, FILES),
    fileSize: Math.floor(random() * 1e7),
    fileId: Math.floor(random() * 1e9),
    step: 0,
    peer: pick(random, PEERS),
  })
  const slots: Transfer[] = Array.from({ length: concurrent }, start)
  let timestamp = 1659284222850
  while (frames.length < count) {
    if (random() < 0.05) {
      frames.push(JSON.stringify(pick(random, UNKNOWN)))
      continue
    }
    const slot = Math.floor(random() * concurrent)
    const x = slots[slot] as Transfer
    const [peerId, peerDn] = x.peer
    const base = { fileRequestId: x.id, fileName: x.fileName, fileSize: x.fileSize }
    const ts = x.outbound ? Math.floor(timestamp / 1000) : timestamp
    timestamp++
    const status = (s: 0 | 1 | 2 | 3): FileRequestStatusChanged => ({
      method: 'event',
      event: 'fileRequestStatusChanged',
      ...base,
      status: s,
      directionType: x.outbound ? 1 : 0,
      timestamp: ts,
      peerId,
      peerDisplayName: peerDn,
      ...(x.outbound || s === 3 ? { fileId: x.fileId } : {}),
    })
    let event: FileEvent
    if (x.step === 0)
      event = x.outbound
        ? {
            method: 'event',
            event: 'outgoingFileRequestSent',
            ...base,
            peerId,
            peerDn,
            timestamp: ts,
            fileId: x.fileId,
          }
        : { method: 'event', event: 'receivedFileRequest', ...base, peerId, peerDn, timestamp: ts }
    else if (x.step === 1) event = status(1)
    else if (x.step === 2)
      event = x.outbound
        ? status(2)
        : {
            method: 'event',
            event: 'incomingFileRequestAccepted',
            ...base,
            peerId,
            peerDn,
            timestamp: ts,
          }
    else if (x.step === 3) event = status(2)
    else if (x.step < 9) {
      const processedPercents = (x.step - 3) * 20
      event = x.outbound
        ? {
            method: 'event',
            event: 'outgoingFileRequestUploadingProgress',
            ...base,
            processedPercents,
            timestamp: ts,
            fileId: x.fileId,
            peerId,
            peerDisplayName: peerDn,
          }
        : {
            method: 'event',
            event: 'incomingFileRequestDownloadingProgress',
            ...base,
            processedPercents,
            peerId,
            peerDisplayName: peerDn,
            timestamp: ts,
          }
    } else event = status(random() < 0.05 ? 0 : 3)
    frames.push(JSON.stringify(event))
    x.step++
    if (x.step > 9) slots[slot] = start()
  }
  return frames
}
