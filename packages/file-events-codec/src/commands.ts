import * as t from 'io-ts'
import { AppState, DirectionType, FileRequestStatus, FileTransferAvailability } from './enums'
import { FileSizeField, fileRequestInfoProps, fileRequestOptionalProps } from './events'
import { atLeastOneOf, isRecord, labelled } from './internal/codecs'
import { guardOf } from './internal/guard'
import { withMeta } from './internal/meta'
import { ConfId, FileId, FileRequestId, PeerId, Timestamp } from './primitives'

// ---------------------------------------------------------------------------------------------
// Requests

const requestMeta = /*#__PURE__*/ t.partial({ requestId: t.string })

const request = <M extends string, P extends t.Props>(method: M, props: P, name: string) =>
  labelled(
    t.intersection([t.type({ method: t.literal(method), ...props }), requestMeta], name),
    method,
  )

/**
 * `auth` with the room's PIN: `{"method":"auth","type":"secured","credentials":"<pin>"}`.
 * Real clients send it as the first message, often without a `requestId`.
 *
 * @category requests
 * @since 0.1.0
 */
export const SecuredAuthRequest = /*#__PURE__*/ t.intersection(
  [
    /*#__PURE__*/ t.type({
      method: /*#__PURE__*/ t.literal('auth'),
      type: /*#__PURE__*/ t.literal('secured'),
      credentials: t.string,
    }),
    /*#__PURE__*/ t.partial({ requestId: t.string, role: t.string }),
  ],
  'SecuredAuthRequest',
)
/** @category requests @since 0.1.0 */
export interface SecuredAuthRequest extends t.TypeOf<typeof SecuredAuthRequest> {}

/**
 * `auth` to a room without a PIN: `{"method":"auth","type":"unsecured"}`.
 *
 * @category requests
 * @since 0.1.0
 */
export const UnsecuredAuthRequest = /*#__PURE__*/ t.intersection(
  [
    /*#__PURE__*/ t.type({
      method: /*#__PURE__*/ t.literal('auth'),
      type: /*#__PURE__*/ t.literal('unsecured'),
    }),
    /*#__PURE__*/ t.partial({ requestId: t.string, role: t.string }),
  ],
  'UnsecuredAuthRequest',
)
/** @category requests @since 0.1.0 */
export interface UnsecuredAuthRequest extends t.TypeOf<typeof UnsecuredAuthRequest> {}

/**
 * `auth`, secured with a PIN or unsecured.
 *
 * @category requests
 * @since 0.1.0
 */
export const AuthRequest: t.Type<SecuredAuthRequest | UnsecuredAuthRequest> = /*#__PURE__*/ (() => {
  const members = t.union([SecuredAuthRequest, UnsecuredAuthRequest], 'AuthRequest')
  // io-ts dispatches the union on `type`, and an unknown `type` would fail at the root, naming
  // only the union; this names the field, what it may be, and what was sent.
  const withKnownType = t.type({
    type: t.keyof({ secured: null, unsecured: null }, '"secured" | "unsecured"'),
  })
  const codec = new t.Type<SecuredAuthRequest | UnsecuredAuthRequest>(
    'AuthRequest',
    members.is,
    (u, c) => {
      const result = members.validate(u, c)
      if (result._tag === 'Left' && isRecord(u) && !withKnownType.is(u)) {
        return withKnownType.validate(u, c) as unknown as typeof result
      }
      return result
    },
    t.identity,
  )
  return withMeta(codec, { label: 'auth', guard: () => guardOf(members) })
})()
/** @category requests @since 0.1.0 */
export type AuthRequest = SecuredAuthRequest | UnsecuredAuthRequest

/**
 * `getTokenForHttpServer`: a new token for the built-in HTTP server.
 *
 * @category requests
 * @since 0.1.0
 */
export const GetTokenForHttpServerRequest = /*#__PURE__*/ request(
  'getTokenForHttpServer',
  {},
  'GetTokenForHttpServerRequest',
)
/** @category requests @since 0.1.0 */
export interface GetTokenForHttpServerRequest extends t.TypeOf<
  typeof GetTokenForHttpServerRequest
> {}

/**
 * `setUsedApiVersion`: picks the API version (`"1"`, `"2"`); real clients send a string.
 *
 * @category requests
 * @since 0.1.0
 */
export const SetUsedApiVersionRequest = /*#__PURE__*/ request(
  'setUsedApiVersion',
  { version: /*#__PURE__*/ t.union([t.string, t.number], 'ApiVersion') },
  'SetUsedApiVersionRequest',
)
/** @category requests @since 0.1.0 */
export interface SetUsedApiVersionRequest extends t.TypeOf<typeof SetUsedApiVersionRequest> {}

/**
 * `sendFile`: sends an uploaded file (`fileId`) to a user. The documentation names the target
 * `callId`; TrueConf's own clients send `peerId`. One of them is required.
 *
 * @category requests
 * @since 0.1.0
 */
export const SendFileRequest = /*#__PURE__*/ labelled(
  /*#__PURE__*/ t.intersection(
    [
      /*#__PURE__*/ t.type({ method: /*#__PURE__*/ t.literal('sendFile'), fileId: FileId }),
      /*#__PURE__*/ atLeastOneOf({ callId: PeerId, peerId: PeerId }, 'PeerId (callId or peerId)'),
      requestMeta,
    ],
    'SendFileRequest',
  ),
  'sendFile',
)
/** @category requests @since 0.1.0 */
export interface SendFileRequest extends t.TypeOf<typeof SendFileRequest> {}

/**
 * `sendFileToConference`: sends an uploaded file to the chat of the ongoing group conference.
 *
 * @category requests
 * @since 0.1.0
 */
export const SendFileToConferenceRequest = /*#__PURE__*/ request(
  'sendFileToConference',
  { fileId: FileId },
  'SendFileToConferenceRequest',
)
/** @category requests @since 0.1.0 */
export interface SendFileToConferenceRequest extends t.TypeOf<typeof SendFileToConferenceRequest> {}

/**
 * `acceptIncomingFileRequest`: accepts an inbound file request.
 *
 * @category requests
 * @since 0.1.0
 */
export const AcceptIncomingFileRequestRequest = /*#__PURE__*/ request(
  'acceptIncomingFileRequest',
  { fileRequestId: FileRequestId },
  'AcceptIncomingFileRequestRequest',
)
/** @category requests @since 0.1.0 */
export interface AcceptIncomingFileRequestRequest extends t.TypeOf<
  typeof AcceptIncomingFileRequestRequest
> {}

/**
 * `rejectIncomingFileRequest`: declines an inbound file request.
 *
 * @category requests
 * @since 0.1.0
 */
export const RejectIncomingFileRequestRequest = /*#__PURE__*/ request(
  'rejectIncomingFileRequest',
  { fileRequestId: FileRequestId },
  'RejectIncomingFileRequestRequest',
)
/** @category requests @since 0.1.0 */
export interface RejectIncomingFileRequestRequest extends t.TypeOf<
  typeof RejectIncomingFileRequestRequest
> {}

/**
 * `getFileRequestInfo`: the current state of one file request.
 *
 * @category requests
 * @since 0.1.0
 */
export const GetFileRequestInfoRequest = /*#__PURE__*/ request(
  'getFileRequestInfo',
  { fileRequestId: FileRequestId },
  'GetFileRequestInfoRequest',
)
/** @category requests @since 0.1.0 */
export interface GetFileRequestInfoRequest extends t.TypeOf<typeof GetFileRequestInfoRequest> {}

/**
 * `getIncomingFilesRequests`: the inbound file requests not yet finished.
 *
 * @category requests
 * @since 0.1.0
 */
export const GetIncomingFilesRequestsRequest = /*#__PURE__*/ request(
  'getIncomingFilesRequests',
  {},
  'GetIncomingFilesRequestsRequest',
)
/** @category requests @since 0.1.0 */
export interface GetIncomingFilesRequestsRequest extends t.TypeOf<
  typeof GetIncomingFilesRequestsRequest
> {}

/**
 * `getOutgoingFilesRequests`: the outbound file requests not yet finished.
 *
 * @category requests
 * @since 0.1.0
 */
export const GetOutgoingFilesRequestsRequest = /*#__PURE__*/ request(
  'getOutgoingFilesRequests',
  {},
  'GetOutgoingFilesRequestsRequest',
)
/** @category requests @since 0.1.0 */
export interface GetOutgoingFilesRequestsRequest extends t.TypeOf<
  typeof GetOutgoingFilesRequestsRequest
> {}

/**
 * `getFileTransferHistory`: the finished file requests, both directions.
 *
 * @category requests
 * @since 0.1.0
 */
export const GetFileTransferHistoryRequest = /*#__PURE__*/ request(
  'getFileTransferHistory',
  {},
  'GetFileTransferHistoryRequest',
)
/** @category requests @since 0.1.0 */
export interface GetFileTransferHistoryRequest extends t.TypeOf<
  typeof GetFileTransferHistoryRequest
> {}

/**
 * `getFileList`: the files stored on the room's built-in HTTP server.
 *
 * @category requests
 * @since 0.1.0
 */
export const GetFileListRequest = /*#__PURE__*/ request('getFileList', {}, 'GetFileListRequest')
/** @category requests @since 0.1.0 */
export interface GetFileListRequest extends t.TypeOf<typeof GetFileListRequest> {}

/**
 * `getFileTransferAvailability`: whether files can be sent and received now.
 *
 * @category requests
 * @since 0.1.0
 */
export const GetFileTransferAvailabilityRequest = /*#__PURE__*/ request(
  'getFileTransferAvailability',
  {},
  'GetFileTransferAvailabilityRequest',
)
/** @category requests @since 0.1.0 */
export interface GetFileTransferAvailabilityRequest extends t.TypeOf<
  typeof GetFileTransferAvailabilityRequest
> {}

/**
 * `clearFileTransferHistory`: clears the history; with `deleteFilesFromDisk` also the files.
 *
 * @category requests
 * @since 0.1.0
 */
export const ClearFileTransferHistoryRequest = /*#__PURE__*/ labelled(
  /*#__PURE__*/ t.intersection(
    [
      /*#__PURE__*/ t.type({ method: /*#__PURE__*/ t.literal('clearFileTransferHistory') }),
      /*#__PURE__*/ t.partial({ requestId: t.string, deleteFilesFromDisk: t.boolean }),
    ],
    'ClearFileTransferHistoryRequest',
  ),
  'clearFileTransferHistory',
)
/** @category requests @since 0.1.0 */
export interface ClearFileTransferHistoryRequest extends t.TypeOf<
  typeof ClearFileTransferHistoryRequest
> {}

/**
 * `deleteFileTransferFile`: removes a file (by `fileId`) from the history and the disk.
 *
 * @category requests
 * @since 0.1.0
 */
export const DeleteFileTransferFileRequest = /*#__PURE__*/ request(
  'deleteFileTransferFile',
  { fileId: FileId },
  'DeleteFileTransferFileRequest',
)
/** @category requests @since 0.1.0 */
export interface DeleteFileTransferFileRequest extends t.TypeOf<
  typeof DeleteFileTransferFileRequest
> {}

/**
 * `getAppState`: the application state (and, on real rooms, the HTTP server's port).
 *
 * @category requests
 * @since 0.1.0
 */
export const GetAppStateRequest = /*#__PURE__*/ request('getAppState', {}, 'GetAppStateRequest')
/** @category requests @since 0.1.0 */
export interface GetAppStateRequest extends t.TypeOf<typeof GetAppStateRequest> {}

// ---------------------------------------------------------------------------------------------
// Replies

const replyMeta = /*#__PURE__*/ t.partial({
  requestId: t.string,
  error: t.string,
  resultCode: t.number,
})

/**
 * What every reply has: the `method` it answers, the echoed `requestId` (`""` when the request had
 * none; absent in some failure replies), `result`, and on failure an `error` string (and for `auth`
 * a `resultCode`). Replies to commands this package does not model decode with this codec.
 *
 * @category replies
 * @since 0.1.0
 */
export const CommandReply = /*#__PURE__*/ t.intersection(
  [/*#__PURE__*/ t.type({ method: t.string, result: t.boolean }), replyMeta],
  'CommandReply',
)
/** @category replies @since 0.1.0 */
export type CommandReply = t.TypeOf<typeof CommandReply> & { readonly [key: string]: unknown }

/**
 * A failed reply: `result: false`, usually with an `error` string. Payload fields are absent.
 *
 * @category replies
 * @since 0.1.0
 */
export type FailureReply<M extends string> = {
  method: M
  result: false
  requestId?: string
  error?: string
  resultCode?: number
}

/** A reply codec: on `result: false` only the failure shape, otherwise the success payload too. */
const reply = <M extends string, A, O>(method: M, payload: t.Type<A, O, unknown>, name: string) => {
  const success = t.intersection(
    [t.type({ method: t.literal(method), result: t.literal(true) }), replyMeta, payload],
    name,
  )
  const failure = t.intersection(
    [t.type({ method: t.literal(method), result: t.literal(false) }), replyMeta],
    name,
  )
  type Reply = t.TypeOf<typeof success> | FailureReply<M>
  const pick = (u: unknown) => (isRecord(u) && u.result === false ? failure : success)
  const codec = new t.Type<Reply, Reply, unknown>(
    name,
    (u): u is Reply => pick(u).is(u),
    (u, c) => pick(u).validate(u, c) as t.Validation<Reply>,
    t.identity,
  )
  return withMeta(codec, {
    label: method,
    explainAs: pick,
    guard: () => {
      const ok = guardOf(success)
      const failed = guardOf(failure)
      return (u) => (isRecord(u) && u.result === false ? failed(u) : ok(u))
    },
  })
}

const nothing = /*#__PURE__*/ t.type({})

/**
 * Reply to `auth`. Success: `token` (to re-authenticate), `tokenForHttpServer` (for the HTTP
 * server) and the wire's own spelling `previleges`. A wrong PIN: `result: false`, `resultCode: 3`,
 * an `error` string.
 *
 * @category replies
 * @since 0.1.0
 */
export const AuthReply = /*#__PURE__*/ reply(
  'auth',
  /*#__PURE__*/ t.intersection([
    /*#__PURE__*/ t.type({ token: t.string, tokenForHttpServer: t.string }),
    /*#__PURE__*/ t.partial({ previleges: t.number }),
  ]),
  'AuthReply',
)
/** @category replies @since 0.1.0 */
export type AuthReply = t.TypeOf<typeof AuthReply>

/**
 * Reply to `getTokenForHttpServer`: a new `token` for the built-in HTTP server.
 *
 * @category replies
 * @since 0.1.0
 */
export const GetTokenForHttpServerReply = /*#__PURE__*/ reply(
  'getTokenForHttpServer',
  /*#__PURE__*/ t.type({ token: t.string }),
  'GetTokenForHttpServerReply',
)
/** @category replies @since 0.1.0 */
export type GetTokenForHttpServerReply = t.TypeOf<typeof GetTokenForHttpServerReply>

/**
 * Reply to `setUsedApiVersion`: no payload.
 *
 * @category replies
 * @since 0.1.0
 */
export const SetUsedApiVersionReply = /*#__PURE__*/ reply(
  'setUsedApiVersion',
  nothing,
  'SetUsedApiVersionReply',
)
/** @category replies @since 0.1.0 */
export type SetUsedApiVersionReply = t.TypeOf<typeof SetUsedApiVersionReply>

/**
 * Reply to `sendFile`: the new request's id in `sentFileRequestId`.
 *
 * @category replies
 * @since 0.1.0
 */
export const SendFileReply = /*#__PURE__*/ reply(
  'sendFile',
  /*#__PURE__*/ t.type({ sentFileRequestId: FileRequestId }),
  'SendFileReply',
)
/** @category replies @since 0.1.0 */
export type SendFileReply = t.TypeOf<typeof SendFileReply>

/**
 * Reply to `sendFileToConference`. Its payload is not publicly documented; `sentFileRequestId`
 * is read when present, as for `sendFile`.
 *
 * @category replies
 * @since 0.1.0
 */
export const SendFileToConferenceReply = /*#__PURE__*/ reply(
  'sendFileToConference',
  /*#__PURE__*/ t.partial({ sentFileRequestId: FileRequestId }),
  'SendFileToConferenceReply',
)
/** @category replies @since 0.1.0 */
export type SendFileToConferenceReply = t.TypeOf<typeof SendFileToConferenceReply>

/**
 * Reply to `acceptIncomingFileRequest`: no payload; progress follows as events.
 *
 * @category replies
 * @since 0.1.0
 */
export const AcceptIncomingFileRequestReply = /*#__PURE__*/ reply(
  'acceptIncomingFileRequest',
  nothing,
  'AcceptIncomingFileRequestReply',
)
/** @category replies @since 0.1.0 */
export type AcceptIncomingFileRequestReply = t.TypeOf<typeof AcceptIncomingFileRequestReply>

/**
 * Reply to `rejectIncomingFileRequest`: no payload; `incomingFileRequestRejected` follows.
 *
 * @category replies
 * @since 0.1.0
 */
export const RejectIncomingFileRequestReply = /*#__PURE__*/ reply(
  'rejectIncomingFileRequest',
  nothing,
  'RejectIncomingFileRequestReply',
)
/** @category replies @since 0.1.0 */
export type RejectIncomingFileRequestReply = t.TypeOf<typeof RejectIncomingFileRequestReply>

/**
 * Reply to `getFileRequestInfo`: the same fields as `fileRequestStatusChanged`.
 *
 * @category replies
 * @since 0.1.0
 */
export const GetFileRequestInfoReply = /*#__PURE__*/ reply(
  'getFileRequestInfo',
  /*#__PURE__*/ t.intersection([
    /*#__PURE__*/ t.type(fileRequestInfoProps),
    FileSizeField,
    /*#__PURE__*/ t.partial(fileRequestOptionalProps),
  ]),
  'GetFileRequestInfoReply',
)
/** @category replies @since 0.1.0 */
export type GetFileRequestInfoReply = t.TypeOf<typeof GetFileRequestInfoReply>

const listItemOptional = {
  peerId: PeerId,
  peerDn: t.string,
  peerDisplayName: t.string,
  confId: ConfId,
}

/**
 * An item of `getIncomingFilesRequests`: an inbound request not yet finished. The wire spells the
 * size `size` here.
 *
 * @category replies
 * @since 0.1.0
 */
export const IncomingFileRequestItem = /*#__PURE__*/ t.intersection(
  [
    /*#__PURE__*/ t.type({
      fileRequestId: FileRequestId,
      fileName: t.string,
      status: FileRequestStatus,
      timestamp: Timestamp,
    }),
    FileSizeField,
    /*#__PURE__*/ t.partial(/*#__PURE__*/ Object.assign({}, listItemOptional, { fileId: FileId })),
  ],
  'IncomingFileRequestItem',
)
/** @category replies @since 0.1.0 */
export interface IncomingFileRequestItem extends t.TypeOf<typeof IncomingFileRequestItem> {}

/**
 * An item of `getOutgoingFilesRequests`. Peer fields for a user, `confId` for a conference.
 *
 * @category replies
 * @since 0.1.0
 */
export const OutgoingFileRequestItem = /*#__PURE__*/ t.intersection(
  [
    /*#__PURE__*/ t.type({
      fileRequestId: FileRequestId,
      fileName: t.string,
      status: FileRequestStatus,
      timestamp: Timestamp,
      fileId: FileId,
    }),
    FileSizeField,
    /*#__PURE__*/ t.partial(listItemOptional),
  ],
  'OutgoingFileRequestItem',
)
/** @category replies @since 0.1.0 */
export interface OutgoingFileRequestItem extends t.TypeOf<typeof OutgoingFileRequestItem> {}

/**
 * An item of `getFileTransferHistory`: a request that finished (fully received or sent).
 *
 * @category replies
 * @since 0.1.0
 */
export const FileTransferHistoryItem = /*#__PURE__*/ t.intersection(
  [
    /*#__PURE__*/ t.type({
      directionType: DirectionType,
      fileName: t.string,
      timestamp: Timestamp,
      fileRequestId: FileRequestId,
      fileId: FileId,
    }),
    FileSizeField,
    /*#__PURE__*/ t.partial(listItemOptional),
  ],
  'FileTransferHistoryItem',
)
/** @category replies @since 0.1.0 */
export interface FileTransferHistoryItem extends t.TypeOf<typeof FileTransferHistoryItem> {}

/**
 * Reply to `getIncomingFilesRequests`: `incomingFilesRequests`, a list of {@link IncomingFileRequestItem}.
 *
 * @category replies
 * @since 0.1.0
 */
export const GetIncomingFilesRequestsReply = /*#__PURE__*/ reply(
  'getIncomingFilesRequests',
  /*#__PURE__*/ t.type({ incomingFilesRequests: /*#__PURE__*/ t.array(IncomingFileRequestItem) }),
  'GetIncomingFilesRequestsReply',
)
/** @category replies @since 0.1.0 */
export type GetIncomingFilesRequestsReply = t.TypeOf<typeof GetIncomingFilesRequestsReply>

/**
 * Reply to `getOutgoingFilesRequests`: `outgoingFilesRequests`, a list of {@link OutgoingFileRequestItem}.
 *
 * @category replies
 * @since 0.1.0
 */
export const GetOutgoingFilesRequestsReply = /*#__PURE__*/ reply(
  'getOutgoingFilesRequests',
  /*#__PURE__*/ t.type({ outgoingFilesRequests: /*#__PURE__*/ t.array(OutgoingFileRequestItem) }),
  'GetOutgoingFilesRequestsReply',
)
/** @category replies @since 0.1.0 */
export type GetOutgoingFilesRequestsReply = t.TypeOf<typeof GetOutgoingFilesRequestsReply>

/**
 * Reply to `getFileTransferHistory`: `filesRequests`, a list of {@link FileTransferHistoryItem}.
 *
 * @category replies
 * @since 0.1.0
 */
export const GetFileTransferHistoryReply = /*#__PURE__*/ reply(
  'getFileTransferHistory',
  /*#__PURE__*/ t.type({ filesRequests: /*#__PURE__*/ t.array(FileTransferHistoryItem) }),
  'GetFileTransferHistoryReply',
)
/** @category replies @since 0.1.0 */
export type GetFileTransferHistoryReply = t.TypeOf<typeof GetFileTransferHistoryReply>

/**
 * An item of `getFileList`: a file on the built-in HTTP server. The documented example carries
 * `fileId` as a string.
 *
 * @category replies
 * @since 0.1.0
 */
export const FileListItem = /*#__PURE__*/ t.type(
  { fileId: FileId, fileName: t.string },
  'FileListItem',
)
/** @category replies @since 0.1.0 */
export interface FileListItem extends t.TypeOf<typeof FileListItem> {}

/**
 * Reply to `getFileList`: `fileList`, a list of {@link FileListItem}.
 *
 * @category replies
 * @since 0.1.0
 */
export const GetFileListReply = /*#__PURE__*/ reply(
  'getFileList',
  /*#__PURE__*/ t.type({ fileList: /*#__PURE__*/ t.array(FileListItem) }),
  'GetFileListReply',
)
/** @category replies @since 0.1.0 */
export type GetFileListReply = t.TypeOf<typeof GetFileListReply>

/**
 * Reply to `getFileTransferAvailability`: `availability` (0..3).
 *
 * @category replies
 * @since 0.1.0
 */
export const GetFileTransferAvailabilityReply = /*#__PURE__*/ reply(
  'getFileTransferAvailability',
  /*#__PURE__*/ t.type({ availability: FileTransferAvailability }),
  'GetFileTransferAvailabilityReply',
)
/** @category replies @since 0.1.0 */
export type GetFileTransferAvailabilityReply = t.TypeOf<typeof GetFileTransferAvailabilityReply>

/**
 * Reply to `clearFileTransferHistory`: no payload; `fileTransferHistoryCleared` follows.
 *
 * @category replies
 * @since 0.1.0
 */
export const ClearFileTransferHistoryReply = /*#__PURE__*/ reply(
  'clearFileTransferHistory',
  nothing,
  'ClearFileTransferHistoryReply',
)
/** @category replies @since 0.1.0 */
export type ClearFileTransferHistoryReply = t.TypeOf<typeof ClearFileTransferHistoryReply>

/**
 * Reply to `deleteFileTransferFile`: no payload.
 *
 * @category replies
 * @since 0.1.0
 */
export const DeleteFileTransferFileReply = /*#__PURE__*/ reply(
  'deleteFileTransferFile',
  nothing,
  'DeleteFileTransferFileReply',
)
/** @category replies @since 0.1.0 */
export type DeleteFileTransferFileReply = t.TypeOf<typeof DeleteFileTransferFileReply>

/**
 * Reply to `getAppState`: `appState` and, on real rooms, `embeddedHttpPort` (the HTTP server's
 * port) among other fields, which are kept.
 *
 * @category replies
 * @since 0.1.0
 */
export const GetAppStateReply = /*#__PURE__*/ reply(
  'getAppState',
  /*#__PURE__*/ t.intersection([
    /*#__PURE__*/ t.type({ appState: AppState }),
    /*#__PURE__*/ t.partial({ embeddedHttpPort: t.number }),
  ]),
  'GetAppStateReply',
)
/** @category replies @since 0.1.0 */
export type GetAppStateReply = t.TypeOf<typeof GetAppStateReply>

// ---------------------------------------------------------------------------------------------
// By method

/**
 * Every modelled command, by method: its request codec and its reply codec. The one place a command
 * is declared: `requestCodecs`, `replyCodecs`, `CommandMethod`, `RequestOf` and `ReplyOf` follow
 * from it, and so does the simulator's router.
 *
 * @category commands
 * @since 0.1.0
 */
export const commandCodecs = {
  auth: { request: AuthRequest, reply: AuthReply },
  getTokenForHttpServer: {
    request: GetTokenForHttpServerRequest,
    reply: GetTokenForHttpServerReply,
  },
  setUsedApiVersion: { request: SetUsedApiVersionRequest, reply: SetUsedApiVersionReply },
  sendFile: { request: SendFileRequest, reply: SendFileReply },
  sendFileToConference: { request: SendFileToConferenceRequest, reply: SendFileToConferenceReply },
  acceptIncomingFileRequest: {
    request: AcceptIncomingFileRequestRequest,
    reply: AcceptIncomingFileRequestReply,
  },
  rejectIncomingFileRequest: {
    request: RejectIncomingFileRequestRequest,
    reply: RejectIncomingFileRequestReply,
  },
  getFileRequestInfo: { request: GetFileRequestInfoRequest, reply: GetFileRequestInfoReply },
  getIncomingFilesRequests: {
    request: GetIncomingFilesRequestsRequest,
    reply: GetIncomingFilesRequestsReply,
  },
  getOutgoingFilesRequests: {
    request: GetOutgoingFilesRequestsRequest,
    reply: GetOutgoingFilesRequestsReply,
  },
  getFileTransferHistory: {
    request: GetFileTransferHistoryRequest,
    reply: GetFileTransferHistoryReply,
  },
  getFileList: { request: GetFileListRequest, reply: GetFileListReply },
  getFileTransferAvailability: {
    request: GetFileTransferAvailabilityRequest,
    reply: GetFileTransferAvailabilityReply,
  },
  clearFileTransferHistory: {
    request: ClearFileTransferHistoryRequest,
    reply: ClearFileTransferHistoryReply,
  },
  deleteFileTransferFile: {
    request: DeleteFileTransferFileRequest,
    reply: DeleteFileTransferFileReply,
  },
  getAppState: { request: GetAppStateRequest, reply: GetAppStateReply },
} as const

type CommandTable = typeof commandCodecs

const column = <K extends 'request' | 'reply'>(
  key: K,
): { readonly [M in keyof CommandTable]: CommandTable[M][K] } =>
  Object.fromEntries(
    Object.entries(commandCodecs).map(([method, codecs]) => [method, codecs[key]]),
  ) as {
    readonly [M in keyof CommandTable]: CommandTable[M][K]
  }

/**
 * The request codec of every modelled command, by method (a column of {@link commandCodecs}).
 *
 * @category commands
 * @since 0.1.0
 */
export const requestCodecs = /*#__PURE__*/ column('request')

/**
 * The reply codec of every modelled command, by method (a column of {@link commandCodecs}).
 *
 * @category commands
 * @since 0.1.0
 */
export const replyCodecs = /*#__PURE__*/ column('reply')

/** A modelled command's method name. @category commands @since 0.1.0 */
export type CommandMethod = keyof CommandTable

/**
 * The method names of the modelled commands.
 *
 * @category commands
 * @since 0.1.0
 */
export const COMMAND_METHODS: ReadonlyArray<CommandMethod> = /*#__PURE__*/ Object.freeze(
  /*#__PURE__*/ Object.keys(commandCodecs) as CommandMethod[],
)

/**
 * Whether `method` names a modelled command.
 *
 * @category commands
 * @since 0.1.0
 */
export const isCommandMethod = (method: string): method is CommandMethod =>
  Object.prototype.hasOwnProperty.call(commandCodecs, method)

/** The request type of a command. @category commands @since 0.1.0 */
export type RequestOf<M extends CommandMethod> = t.TypeOf<CommandTable[M]['request']>
/** The reply type of a command, success or failure. @category commands @since 0.1.0 */
export type ReplyOf<M extends CommandMethod> = t.TypeOf<CommandTable[M]['reply']>
/** The successful reply of a command (`result: true`). @category commands @since 0.1.0 */
export type SuccessReplyOf<M extends CommandMethod> = Extract<ReplyOf<M>, { result: true }>

/**
 * Any modelled request. @category commands @since 0.1.0
 */
export type FileCommandRequest = { [M in CommandMethod]: RequestOf<M> }[CommandMethod]
/**
 * Any modelled reply. @category commands @since 0.1.0
 */
export type FileCommandReply = { [M in CommandMethod]: ReplyOf<M> }[CommandMethod]
