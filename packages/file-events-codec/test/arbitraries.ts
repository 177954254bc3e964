/**
 * fast-check generators for every message of the package: valid values in every tolerated variant
 * (`size` / `fileSize`, `peerDn` / `peerDisplayName`, `fileId` as number or decimal string, `confId`
 * absent or empty, timestamps in seconds or milliseconds, unknown extra fields, failure replies),
 * and, per field, values that must be rejected.
 *
 * Every generated value survives `JSON.stringify` / `JSON.parse` unchanged (no `-0`, `NaN`,
 * `Infinity` or `undefined`), so the same values are used for the codecs and for the frame decoders.
 */
import * as fc from 'fast-check'
import type * as t from 'io-ts'
import {
  AcceptIncomingFileRequestReply,
  AcceptIncomingFileRequestRequest,
  AuthReply,
  AuthRequest,
  ClearFileTransferHistoryReply,
  ClearFileTransferHistoryRequest,
  DeleteFileTransferFileReply,
  DeleteFileTransferFileRequest,
  FileDeletedFromFileTransferHistory,
  FileListItem,
  FileRequestStatusChanged,
  FileTransferAvailabilityChanged,
  FileTransferHistoryCleared,
  FileTransferHistoryItem,
  GetAppStateReply,
  GetAppStateRequest,
  GetFileListReply,
  GetFileListRequest,
  GetFileRequestInfoReply,
  GetFileRequestInfoRequest,
  GetFileTransferAvailabilityReply,
  GetFileTransferAvailabilityRequest,
  GetFileTransferHistoryReply,
  GetFileTransferHistoryRequest,
  GetIncomingFilesRequestsReply,
  GetIncomingFilesRequestsRequest,
  GetOutgoingFilesRequestsReply,
  GetOutgoingFilesRequestsRequest,
  GetTokenForHttpServerReply,
  GetTokenForHttpServerRequest,
  IncomingFileRequestAccepted,
  IncomingFileRequestDownloadingProgress,
  IncomingFileRequestItem,
  IncomingFileRequestRejected,
  OutgoingFileRequestItem,
  OutgoingFileRequestSent,
  OutgoingFileRequestSentToConference,
  OutgoingFileRequestUploadingProgress,
  ReceivedFileRequest,
  RejectIncomingFileRequestReply,
  RejectIncomingFileRequestRequest,
  RoomConfig,
  SendFileReply,
  SendFileRequest,
  SendFileToConferenceReply,
  SendFileToConferenceRequest,
  SetUsedApiVersionReply,
  SetUsedApiVersionRequest,
  isFileEventName,
} from '../src'

// ---------------------------------------------------------------------------------------------
// Building blocks

type Merge<T extends readonly unknown[]> = T extends readonly [infer H, ...infer R]
  ? H & Merge<R>
  : unknown

/** The union of several object arbitraries' values, later parts winning on a shared key. */
export const merge = <T extends readonly object[]>(
  ...parts: { [K in keyof T]: fc.Arbitrary<T[K]> }
): fc.Arbitrary<Merge<T>> =>
  (fc.tuple(...(parts as unknown as fc.Arbitrary<object>[])) as fc.Arbitrary<object[]>).map(
    (values) => Object.assign({}, ...values) as Merge<T>,
  )

/** JSON has no `-0`: `-0 + 0` is `0`. */
const noNegativeZero = (n: number): number => n + 0

/** Any JSON value, as it reads back from its text (`fc.jsonValue` may hold `-0`, which JSON turns into `0`). */
export const json = (constraints: fc.JsonSharedConstraints = {}): fc.Arbitrary<unknown> =>
  fc.jsonValue(constraints).map((v) => JSON.parse(JSON.stringify(v)) as unknown)

/** Any text, ASCII or any UTF-16 (lone surrogates included: JSON escapes them and reads them back). */
export const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
)
const nonEmptyText = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
)

/**
 * Unknown fields a newer room may add. The `x_` prefix keeps them apart from the modelled keys;
 * their values are any JSON.
 */
export const extraFields: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.string({ maxLength: 8 }).map((k) => `x_${k}`),
  json({ maxDepth: 2 }),
  { maxKeys: 3 },
)

export const fileRequestId = fc.oneof(fc.uuid(), nonEmptyText)
export const fileId = fc.oneof(
  fc.maxSafeNat(),
  fc.nat(1000),
  fc.maxSafeNat().map(String),
  fc.constantFrom('0', '9007199254740991'),
)
export const peerId = fc.oneof(
  fc.tuple(fc.nat(999), fc.domain()).map(([n, d]) => `${n}_1@${d}`),
  nonEmptyText,
)
export const confId = fc.oneof(
  fc.constant(''),
  fc.tuple(fc.stringMatching(/^[0-9a-f]{16}$/), fc.domain()).map(([h, d]) => `${h}@${d}#vcs`),
  text,
)
/** Seconds (below 1e11), milliseconds, or any finite non-negative number. */
export const timestamp = fc.oneof(
  fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }),
  fc.integer({ min: 1_500_000_000_000, max: 2_000_000_000_000 }),
  fc.integer({ min: 0, max: 1e11 - 1 }),
  fc.integer({ min: 1e11, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }).map(noNegativeZero),
)
export const fileSize = fc.oneof(fc.nat(100_000_000), fc.maxSafeNat())
export const percent = fc.oneof(
  fc.integer({ min: 0, max: 100 }),
  fc.double({ min: 0, max: 100, noNaN: true }).map(noNegativeZero),
)
export const fileRequestStatus = fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const)
export const directionType = fc.constantFrom(0 as const, 1 as const)
export const availability = fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const)
export const appState = fc.constantFrom(
  0 as const,
  1 as const,
  2 as const,
  3 as const,
  4 as const,
  5 as const,
  6 as const,
)
export const requestId = fc.oneof(fc.constant(''), fc.nat(10_000).map(String), text)

/** `fileSize`, `size`, or both. */
export const sizeField = fc.oneof(
  fc.record({ fileSize }),
  fc.record({ size: fileSize }),
  fc.record({ fileSize, size: fileSize }),
)
/** `peerDisplayName`, `peerDn`, both or neither. */
export const peerNames = fc.record({ peerDisplayName: text, peerDn: text }, { requiredKeys: [] })

const eventEnvelope = <E extends string>(event: E) =>
  fc.record({ method: fc.constant('event' as const), event: fc.constant(event) })

// ---------------------------------------------------------------------------------------------
// Events

export const fileRequestStatusChanged: fc.Arbitrary<FileRequestStatusChanged> = merge(
  extraFields,
  eventEnvelope('fileRequestStatusChanged'),
  fc.record({ fileRequestId, status: fileRequestStatus, directionType, fileName: text, timestamp }),
  sizeField,
  fc.record({ fileId, peerId, confId }, { requiredKeys: [] }),
  peerNames,
)

const inbound = <E extends string>(event: E) =>
  merge(
    extraFields,
    eventEnvelope(event),
    fc.record({ fileRequestId, fileName: text, peerId, timestamp }),
    sizeField,
    peerNames,
    fc.record({ confId }, { requiredKeys: [] }),
  )

export const receivedFileRequest: fc.Arbitrary<ReceivedFileRequest> = inbound('receivedFileRequest')
export const incomingFileRequestAccepted: fc.Arbitrary<IncomingFileRequestAccepted> = inbound(
  'incomingFileRequestAccepted',
)
export const incomingFileRequestRejected: fc.Arbitrary<IncomingFileRequestRejected> = inbound(
  'incomingFileRequestRejected',
)
export const incomingFileRequestDownloadingProgress: fc.Arbitrary<IncomingFileRequestDownloadingProgress> =
  merge(
    inbound('incomingFileRequestDownloadingProgress'),
    fc.record({ processedPercents: percent }),
  )

export const outgoingFileRequestSent: fc.Arbitrary<OutgoingFileRequestSent> = merge(
  extraFields,
  eventEnvelope('outgoingFileRequestSent'),
  fc.record({ fileRequestId, peerId, fileName: text, timestamp, fileId }),
  sizeField,
  peerNames,
  fc.record({ confId }, { requiredKeys: [] }),
)

export const outgoingFileRequestSentToConference: fc.Arbitrary<OutgoingFileRequestSentToConference> =
  merge(
    extraFields,
    eventEnvelope('outgoingFileRequestSentToConference'),
    fc.record({ fileRequestId, fileName: text, timestamp, fileId, confId }),
    sizeField,
  )

export const outgoingFileRequestUploadingProgress: fc.Arbitrary<OutgoingFileRequestUploadingProgress> =
  merge(
    extraFields,
    eventEnvelope('outgoingFileRequestUploadingProgress'),
    fc.record({ processedPercents: percent, fileRequestId, fileName: text, timestamp, fileId }),
    sizeField,
    peerNames,
    fc.record({ peerId, confId }, { requiredKeys: [] }),
  )

export const fileTransferAvailabilityChanged: fc.Arbitrary<FileTransferAvailabilityChanged> = merge(
  extraFields,
  eventEnvelope('fileTransferAvailabilityChanged'),
  fc.record({ availability }),
)

export const fileDeletedFromFileTransferHistory: fc.Arbitrary<FileDeletedFromFileTransferHistory> =
  merge(
    extraFields,
    eventEnvelope('fileDeletedFromFileTransferHistory'),
    fc.record({
      directionType,
      fileName: text,
      timestamp,
      removedFromDisk: fc.boolean(),
      fileRequestId,
      fileId,
    }),
    sizeField,
    peerNames,
    fc.record({ peerId, confId }, { requiredKeys: [] }),
  )

export const fileTransferHistoryCleared: fc.Arbitrary<FileTransferHistoryCleared> = merge(
  extraFields,
  eventEnvelope('fileTransferHistoryCleared'),
)

/** An event name that is not a file event's: real ones from other parts of the API, or any string. */
export const unknownEventName = fc
  .oneof(
    fc.constantFrom(
      'appStateChanged',
      'fileStatus',
      'conferenceCreated',
      'chatMessageReceived',
      'FileRequestStatusChanged',
      '',
    ),
    fc.string(),
  )
  .filter((name) => !isFileEventName(name))

export const unknownEvent = merge(
  extraFields,
  fc.record({ method: fc.constant('event' as const), event: unknownEventName }),
)

// ---------------------------------------------------------------------------------------------
// List items and RoomConfig

const listItemOptional = fc.record(
  { peerId, peerDn: text, peerDisplayName: text, confId },
  { requiredKeys: [] },
)

export const incomingFileRequestItem: fc.Arbitrary<IncomingFileRequestItem> = merge(
  extraFields,
  fc.record({ fileRequestId, fileName: text, status: fileRequestStatus, timestamp }),
  sizeField,
  listItemOptional,
  fc.record({ fileId }, { requiredKeys: [] }),
)

export const outgoingFileRequestItem: fc.Arbitrary<OutgoingFileRequestItem> = merge(
  extraFields,
  fc.record({ fileRequestId, fileName: text, status: fileRequestStatus, timestamp, fileId }),
  sizeField,
  listItemOptional,
)

export const fileTransferHistoryItem: fc.Arbitrary<FileTransferHistoryItem> = merge(
  extraFields,
  fc.record({ directionType, fileName: text, timestamp, fileRequestId, fileId }),
  sizeField,
  listItemOptional,
)

export const fileListItem: fc.Arbitrary<FileListItem> = merge(
  extraFields,
  fc.record({ fileId, fileName: text }),
)

const endpoint = merge(
  extraFields,
  fc.record({
    hostname: fc.oneof(fc.constant(null), fc.domain(), fc.ipV4()),
    port: fc.integer({ min: 0, max: 65535 }),
  }),
)
export const roomConfig: fc.Arbitrary<RoomConfig> = merge(
  extraFields,
  fc.record({ config: merge(extraFields, fc.record({ websocket: endpoint, http: endpoint })) }),
)

// ---------------------------------------------------------------------------------------------
// Requests

const requestEnvelope = <M extends string>(method: M) =>
  merge(
    extraFields,
    fc.record({ method: fc.constant(method) }),
    fc.record({ requestId }, { requiredKeys: [] }),
  )

export const securedAuthRequest = merge(
  requestEnvelope('auth'),
  fc.record({
    type: fc.constant('secured' as const),
    credentials: fc.oneof(fc.stringMatching(/^[0-9]{3,8}$/), text),
  }),
  fc.record({ role: text }, { requiredKeys: [] }),
)
export const unsecuredAuthRequest = merge(
  requestEnvelope('auth'),
  fc.record({ type: fc.constant('unsecured' as const) }),
  fc.record({ role: text }, { requiredKeys: [] }),
)
export const authRequest: fc.Arbitrary<AuthRequest> = fc.oneof(
  securedAuthRequest,
  unsecuredAuthRequest,
)
export const getTokenForHttpServerRequest: fc.Arbitrary<GetTokenForHttpServerRequest> =
  requestEnvelope('getTokenForHttpServer')
export const setUsedApiVersionRequest: fc.Arbitrary<SetUsedApiVersionRequest> = merge(
  requestEnvelope('setUsedApiVersion'),
  fc.record({
    version: fc.oneof(
      fc.constantFrom('1', '2'),
      text,
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(noNegativeZero),
    ),
  }),
)
export const sendFileRequest: fc.Arbitrary<SendFileRequest> = merge(
  requestEnvelope('sendFile'),
  fc.record({ fileId }),
  fc.oneof(
    fc.record({ callId: peerId }),
    fc.record({ peerId }),
    fc.record({ callId: peerId, peerId }),
  ),
)
export const sendFileToConferenceRequest: fc.Arbitrary<SendFileToConferenceRequest> = merge(
  requestEnvelope('sendFileToConference'),
  fc.record({ fileId }),
)
const byFileRequestId = <M extends string>(method: M) =>
  merge(requestEnvelope(method), fc.record({ fileRequestId }))
export const acceptIncomingFileRequestRequest: fc.Arbitrary<AcceptIncomingFileRequestRequest> =
  byFileRequestId('acceptIncomingFileRequest')
export const rejectIncomingFileRequestRequest: fc.Arbitrary<RejectIncomingFileRequestRequest> =
  byFileRequestId('rejectIncomingFileRequest')
export const getFileRequestInfoRequest: fc.Arbitrary<GetFileRequestInfoRequest> =
  byFileRequestId('getFileRequestInfo')
export const getIncomingFilesRequestsRequest: fc.Arbitrary<GetIncomingFilesRequestsRequest> =
  requestEnvelope('getIncomingFilesRequests')
export const getOutgoingFilesRequestsRequest: fc.Arbitrary<GetOutgoingFilesRequestsRequest> =
  requestEnvelope('getOutgoingFilesRequests')
export const getFileTransferHistoryRequest: fc.Arbitrary<GetFileTransferHistoryRequest> =
  requestEnvelope('getFileTransferHistory')
export const getFileListRequest: fc.Arbitrary<GetFileListRequest> = requestEnvelope('getFileList')
export const getFileTransferAvailabilityRequest: fc.Arbitrary<GetFileTransferAvailabilityRequest> =
  requestEnvelope('getFileTransferAvailability')
export const clearFileTransferHistoryRequest: fc.Arbitrary<ClearFileTransferHistoryRequest> = merge(
  requestEnvelope('clearFileTransferHistory'),
  fc.record({ deleteFilesFromDisk: fc.boolean() }, { requiredKeys: [] }),
)
export const deleteFileTransferFileRequest: fc.Arbitrary<DeleteFileTransferFileRequest> = merge(
  requestEnvelope('deleteFileTransferFile'),
  fc.record({ fileId }),
)
export const getAppStateRequest: fc.Arbitrary<GetAppStateRequest> = requestEnvelope('getAppState')

// ---------------------------------------------------------------------------------------------
// Replies

const replyMeta = fc.record(
  { requestId, error: text, resultCode: fc.integer({ min: -10, max: 100 }) },
  { requiredKeys: [] },
)

/** A successful reply: `result: true`, the common fields, the payload. */
export const successReply = <M extends string, P extends object>(
  method: M,
  payload: fc.Arbitrary<P>,
) =>
  merge(
    extraFields,
    fc.record({ method: fc.constant(method), result: fc.constant(true as const) }),
    replyMeta,
    payload,
  )

/** A failed reply: `result: false`, usually with an `error` string, never a payload. */
export const failureReply = <M extends string>(method: M) =>
  merge(
    extraFields,
    fc.record({ method: fc.constant(method), result: fc.constant(false as const) }),
    replyMeta,
  )

const none = fc.constant({})

export const authReplySuccess = successReply(
  'auth',
  merge(
    fc.record({ token: text, tokenForHttpServer: text }),
    fc.record({ previleges: fc.integer({ min: 0, max: 10 }) }, { requiredKeys: [] }),
  ),
)
export const getTokenForHttpServerReplySuccess = successReply(
  'getTokenForHttpServer',
  fc.record({ token: text }),
)
export const setUsedApiVersionReplySuccess = successReply('setUsedApiVersion', none)
export const sendFileReplySuccess = successReply(
  'sendFile',
  fc.record({ sentFileRequestId: fileRequestId }),
)
export const sendFileToConferenceReplySuccess = successReply(
  'sendFileToConference',
  fc.record({ sentFileRequestId: fileRequestId }, { requiredKeys: [] }),
)
export const acceptIncomingFileRequestReplySuccess = successReply('acceptIncomingFileRequest', none)
export const rejectIncomingFileRequestReplySuccess = successReply('rejectIncomingFileRequest', none)
export const getFileRequestInfoReplySuccess = successReply(
  'getFileRequestInfo',
  merge(
    fc.record({
      fileRequestId,
      status: fileRequestStatus,
      directionType,
      fileName: text,
      timestamp,
    }),
    sizeField,
    fc.record({ fileId, peerId, confId }, { requiredKeys: [] }),
    peerNames,
  ),
)
export const getIncomingFilesRequestsReplySuccess = successReply(
  'getIncomingFilesRequests',
  fc.record({ incomingFilesRequests: fc.array(incomingFileRequestItem, { maxLength: 4 }) }),
)
export const getOutgoingFilesRequestsReplySuccess = successReply(
  'getOutgoingFilesRequests',
  fc.record({ outgoingFilesRequests: fc.array(outgoingFileRequestItem, { maxLength: 4 }) }),
)
export const getFileTransferHistoryReplySuccess = successReply(
  'getFileTransferHistory',
  fc.record({ filesRequests: fc.array(fileTransferHistoryItem, { maxLength: 4 }) }),
)
export const getFileListReplySuccess = successReply(
  'getFileList',
  fc.record({ fileList: fc.array(fileListItem, { maxLength: 4 }) }),
)
export const getFileTransferAvailabilityReplySuccess = successReply(
  'getFileTransferAvailability',
  fc.record({ availability }),
)
export const clearFileTransferHistoryReplySuccess = successReply('clearFileTransferHistory', none)
export const deleteFileTransferFileReplySuccess = successReply('deleteFileTransferFile', none)
export const getAppStateReplySuccess = successReply(
  'getAppState',
  fc.record(
    { appState, embeddedHttpPort: fc.integer({ min: 0, max: 65535 }) },
    { requiredKeys: ['appState'] },
  ),
)

// ---------------------------------------------------------------------------------------------
// Values that must be rejected, by the kind of field (all JSON-safe)

const anyNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(noNegativeZero),
)
const containers = fc.oneof(
  fc.array(json({ maxDepth: 1 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), json({ maxDepth: 1 }), { maxKeys: 2 }),
)
export const notString = fc.oneof(anyNumber, fc.boolean(), fc.constant(null), containers)
export const notNonEmptyString = fc.oneof(notString, fc.constant(''))
export const notNumber = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.constant(null),
  containers,
)
export const notBoolean = fc.oneof(
  anyNumber,
  fc.string({ maxLength: 6 }),
  fc.constant(null),
  containers,
)
export const notArray = fc.oneof(
  anyNumber,
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.string({ maxLength: 3 }), json({ maxDepth: 1 }), { maxKeys: 2 }),
)
const negative = fc.oneof(
  fc.integer({ max: -1 }),
  fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }),
)
const fraction = fc
  .tuple(fc.integer({ min: -1000, max: 1000 }), fc.double({ min: 0.001, max: 0.999, noNaN: true }))
  .map(([n, f]) => n + f)
const unsafe = fc.double({ min: 2 ** 53, noNaN: true, noDefaultInfinity: true })
export const badFileId = fc.oneof(
  negative,
  fraction,
  unsafe,
  fc.constantFrom(
    '01',
    '-1',
    '1.5',
    '',
    ' 1',
    '1e3',
    '0x10',
    '9007199254740992',
    '9999999999999999',
    '12345678901234567',
  ),
  fc.string({ maxLength: 6 }).map((s) => `${s}x`),
  fc.boolean(),
  fc.constant(null),
  containers,
)
export const badTimestamp = fc.oneof(negative, notNumber)
export const badFileSize = fc.oneof(negative, fraction, unsafe, notNumber)
export const badPercent = fc.oneof(
  negative,
  fc.double({ min: 100, minExcluded: true, noNaN: true, noDefaultInfinity: true }),
  notNumber,
)
/** Anything but the integers `0..count-1`. */
export const badEnum = (count: number) =>
  fc.oneof(
    fc.integer({ max: -1 }),
    fc.integer({ min: count }),
    fraction.filter((n) => !Number.isInteger(n)),
    notNumber,
  )
export const badPort = fc.oneof(negative, fc.integer({ min: 65536 }), fraction, notNumber)
export const badHostname = fc.oneof(anyNumber, fc.boolean(), containers)
export const badVersion = fc.oneof(fc.boolean(), fc.constant(null), containers)

// ---------------------------------------------------------------------------------------------
// One table: every codec with its valid values and the values each field must reject

/** A codec with its generators. */
export interface Spec {
  /** The exported name of the codec. */
  readonly name: string
  /** The first segment of its error paths: the wire name for events and commands, else the codec's name. */
  readonly label: string
  readonly codec: t.Mixed
  /** Which frame decoder reads it as text, if any. */
  readonly frame: 'message' | 'request' | 'none'
  readonly valid: fc.Arbitrary<object>
  /** Field -> values it must reject, applied to any valid value. */
  readonly mutations: Readonly<Record<string, fc.Arbitrary<unknown>>>
  /** For replies: the successful values, where the payload fields can be mutated. */
  readonly success?: fc.Arbitrary<object>
  readonly successMutations?: Readonly<Record<string, fc.Arbitrary<unknown>>>
}

const sizeMutations = { fileSize: badFileSize, size: badFileSize }
const peerNameMutations = { peerDisplayName: notString, peerDn: notString }

const eventSpec = (
  name: string,
  label: string,
  codec: t.Mixed,
  valid: fc.Arbitrary<object>,
  mutations: Record<string, fc.Arbitrary<unknown>>,
): Spec => ({ name, label, codec, frame: 'message', valid, mutations })

const inboundMutations = {
  fileRequestId: notNonEmptyString,
  fileName: notString,
  peerId: notNonEmptyString,
  timestamp: badTimestamp,
  confId: notString,
  ...sizeMutations,
  ...peerNameMutations,
}

export const eventSpecs: ReadonlyArray<Spec> = [
  eventSpec(
    'FileRequestStatusChanged',
    'fileRequestStatusChanged',
    FileRequestStatusChanged,
    fileRequestStatusChanged,
    {
      fileRequestId: notNonEmptyString,
      status: badEnum(4),
      directionType: badEnum(2),
      fileName: notString,
      timestamp: badTimestamp,
      fileId: badFileId,
      peerId: notNonEmptyString,
      confId: notString,
      ...sizeMutations,
      ...peerNameMutations,
    },
  ),
  eventSpec(
    'ReceivedFileRequest',
    'receivedFileRequest',
    ReceivedFileRequest,
    receivedFileRequest,
    inboundMutations,
  ),
  eventSpec(
    'IncomingFileRequestAccepted',
    'incomingFileRequestAccepted',
    IncomingFileRequestAccepted,
    incomingFileRequestAccepted,
    inboundMutations,
  ),
  eventSpec(
    'IncomingFileRequestRejected',
    'incomingFileRequestRejected',
    IncomingFileRequestRejected,
    incomingFileRequestRejected,
    inboundMutations,
  ),
  eventSpec(
    'IncomingFileRequestDownloadingProgress',
    'incomingFileRequestDownloadingProgress',
    IncomingFileRequestDownloadingProgress,
    incomingFileRequestDownloadingProgress,
    { ...inboundMutations, processedPercents: badPercent },
  ),
  eventSpec(
    'OutgoingFileRequestSent',
    'outgoingFileRequestSent',
    OutgoingFileRequestSent,
    outgoingFileRequestSent,
    {
      ...inboundMutations,
      fileId: badFileId,
    },
  ),
  eventSpec(
    'OutgoingFileRequestSentToConference',
    'outgoingFileRequestSentToConference',
    OutgoingFileRequestSentToConference,
    outgoingFileRequestSentToConference,
    {
      fileRequestId: notNonEmptyString,
      fileName: notString,
      timestamp: badTimestamp,
      fileId: badFileId,
      confId: notString,
      ...sizeMutations,
    },
  ),
  eventSpec(
    'OutgoingFileRequestUploadingProgress',
    'outgoingFileRequestUploadingProgress',
    OutgoingFileRequestUploadingProgress,
    outgoingFileRequestUploadingProgress,
    { ...inboundMutations, fileId: badFileId, processedPercents: badPercent },
  ),
  eventSpec(
    'FileTransferAvailabilityChanged',
    'fileTransferAvailabilityChanged',
    FileTransferAvailabilityChanged,
    fileTransferAvailabilityChanged,
    { availability: badEnum(4) },
  ),
  eventSpec(
    'FileDeletedFromFileTransferHistory',
    'fileDeletedFromFileTransferHistory',
    FileDeletedFromFileTransferHistory,
    fileDeletedFromFileTransferHistory,
    {
      directionType: badEnum(2),
      fileName: notString,
      timestamp: badTimestamp,
      removedFromDisk: notBoolean,
      fileRequestId: notNonEmptyString,
      fileId: badFileId,
      peerId: notNonEmptyString,
      confId: notString,
      ...sizeMutations,
      ...peerNameMutations,
    },
  ),
  eventSpec(
    'FileTransferHistoryCleared',
    'fileTransferHistoryCleared',
    FileTransferHistoryCleared,
    fileTransferHistoryCleared,
    {},
  ),
]

const requestSpec = (
  name: string,
  label: string,
  codec: t.Mixed,
  valid: fc.Arbitrary<object>,
  mutations: Record<string, fc.Arbitrary<unknown>> = {},
): Spec => ({
  name,
  label,
  codec,
  frame: 'request',
  valid,
  mutations: { requestId: notString, ...mutations },
})

export const requestSpecs: ReadonlyArray<Spec> = [
  requestSpec('AuthRequest', 'auth', AuthRequest, authRequest, { role: notString }),
  {
    ...requestSpec('AuthRequest', 'auth', AuthRequest, securedAuthRequest, {
      credentials: notString,
    }),
    name: 'AuthRequest (secured)',
  },
  requestSpec(
    'GetTokenForHttpServerRequest',
    'getTokenForHttpServer',
    GetTokenForHttpServerRequest,
    getTokenForHttpServerRequest,
  ),
  requestSpec(
    'SetUsedApiVersionRequest',
    'setUsedApiVersion',
    SetUsedApiVersionRequest,
    setUsedApiVersionRequest,
    {
      version: badVersion,
    },
  ),
  requestSpec('SendFileRequest', 'sendFile', SendFileRequest, sendFileRequest, {
    fileId: badFileId,
    callId: notNonEmptyString,
    peerId: notNonEmptyString,
  }),
  requestSpec(
    'SendFileToConferenceRequest',
    'sendFileToConference',
    SendFileToConferenceRequest,
    sendFileToConferenceRequest,
    {
      fileId: badFileId,
    },
  ),
  requestSpec(
    'AcceptIncomingFileRequestRequest',
    'acceptIncomingFileRequest',
    AcceptIncomingFileRequestRequest,
    acceptIncomingFileRequestRequest,
    { fileRequestId: notNonEmptyString },
  ),
  requestSpec(
    'RejectIncomingFileRequestRequest',
    'rejectIncomingFileRequest',
    RejectIncomingFileRequestRequest,
    rejectIncomingFileRequestRequest,
    { fileRequestId: notNonEmptyString },
  ),
  requestSpec(
    'GetFileRequestInfoRequest',
    'getFileRequestInfo',
    GetFileRequestInfoRequest,
    getFileRequestInfoRequest,
    {
      fileRequestId: notNonEmptyString,
    },
  ),
  requestSpec(
    'GetIncomingFilesRequestsRequest',
    'getIncomingFilesRequests',
    GetIncomingFilesRequestsRequest,
    getIncomingFilesRequestsRequest,
  ),
  requestSpec(
    'GetOutgoingFilesRequestsRequest',
    'getOutgoingFilesRequests',
    GetOutgoingFilesRequestsRequest,
    getOutgoingFilesRequestsRequest,
  ),
  requestSpec(
    'GetFileTransferHistoryRequest',
    'getFileTransferHistory',
    GetFileTransferHistoryRequest,
    getFileTransferHistoryRequest,
  ),
  requestSpec('GetFileListRequest', 'getFileList', GetFileListRequest, getFileListRequest),
  requestSpec(
    'GetFileTransferAvailabilityRequest',
    'getFileTransferAvailability',
    GetFileTransferAvailabilityRequest,
    getFileTransferAvailabilityRequest,
  ),
  requestSpec(
    'ClearFileTransferHistoryRequest',
    'clearFileTransferHistory',
    ClearFileTransferHistoryRequest,
    clearFileTransferHistoryRequest,
    { deleteFilesFromDisk: notBoolean },
  ),
  requestSpec(
    'DeleteFileTransferFileRequest',
    'deleteFileTransferFile',
    DeleteFileTransferFileRequest,
    deleteFileTransferFileRequest,
    {
      fileId: badFileId,
    },
  ),
  requestSpec('GetAppStateRequest', 'getAppState', GetAppStateRequest, getAppStateRequest),
]

const replySpec = (
  name: string,
  method: string,
  codec: t.Mixed,
  success: fc.Arbitrary<object>,
  successMutations: Record<string, fc.Arbitrary<unknown>> = {},
): Spec => ({
  name,
  label: method,
  codec,
  frame: 'message',
  valid: fc.oneof(success, failureReply(method)),
  mutations: { requestId: notString, error: notString, resultCode: notNumber, result: notBoolean },
  success,
  successMutations,
})

const infoMutations = {
  fileRequestId: notNonEmptyString,
  status: badEnum(4),
  directionType: badEnum(2),
  fileName: notString,
  timestamp: badTimestamp,
  fileId: badFileId,
  peerId: notNonEmptyString,
  confId: notString,
  ...sizeMutations,
  ...peerNameMutations,
}

export const replySpecs: ReadonlyArray<Spec> = [
  replySpec('AuthReply', 'auth', AuthReply, authReplySuccess, {
    token: notString,
    tokenForHttpServer: notString,
    previleges: notNumber,
  }),
  replySpec(
    'GetTokenForHttpServerReply',
    'getTokenForHttpServer',
    GetTokenForHttpServerReply,
    getTokenForHttpServerReplySuccess,
    {
      token: notString,
    },
  ),
  replySpec(
    'SetUsedApiVersionReply',
    'setUsedApiVersion',
    SetUsedApiVersionReply,
    setUsedApiVersionReplySuccess,
  ),
  replySpec('SendFileReply', 'sendFile', SendFileReply, sendFileReplySuccess, {
    sentFileRequestId: notNonEmptyString,
  }),
  replySpec(
    'SendFileToConferenceReply',
    'sendFileToConference',
    SendFileToConferenceReply,
    sendFileToConferenceReplySuccess,
    {
      sentFileRequestId: notNonEmptyString,
    },
  ),
  replySpec(
    'AcceptIncomingFileRequestReply',
    'acceptIncomingFileRequest',
    AcceptIncomingFileRequestReply,
    acceptIncomingFileRequestReplySuccess,
  ),
  replySpec(
    'RejectIncomingFileRequestReply',
    'rejectIncomingFileRequest',
    RejectIncomingFileRequestReply,
    rejectIncomingFileRequestReplySuccess,
  ),
  replySpec(
    'GetFileRequestInfoReply',
    'getFileRequestInfo',
    GetFileRequestInfoReply,
    getFileRequestInfoReplySuccess,
    infoMutations,
  ),
  replySpec(
    'GetIncomingFilesRequestsReply',
    'getIncomingFilesRequests',
    GetIncomingFilesRequestsReply,
    getIncomingFilesRequestsReplySuccess,
    { incomingFilesRequests: notArray },
  ),
  replySpec(
    'GetOutgoingFilesRequestsReply',
    'getOutgoingFilesRequests',
    GetOutgoingFilesRequestsReply,
    getOutgoingFilesRequestsReplySuccess,
    { outgoingFilesRequests: notArray },
  ),
  replySpec(
    'GetFileTransferHistoryReply',
    'getFileTransferHistory',
    GetFileTransferHistoryReply,
    getFileTransferHistoryReplySuccess,
    { filesRequests: notArray },
  ),
  replySpec('GetFileListReply', 'getFileList', GetFileListReply, getFileListReplySuccess, {
    fileList: notArray,
  }),
  replySpec(
    'GetFileTransferAvailabilityReply',
    'getFileTransferAvailability',
    GetFileTransferAvailabilityReply,
    getFileTransferAvailabilityReplySuccess,
    { availability: badEnum(4) },
  ),
  replySpec(
    'ClearFileTransferHistoryReply',
    'clearFileTransferHistory',
    ClearFileTransferHistoryReply,
    clearFileTransferHistoryReplySuccess,
  ),
  replySpec(
    'DeleteFileTransferFileReply',
    'deleteFileTransferFile',
    DeleteFileTransferFileReply,
    deleteFileTransferFileReplySuccess,
  ),
  replySpec('GetAppStateReply', 'getAppState', GetAppStateReply, getAppStateReplySuccess, {
    appState: badEnum(7),
    embeddedHttpPort: notNumber,
  }),
]

const itemMutations = {
  fileRequestId: notNonEmptyString,
  fileName: notString,
  timestamp: badTimestamp,
  peerId: notNonEmptyString,
  confId: notString,
  fileId: badFileId,
  ...sizeMutations,
  ...peerNameMutations,
}

export const itemSpecs: ReadonlyArray<Spec> = [
  {
    name: 'IncomingFileRequestItem',
    label: 'IncomingFileRequestItem',
    codec: IncomingFileRequestItem,
    frame: 'none',
    valid: incomingFileRequestItem,
    mutations: { ...itemMutations, status: badEnum(4) },
  },
  {
    name: 'OutgoingFileRequestItem',
    label: 'OutgoingFileRequestItem',
    codec: OutgoingFileRequestItem,
    frame: 'none',
    valid: outgoingFileRequestItem,
    mutations: { ...itemMutations, status: badEnum(4) },
  },
  {
    name: 'FileTransferHistoryItem',
    label: 'FileTransferHistoryItem',
    codec: FileTransferHistoryItem,
    frame: 'none',
    valid: fileTransferHistoryItem,
    mutations: { ...itemMutations, directionType: badEnum(2) },
  },
  {
    name: 'FileListItem',
    label: 'FileListItem',
    codec: FileListItem,
    frame: 'none',
    valid: fileListItem,
    mutations: { fileId: badFileId, fileName: notString },
  },
  {
    name: 'RoomConfig',
    label: 'RoomConfig',
    codec: RoomConfig,
    frame: 'none',
    valid: roomConfig,
    mutations: {
      config: fc.oneof(anyNumber, fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null)),
    },
  },
]

/** Every spec, for the properties that hold for all of them. */
export const allSpecs: ReadonlyArray<Spec> = [
  ...eventSpecs,
  ...requestSpecs,
  ...replySpecs,
  ...itemSpecs,
]

/** The list replies, with the key of their list and the codec of its items. */
export const listReplies = [
  {
    method: 'getIncomingFilesRequests',
    key: 'incomingFilesRequests',
    codec: GetIncomingFilesRequestsReply,
    item: incomingFileRequestItem,
  },
  {
    method: 'getOutgoingFilesRequests',
    key: 'outgoingFilesRequests',
    codec: GetOutgoingFilesRequestsReply,
    item: outgoingFileRequestItem,
  },
  {
    method: 'getFileTransferHistory',
    key: 'filesRequests',
    codec: GetFileTransferHistoryReply,
    item: fileTransferHistoryItem,
  },
  { method: 'getFileList', key: 'fileList', codec: GetFileListReply, item: fileListItem },
] as const
