import * as t from 'io-ts'
import { DirectionType, FileRequestStatus, FileTransferAvailability } from './enums'
import { atLeastOneOf, labelled } from './internal/codecs'
import { ConfId, FileId, FileRequestId, FileSize, Percent, PeerId, Timestamp } from './primitives'

const envelope = <E extends string>(event: E) => ({
  method: t.literal('event'),
  event: t.literal(event),
})

/**
 * The size in bytes, as `fileSize` (events, `getFileRequestInfo`, history) or `size` (the request
 * lists). At least one must be present; read it with `fileSizeOf`.
 *
 * @category fields
 * @since 0.1.0
 */
export const FileSizeField = /*#__PURE__*/ atLeastOneOf(
  { fileSize: FileSize, size: FileSize },
  'FileSize (fileSize or size)',
)
/** @category fields @since 0.1.0 */
export interface FileSizeField extends t.TypeOf<typeof FileSizeField> {}

/** Display-name spellings: `peerDisplayName` in status and progress messages, `peerDn` elsewhere. */
const peerNames = { peerDisplayName: t.string, peerDn: t.string }

/**
 * The fields that describe a file request in `fileRequestStatusChanged` and the
 * `getFileRequestInfo` reply.
 *
 * @category fields
 * @since 0.1.0
 */
export const fileRequestInfoProps = {
  fileRequestId: FileRequestId,
  status: FileRequestStatus,
  directionType: DirectionType,
  fileName: t.string,
  timestamp: Timestamp,
}

/**
 * The optional fields of a file request. The public sources disagree on when they appear, so none
 * is enforced; see {@link FileRequestStatusChanged}.
 *
 * @category fields
 * @since 0.1.0
 */
export const fileRequestOptionalProps = /*#__PURE__*/ Object.assign(
  {},
  { fileId: FileId, peerId: PeerId },
  peerNames,
  { confId: ConfId },
)

/**
 * `fileRequestStatusChanged` (4.1.0+): a file request's status changed.
 *
 * Presence of the optional fields, as documented (not enforced, because the sources disagree):
 * - `peerId`, `peerDisplayName`: present for every inbound request; absent for an outbound request
 *   to a group conference.
 * - `fileId`: present for outbound requests and for inbound ones once processed (status 3); the
 *   `getFileRequestInfo` page says outbound only.
 * - `confId`: the conference the request was made in; empty (`""`) or absent outside a conference.
 * - `fileSize` (or `size`) is required; `timestamp` is seconds or milliseconds.
 *
 * @example
 * import { FileRequestStatusChanged } from '@org/file-events-codec'
 * import { isRight } from 'fp-ts/lib/Either.js'
 * const result = FileRequestStatusChanged.decode({
 *   method: 'event', event: 'fileRequestStatusChanged', fileRequestId: '6c0e20a7', status: 2,
 *   directionType: 0, fileName: '2.jpg', timestamp: 1659284222850, fileSize: 3200,
 * })
 * isRight(result) // true
 *
 * @category events
 * @since 0.1.0
 */
export const FileRequestStatusChanged = /*#__PURE__*/ labelled(
  /*#__PURE__*/ t.intersection(
    [
      /*#__PURE__*/ t.type(
        /*#__PURE__*/ Object.assign(
          {},
          /*#__PURE__*/ envelope('fileRequestStatusChanged'),
          fileRequestInfoProps,
        ),
      ),
      FileSizeField,
      /*#__PURE__*/ t.partial(fileRequestOptionalProps),
    ],
    'FileRequestStatusChanged',
  ),
  'fileRequestStatusChanged',
)
/** @category events @since 0.1.0 */
export interface FileRequestStatusChanged extends t.TypeOf<typeof FileRequestStatusChanged> {}

const inboundEvent = <E extends string, P extends t.Props>(event: E, extra: P, name: string) =>
  labelled(
    t.intersection(
      [
        t.type({
          ...envelope(event),
          fileRequestId: FileRequestId,
          fileName: t.string,
          peerId: PeerId,
          timestamp: Timestamp,
          ...extra,
        }),
        FileSizeField,
        t.partial({ ...peerNames, confId: ConfId }),
      ],
      name,
    ),
    event,
  )

/**
 * `receivedFileRequest`: a peer offers a file to the room; the request waits for
 * `acceptIncomingFileRequest` or `rejectIncomingFileRequest`. `confId` only inside a conference.
 *
 * @category events
 * @since 0.1.0
 */
export const ReceivedFileRequest = /*#__PURE__*/ inboundEvent(
  'receivedFileRequest',
  {},
  'ReceivedFileRequest',
)
/** @category events @since 0.1.0 */
export interface ReceivedFileRequest extends t.TypeOf<typeof ReceivedFileRequest> {}

/**
 * `incomingFileRequestAccepted`: the room accepted an inbound file request.
 *
 * @category events
 * @since 0.1.0
 */
export const IncomingFileRequestAccepted = /*#__PURE__*/ inboundEvent(
  'incomingFileRequestAccepted',
  {},
  'IncomingFileRequestAccepted',
)
/** @category events @since 0.1.0 */
export interface IncomingFileRequestAccepted extends t.TypeOf<typeof IncomingFileRequestAccepted> {}

/**
 * `incomingFileRequestRejected`: an inbound file request was declined. Rejection has no status
 * value of its own; this event is how a request ends rejected.
 *
 * @category events
 * @since 0.1.0
 */
export const IncomingFileRequestRejected = /*#__PURE__*/ inboundEvent(
  'incomingFileRequestRejected',
  {},
  'IncomingFileRequestRejected',
)
/** @category events @since 0.1.0 */
export interface IncomingFileRequestRejected extends t.TypeOf<typeof IncomingFileRequestRejected> {}

/**
 * `incomingFileRequestDownloadingProgress`: how much of an inbound file the room has received,
 * in `processedPercents` (0..100).
 *
 * @category events
 * @since 0.1.0
 */
export const IncomingFileRequestDownloadingProgress = /*#__PURE__*/ inboundEvent(
  'incomingFileRequestDownloadingProgress',
  { processedPercents: Percent },
  'IncomingFileRequestDownloadingProgress',
)
/** @category events @since 0.1.0 */
export interface IncomingFileRequestDownloadingProgress extends t.TypeOf<
  typeof IncomingFileRequestDownloadingProgress
> {}

/**
 * `outgoingFileRequestSent`: `sendFile` to a user is being executed.
 *
 * @category events
 * @since 0.1.0
 */
export const OutgoingFileRequestSent = /*#__PURE__*/ labelled(
  /*#__PURE__*/ t.intersection(
    [
      /*#__PURE__*/ t.type(
        /*#__PURE__*/ Object.assign({}, /*#__PURE__*/ envelope('outgoingFileRequestSent'), {
          fileRequestId: FileRequestId,
          peerId: PeerId,
          fileName: t.string,
          timestamp: Timestamp,
          fileId: FileId,
        }),
      ),
      FileSizeField,
      /*#__PURE__*/ t.partial(/*#__PURE__*/ Object.assign({}, peerNames, { confId: ConfId })),
    ],
    'OutgoingFileRequestSent',
  ),
  'outgoingFileRequestSent',
)
/** @category events @since 0.1.0 */
export interface OutgoingFileRequestSent extends t.TypeOf<typeof OutgoingFileRequestSent> {}

/**
 * `outgoingFileRequestSentToConference`: a file was sent to the chat of the ongoing group
 * conference `confId`. No peer fields.
 *
 * @category events
 * @since 0.1.0
 */
export const OutgoingFileRequestSentToConference = /*#__PURE__*/ labelled(
  /*#__PURE__*/ t.intersection(
    [
      /*#__PURE__*/ t.type(
        /*#__PURE__*/ Object.assign(
          {},
          /*#__PURE__*/ envelope('outgoingFileRequestSentToConference'),
          {
            fileRequestId: FileRequestId,
            fileName: t.string,
            timestamp: Timestamp,
            fileId: FileId,
            confId: ConfId,
          },
        ),
      ),
      FileSizeField,
    ],
    'OutgoingFileRequestSentToConference',
  ),
  'outgoingFileRequestSentToConference',
)
/** @category events @since 0.1.0 */
export interface OutgoingFileRequestSentToConference extends t.TypeOf<
  typeof OutgoingFileRequestSentToConference
> {}

/**
 * `outgoingFileRequestUploadingProgress`: how much of an outbound file has been sent, in
 * `processedPercents`. Peer fields only for a user; `confId` only for a conference.
 *
 * @category events
 * @since 0.1.0
 */
export const OutgoingFileRequestUploadingProgress = /*#__PURE__*/ labelled(
  /*#__PURE__*/ t.intersection(
    [
      /*#__PURE__*/ t.type(
        /*#__PURE__*/ Object.assign(
          {},
          /*#__PURE__*/ envelope('outgoingFileRequestUploadingProgress'),
          {
            processedPercents: Percent,
            fileRequestId: FileRequestId,
            fileName: t.string,
            timestamp: Timestamp,
            fileId: FileId,
          },
        ),
      ),
      FileSizeField,
      /*#__PURE__*/ t.partial(
        /*#__PURE__*/ Object.assign({}, { peerId: PeerId }, peerNames, { confId: ConfId }),
      ),
    ],
    'OutgoingFileRequestUploadingProgress',
  ),
  'outgoingFileRequestUploadingProgress',
)
/** @category events @since 0.1.0 */
export interface OutgoingFileRequestUploadingProgress extends t.TypeOf<
  typeof OutgoingFileRequestUploadingProgress
> {}

/**
 * `fileTransferAvailabilityChanged`: whether files can be sent and received changed.
 *
 * @category events
 * @since 0.1.0
 */
export const FileTransferAvailabilityChanged = /*#__PURE__*/ labelled(
  /*#__PURE__*/ t.type(
    /*#__PURE__*/ Object.assign({}, /*#__PURE__*/ envelope('fileTransferAvailabilityChanged'), {
      availability: FileTransferAvailability,
    }),
    'FileTransferAvailabilityChanged',
  ),
  'fileTransferAvailabilityChanged',
)
/** @category events @since 0.1.0 */
export interface FileTransferAvailabilityChanged extends t.TypeOf<
  typeof FileTransferAvailabilityChanged
> {}

/**
 * `fileDeletedFromFileTransferHistory`: a request was removed from the history and, when
 * `removedFromDisk`, its file deleted.
 *
 * @category events
 * @since 0.1.0
 */
export const FileDeletedFromFileTransferHistory = /*#__PURE__*/ labelled(
  /*#__PURE__*/ t.intersection(
    [
      /*#__PURE__*/ t.type(
        /*#__PURE__*/ Object.assign(
          {},
          /*#__PURE__*/ envelope('fileDeletedFromFileTransferHistory'),
          {
            directionType: DirectionType,
            fileName: t.string,
            timestamp: Timestamp,
            removedFromDisk: t.boolean,
            fileRequestId: FileRequestId,
            fileId: FileId,
          },
        ),
      ),
      FileSizeField,
      /*#__PURE__*/ t.partial(
        /*#__PURE__*/ Object.assign({}, { peerId: PeerId }, peerNames, { confId: ConfId }),
      ),
    ],
    'FileDeletedFromFileTransferHistory',
  ),
  'fileDeletedFromFileTransferHistory',
)
/** @category events @since 0.1.0 */
export interface FileDeletedFromFileTransferHistory extends t.TypeOf<
  typeof FileDeletedFromFileTransferHistory
> {}

/**
 * `fileTransferHistoryCleared`: the whole history was cleared (`clearFileTransferHistory`). Its
 * payload is not publicly documented; extra fields are kept.
 *
 * @category events
 * @since 0.1.0
 */
export const FileTransferHistoryCleared = /*#__PURE__*/ labelled(
  /*#__PURE__*/ t.type(
    /*#__PURE__*/ envelope('fileTransferHistoryCleared'),
    'FileTransferHistoryCleared',
  ),
  'fileTransferHistoryCleared',
)
/** @category events @since 0.1.0 */
export interface FileTransferHistoryCleared extends t.TypeOf<typeof FileTransferHistoryCleared> {}

/**
 * Every file event codec by its wire name.
 *
 * @category events
 * @since 0.1.0
 */
export const fileEventCodecs = {
  fileRequestStatusChanged: FileRequestStatusChanged,
  receivedFileRequest: ReceivedFileRequest,
  incomingFileRequestAccepted: IncomingFileRequestAccepted,
  incomingFileRequestRejected: IncomingFileRequestRejected,
  incomingFileRequestDownloadingProgress: IncomingFileRequestDownloadingProgress,
  outgoingFileRequestSent: OutgoingFileRequestSent,
  outgoingFileRequestSentToConference: OutgoingFileRequestSentToConference,
  outgoingFileRequestUploadingProgress: OutgoingFileRequestUploadingProgress,
  fileTransferAvailabilityChanged: FileTransferAvailabilityChanged,
  fileDeletedFromFileTransferHistory: FileDeletedFromFileTransferHistory,
  fileTransferHistoryCleared: FileTransferHistoryCleared,
} as const

/**
 * The wire name of a file event (`fileRequestStatusChanged`, ...).
 *
 * @category events
 * @since 0.1.0
 */
export type FileEventName = keyof typeof fileEventCodecs

/**
 * The wire names of the file events, in documentation order.
 *
 * @category events
 * @since 0.1.0
 */
export const FILE_EVENT_NAMES: ReadonlyArray<FileEventName> = /*#__PURE__*/ Object.freeze(
  /*#__PURE__*/ Object.keys(fileEventCodecs) as FileEventName[],
)

/**
 * Whether `name` is the wire name of a file event.
 *
 * @category events
 * @since 0.1.0
 */
export const isFileEventName = (name: string): name is FileEventName =>
  FILE_EVENT_NAME_SET.has(name)

// A Set: this runs on every frame, and `hasOwnProperty` with a variable key is a slow lookup.
const FILE_EVENT_NAME_SET: ReadonlySet<string> = /*#__PURE__*/ new Set(FILE_EVENT_NAMES)

/**
 * Any file event. Narrow on `event`:
 *
 * @example
 * import type { FileEvent } from '@org/file-events-codec'
 * const describe = (e: FileEvent): string => {
 *   switch (e.event) {
 *     case 'fileRequestStatusChanged': return `status ${e.status}`
 *     case 'incomingFileRequestDownloadingProgress': return `${e.processedPercents} %`
 *     default: return e.event
 *   }
 * }
 *
 * @category events
 * @since 0.1.0
 */
export const FileEvent = /*#__PURE__*/ t.union(
  /*#__PURE__*/ Object.values(fileEventCodecs) as unknown as [
    FileEventCodec,
    FileEventCodec,
    ...FileEventCodec[],
  ],
  'FileEvent',
)
/** @category events @since 0.1.0 */
export type FileEvent = {
  [N in FileEventName]: t.TypeOf<(typeof fileEventCodecs)[N]>
}[FileEventName]

/** The codec of any one file event. */
type FileEventCodec = (typeof fileEventCodecs)[FileEventName]

/**
 * The file event of a given wire name.
 *
 * @category events
 * @since 0.1.0
 */
export type FileEventOf<N extends FileEventName> = Extract<FileEvent, { event: N }>

/**
 * Any event whose name is not a file event's (`appStateChanged`, legacy `fileStatus`, ...): the
 * envelope only, every other field kept as sent. `RoomMessage` never decodes a file event's name
 * as an `UnknownEvent`.
 *
 * @category events
 * @since 0.1.0
 */
export const UnknownEvent: t.Type<UnknownEvent, UnknownEvent, unknown> = /*#__PURE__*/ t.type(
  { method: /*#__PURE__*/ t.literal('event'), event: t.string },
  'UnknownEvent',
) as unknown as t.Type<UnknownEvent, UnknownEvent, unknown>

/** The brand of {@link UnknownEvent}; exists only in types, and is not exported. */
declare const unknownEventBrand: unique symbol

/**
 * An event whose name is not a file event's. The type carries a type-only brand (no such key
 * exists at run time), so that no file event is assignable to it: `isUnknownEvent` and
 * `isFileEvent` then narrow both ways, as `if`/`else` pairs, while `event` stays a plain string
 * that a `switch` narrows on. Build one for a test with `UnknownEvent.is` or a decode.
 *
 * @category events
 * @since 0.1.0
 */
export type UnknownEvent = {
  readonly method: 'event'
  readonly event: string
  readonly [unknownEventBrand]: true
} & {
  readonly [key: string]: unknown
}
