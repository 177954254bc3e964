import {
  type DirectionType,
  type FileEvent,
  type FileId,
  type FileRequestStatus,
  type FileTransferHistoryItem,
  type IncomingFileRequestItem,
  type OutgoingFileRequestItem,
  confIdOf,
  fileSizeOf,
  peerDisplayNameOf,
} from '@org/file-events-codec'

/*
 * What one event, list item or info reply says about a request (`Update`), read into one shape
 * for the tracker's `upsert`. Only the file-request reducer uses it.
 */

/**
 * What one event or list item says about a request.
 *
 * @internal
 */
export interface Update {
  id: string
  direction: DirectionType
  fileName: string
  fileSize: number | undefined
  peerId: string | undefined
  peerDisplayName: string | undefined
  confId: string | undefined
  fileId: FileId | undefined
  /** A status stated by the room. */
  status: FileRequestStatus | undefined
  /** The least status the message implies (1 for an offer, 2 for progress). */
  implied: FileRequestStatus
  percent: number | undefined
  rejected: boolean
  /** Whether this message can be the first one about a request. */
  opening: boolean
  /**
   * A list item or info reply: it may predate events already folded, so a lower status from it is
   * expected, not an anomaly.
   */
  lagging: boolean
}

/**
 * The fields every file-request event declares (its codec checks them), read on one path. The
 * fields only some declare (`fileId`, the peer's) are read per kind of event in `fromEvent`.
 */
interface CommonFields {
  readonly fileRequestId: string
  readonly fileName: string
  readonly fileSize?: number
  readonly size?: number
  readonly confId?: string
}

/**
 * One reusable update record: the reducer allocates as little as it can per event.
 *
 * @internal
 */
export const newUpdate = (): Update => ({
  id: '',
  direction: 0,
  fileName: '',
  fileSize: undefined,
  peerId: undefined,
  peerDisplayName: undefined,
  confId: undefined,
  fileId: undefined,
  status: undefined,
  implied: 1,
  percent: undefined,
  rejected: false,
  opening: true,
  lagging: false,
})

/**
 * Fills `u` from a file-request event; false for the events that are not about one request.
 *
 * @internal
 */
export const fromEvent = (event: FileEvent, u: Update): boolean => {
  let direction: DirectionType = 0
  let implied: FileRequestStatus = 1
  let opening = true
  let status: FileRequestStatus | undefined
  let percent: number | undefined
  // `fileId` and the peer's fields are read only from the kinds of event that declare them: on any
  // other, a room may send them, but nothing checked them.
  let fileId: FileId | undefined
  let peerId: string | undefined
  let peerDisplayName: string | undefined
  switch (event.event) {
    case 'fileRequestStatusChanged':
      direction = event.directionType
      status = event.status
      opening = event.status <= 1
      fileId = event.fileId
      peerId = event.peerId
      peerDisplayName = peerDisplayNameOf(event)
      break
    case 'receivedFileRequest':
    case 'incomingFileRequestAccepted':
    case 'incomingFileRequestRejected':
      opening = event.event === 'receivedFileRequest'
      peerId = event.peerId
      peerDisplayName = peerDisplayNameOf(event)
      break
    case 'incomingFileRequestDownloadingProgress':
      implied = 2
      opening = false
      percent = event.processedPercents
      peerId = event.peerId
      peerDisplayName = peerDisplayNameOf(event)
      break
    case 'outgoingFileRequestSent':
      direction = 1
      fileId = event.fileId
      peerId = event.peerId
      peerDisplayName = peerDisplayNameOf(event)
      break
    case 'outgoingFileRequestSentToConference':
      direction = 1
      fileId = event.fileId
      break
    case 'outgoingFileRequestUploadingProgress':
      direction = 1
      implied = 2
      opening = false
      percent = event.processedPercents
      fileId = event.fileId
      peerId = event.peerId
      peerDisplayName = peerDisplayNameOf(event)
      break
    default:
      return false
  }
  const e: CommonFields = event
  u.id = e.fileRequestId
  u.direction = direction
  u.fileName = e.fileName
  u.fileSize = e.fileSize ?? e.size
  u.peerId = peerId
  u.peerDisplayName = peerDisplayName
  u.confId = e.confId === '' ? undefined : e.confId
  u.fileId = fileId
  u.status = status
  u.implied = implied
  u.percent = percent
  u.rejected = event.event === 'incomingFileRequestRejected'
  u.opening = opening
  u.lagging = false
  return true
}

/** @internal */
export const itemUpdate = (
  item: IncomingFileRequestItem | OutgoingFileRequestItem | FileTransferHistoryItem,
  direction: DirectionType,
  status: FileRequestStatus,
): Update => ({
  id: item.fileRequestId,
  direction,
  fileName: item.fileName,
  fileSize: fileSizeOf(item),
  peerId: item.peerId,
  peerDisplayName: peerDisplayNameOf(item),
  confId: confIdOf(item),
  fileId: item.fileId,
  status,
  implied: 1,
  percent: undefined,
  rejected: false,
  opening: true,
  lagging: true,
})
