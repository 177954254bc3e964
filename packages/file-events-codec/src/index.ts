/**
 * io-ts codecs for the file-transfer part of the TrueConf Room / VideoSDK API.
 *
 * @packageDocumentation
 */
export {
  FileRequestId,
  FileId,
  fileIdToNumber,
  PeerId,
  ConfId,
  Timestamp,
  SECONDS_THRESHOLD,
  timestampToDate,
  FileSize,
  Percent,
} from './primitives'
export {
  FileRequestStatus,
  FileRequestStatusValue,
  fileRequestStatusName,
  isTerminalStatus,
  DirectionType,
  DirectionTypeValue,
  directionTypeName,
  FileTransferAvailability,
  fileTransferAvailabilityName,
  AppState,
} from './enums'
export {
  FileSizeField,
  fileRequestInfoProps,
  fileRequestOptionalProps,
  FileRequestStatusChanged,
  ReceivedFileRequest,
  IncomingFileRequestAccepted,
  IncomingFileRequestRejected,
  IncomingFileRequestDownloadingProgress,
  OutgoingFileRequestSent,
  OutgoingFileRequestSentToConference,
  OutgoingFileRequestUploadingProgress,
  FileTransferAvailabilityChanged,
  FileDeletedFromFileTransferHistory,
  FileTransferHistoryCleared,
  fileEventCodecs,
  FILE_EVENT_NAMES,
  isFileEventName,
  FileEvent,
  UnknownEvent,
} from './events'
export type { FileEventName, FileEventOf } from './events'
export {
  SecuredAuthRequest,
  UnsecuredAuthRequest,
  AuthRequest,
  GetTokenForHttpServerRequest,
  SetUsedApiVersionRequest,
  SendFileRequest,
  SendFileToConferenceRequest,
  AcceptIncomingFileRequestRequest,
  RejectIncomingFileRequestRequest,
  GetFileRequestInfoRequest,
  GetIncomingFilesRequestsRequest,
  GetOutgoingFilesRequestsRequest,
  GetFileTransferHistoryRequest,
  GetFileListRequest,
  GetFileTransferAvailabilityRequest,
  ClearFileTransferHistoryRequest,
  DeleteFileTransferFileRequest,
  GetAppStateRequest,
  CommandReply,
  AuthReply,
  GetTokenForHttpServerReply,
  SetUsedApiVersionReply,
  SendFileReply,
  SendFileToConferenceReply,
  AcceptIncomingFileRequestReply,
  RejectIncomingFileRequestReply,
  GetFileRequestInfoReply,
  IncomingFileRequestItem,
  OutgoingFileRequestItem,
  FileTransferHistoryItem,
  GetIncomingFilesRequestsReply,
  GetOutgoingFilesRequestsReply,
  GetFileTransferHistoryReply,
  FileListItem,
  GetFileListReply,
  GetFileTransferAvailabilityReply,
  ClearFileTransferHistoryReply,
  DeleteFileTransferFileReply,
  GetAppStateReply,
  commandCodecs,
  requestCodecs,
  replyCodecs,
  COMMAND_METHODS,
  isCommandMethod,
} from './commands'
export type {
  FailureReply,
  CommandMethod,
  RequestOf,
  ReplyOf,
  SuccessReplyOf,
  FileCommandRequest,
  FileCommandReply,
} from './commands'
export {
  RoomMessage,
  RoomRequest,
  UnknownRequest,
  decodeFailure,
  decodeRoomMessage,
  decodeRoomRequest,
  isEvent,
  isFileEvent,
  isUnknownEvent,
  isReply,
} from './RoomMessage'
export type { DecodeFailure } from './RoomMessage'
export {
  formatDecodeErrors,
  renderValue,
  SECRET_KEYS,
  FORMAT_DECODE_ERRORS_DEFAULTS,
} from './formatDecodeErrors'
export type { FormatDecodeErrorsLimits } from './formatDecodeErrors'
export { RoomConfig, Port, DEFAULT_PORTS, CONFIG_PATH } from './RoomConfig'
export { FILE_UPLOAD_PATH, FILE_DOWNLOAD_PATH, fileDownloadPath } from './httpPaths'
export { fileSizeOf, peerDisplayNameOf, confIdOf, isInboundFileReceived } from './views'
export type { InboundFileReceived } from './views'
