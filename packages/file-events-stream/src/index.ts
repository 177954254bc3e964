/**
 * RxJS stream of decoded TrueConf Room file-transfer events, a file-request tracker and a
 * resilient room connection. This entry runs in browsers and on Node; the file-system actions
 * live in `@org/file-events-stream/node`.
 *
 * @packageDocumentation
 */
export {
  decodeFrame,
  decodeFrames,
  fileEvents,
  ofEvent,
  isDecodeFailure,
  DECODE_DEFAULTS,
} from './decodeFrames'
export type { Decoded, DecodedMessage, DecodeFramesOptions, Frame } from './decodeFrames'
export { trackFileRequests, toFileRequestsAction } from './trackFileRequests'
export type { TrackFileRequestsOptions, TrackerInput } from './trackFileRequests'
export {
  FileRequestsState,
  initialFileRequestsState,
  reduceFileRequests,
  reduceFileRequestsAll,
  TRACKER_DEFAULTS,
} from './fileRequestsReducer'
export type { FileRequestsAction, FileRequestsTrackerOptions } from './fileRequestsReducer'
export { FILE_REQUEST_ANOMALIES } from './FileRequestState'
export type {
  FileRequestState,
  FileRequestAnomaly,
  FileRequestOutcome,
  StatusChange,
} from './FileRequestState'
export { exponentialBackoff, BACKOFF_DEFAULTS } from './exponentialBackoff'
export type { BackoffDelay, ExponentialBackoffOptions } from './exponentialBackoff'
export { connectRoom, RoomConnection } from './RoomConnection'
export type {
  FileActionOptions,
  ReadyOptions,
  SendFileOptions,
  UploadFileOptions,
} from './actionOptions'
export type { ConnectionState } from './RoomOutputs'
export { CONNECT_DEFAULTS } from './connectOptions'
export { HandshakeLimiter, HANDSHAKE_DEFAULTS } from './HandshakeLimiter'
export type { HandshakeLimiterOptions } from './HandshakeLimiter'
export type {
  Command,
  ConnectionLogEntry,
  ConnectRoomOptions,
  PinSource,
  RequestOptions,
} from './connectOptions'
export type { WebSocketConstructor, WebSocketLike } from './webSocket'
export { discoverRoom, FILE_DOWNLOAD_PATH, FILE_UPLOAD_PATH } from './discoverRoom'
export type { DiscoveredRoom, DiscoverRoomOptions, FetchLike, RoomEndpoints } from './discoverRoom'
export { sanitizeFileName, numberedFileName, MAX_FILE_NAME_BYTES } from './sanitizeFileName'
export {
  RoomClientError,
  isRoomClientError,
  ConnectionError,
  isConnectionError,
  RetriesExhaustedError,
  isRetriesExhaustedError,
  AuthenticationError,
  isAuthenticationError,
  RequestTimeoutError,
  isRequestTimeoutError,
  CommandFailedError,
  isCommandFailedError,
  ReplyDecodeError,
  isReplyDecodeError,
  ConnectionClosedError,
  isConnectionClosedError,
  RequestQueueFullError,
  isRequestQueueFullError,
  DiscoveryError,
  isDiscoveryError,
  HttpError,
  isHttpError,
  DownloadError,
  isDownloadError,
  ConfigurationError,
  isConfigurationError,
  redactUrl,
} from './errors'
export type {
  ConnectionFailureReason,
  DiscoveryFailureReason,
  DownloadFailureReason,
  RoomClientErrorCode,
  RoomClientErrorOptions,
} from './errors'
