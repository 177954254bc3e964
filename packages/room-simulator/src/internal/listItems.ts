import type {
  FileTransferHistoryItem,
  IncomingFileRequestItem,
  OutgoingFileRequestItem,
} from '@org/file-events-codec'
import type { GroundTruthEntry } from '../types'
import { peerFields } from './recordFields'
import type { FileRequestRecord } from './RoomState'

// One record as each of the room's lists shows it (the lists spell some fields their own way).

export const incomingItem = (r: FileRequestRecord): IncomingFileRequestItem => ({
  fileRequestId: r.fileRequestId,
  peerId: r.peerId ?? '',
  peerDn: r.peerDn ?? '',
  fileName: r.fileName,
  size: r.fileSize,
  status: r.status,
  timestamp: r.timestamp,
  ...(r.fileId !== undefined ? { fileId: r.fileId } : {}),
  ...(r.confId !== undefined ? { confId: r.confId } : {}),
})

export const outgoingItem = (r: FileRequestRecord): OutgoingFileRequestItem => ({
  fileRequestId: r.fileRequestId,
  fileName: r.fileName,
  status: r.status,
  size: r.fileSize,
  timestamp: r.timestamp,
  ...peerFields(r, 'peerDn'),
  fileId: r.fileId ?? 0,
})

export const historyItem = (r: FileRequestRecord): FileTransferHistoryItem => ({
  directionType: r.directionType,
  fileName: r.fileName,
  fileSize: r.fileSize,
  timestamp: r.timestamp,
  fileRequestId: r.fileRequestId,
  ...peerFields(r, 'peerDn'),
  fileId: r.fileId ?? 0,
})

/** What the simulator knows of a request, for a test to compare a client's view with. */
export const groundTruthEntry = (r: FileRequestRecord): GroundTruthEntry => ({
  fileRequestId: r.fileRequestId,
  directionType: r.directionType,
  fileName: r.fileName,
  fileSize: r.fileSize,
  status: r.status,
  rejected: r.rejected,
  ...(r.fileId !== undefined ? { fileId: r.fileId } : {}),
  ...(r.peerId !== undefined ? { peerId: r.peerId } : {}),
  ...(r.confId !== undefined ? { confId: r.confId } : {}),
})
