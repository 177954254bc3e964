import type { FileRequestStatusChanged } from '@org/file-events-codec'
import type { FileRequestRecord } from './RoomState'

// The field groups that several of the room's events and lists share, built from one record.

export const displayNameOf = (peerId: string): string => peerId.split('@')[0] || peerId

export const inboundFields = (r: FileRequestRecord) => ({
  fileRequestId: r.fileRequestId,
  peerId: r.peerId ?? '',
  peerDn: r.peerDn ?? '',
  fileName: r.fileName,
  fileSize: r.fileSize,
  timestamp: r.timestamp,
  ...(r.confId !== undefined ? { confId: r.confId } : {}),
})

/** The peer (under the name key the event or list uses) or the conference of a request. */
export const peerFields = (
  r: FileRequestRecord,
  nameKey: 'peerDn' | 'peerDisplayName',
): { peerId?: string; peerDn?: string; peerDisplayName?: string; confId?: string } => {
  const out: { peerId?: string; peerDn?: string; peerDisplayName?: string; confId?: string } = {}
  if (r.peerId !== undefined) {
    out.peerId = r.peerId
    out[nameKey] = r.peerDn ?? displayNameOf(r.peerId)
  }
  if (r.confId !== undefined) out.confId = r.confId
  return out
}

export const statusChanged = (r: FileRequestRecord): FileRequestStatusChanged => ({
  method: 'event',
  event: 'fileRequestStatusChanged',
  fileRequestId: r.fileRequestId,
  status: r.status,
  directionType: r.directionType,
  fileName: r.fileName,
  timestamp: r.timestamp,
  fileSize: r.fileSize,
  ...(r.fileId !== undefined ? { fileId: r.fileId } : {}),
  ...peerFields(r, 'peerDisplayName'),
})
