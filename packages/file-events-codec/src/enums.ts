import * as t from 'io-ts'

/**
 * Status of a file request (`status` in `fileRequestStatusChanged`, `getFileRequestInfo` and the
 * request lists): 0 internal error, 1 waiting for instructions, 2 in progress, 3 complete.
 *
 * @category enums
 * @since 0.1.0
 */
export const FileRequestStatus = /*#__PURE__*/ t.union(
  [
    /*#__PURE__*/ t.literal(0),
    /*#__PURE__*/ t.literal(1),
    /*#__PURE__*/ t.literal(2),
    /*#__PURE__*/ t.literal(3),
  ],
  'FileRequestStatus',
)
/** @category enums @since 0.1.0 */
export type FileRequestStatus = t.TypeOf<typeof FileRequestStatus>

/**
 * The {@link FileRequestStatus} values by name.
 *
 * @example
 * import { FileRequestStatusValue } from '@org/file-events-codec'
 * FileRequestStatusValue.complete // 3
 *
 * @category enums
 * @since 0.1.0
 */
export const FileRequestStatusValue = {
  internalError: 0,
  waiting: 1,
  inProgress: 2,
  complete: 3,
} as const

const STATUS_NAMES = [
  'internal error',
  'waiting for instructions',
  'in progress',
  'complete',
] as const

/**
 * Human-readable name of a {@link FileRequestStatus}.
 *
 * @example
 * import { fileRequestStatusName } from '@org/file-events-codec'
 * fileRequestStatusName(2) // 'in progress'
 *
 * @category enums
 * @since 0.1.0
 */
export const fileRequestStatusName = (
  status: FileRequestStatus,
): 'internal error' | 'waiting for instructions' | 'in progress' | 'complete' =>
  STATUS_NAMES[status]

/**
 * Whether a request in this status is finished: complete (3) or failed (0). A rejected request
 * has no status of its own on the wire; it ends with `incomingFileRequestRejected`.
 *
 * @category enums
 * @since 0.1.0
 */
export const isTerminalStatus = (status: FileRequestStatus): status is 0 | 3 =>
  status === 0 || status === 3

/**
 * Direction of a file request (`directionType`): 0 inbound (a peer sends to the room),
 * 1 outbound (the room sends).
 *
 * @category enums
 * @since 0.1.0
 */
export const DirectionType = /*#__PURE__*/ t.union(
  [/*#__PURE__*/ t.literal(0), /*#__PURE__*/ t.literal(1)],
  'DirectionType',
)
/** @category enums @since 0.1.0 */
export type DirectionType = t.TypeOf<typeof DirectionType>

/**
 * The {@link DirectionType} values by name.
 *
 * @category enums
 * @since 0.1.0
 */
export const DirectionTypeValue = { inbound: 0, outbound: 1 } as const

/**
 * Name of a {@link DirectionType}.
 *
 * @category enums
 * @since 0.1.0
 */
export const directionTypeName = (direction: DirectionType): 'inbound' | 'outbound' =>
  direction === 0 ? 'inbound' : 'outbound'

/**
 * Whether files can be sent and received (`availability`): 0 prohibited by the server,
 * 1 prohibited by the license, 2 prohibited until the room logs in to a server, 3 available.
 *
 * @category enums
 * @since 0.1.0
 */
export const FileTransferAvailability = /*#__PURE__*/ t.union(
  [
    /*#__PURE__*/ t.literal(0),
    /*#__PURE__*/ t.literal(1),
    /*#__PURE__*/ t.literal(2),
    /*#__PURE__*/ t.literal(3),
  ],
  'FileTransferAvailability',
)
/** @category enums @since 0.1.0 */
export type FileTransferAvailability = t.TypeOf<typeof FileTransferAvailability>

const AVAILABILITY_NAMES = [
  'prohibited by the server',
  'prohibited by the license',
  'login to a server required',
  'available',
] as const

/**
 * Human-readable name of a {@link FileTransferAvailability}.
 *
 * @category enums
 * @since 0.1.0
 */
export const fileTransferAvailabilityName = (
  availability: FileTransferAvailability,
): (typeof AVAILABILITY_NAMES)[number] => AVAILABILITY_NAMES[availability]

/**
 * The application state of `getAppState` / `appStateChanged`: 0 none, 1 connect, 2 login,
 * 3 normal, 4 wait, 5 conference, 6 close.
 *
 * @category enums
 * @since 0.1.0
 */
export const AppState = /*#__PURE__*/ t.union(
  [
    /*#__PURE__*/ t.literal(0),
    /*#__PURE__*/ t.literal(1),
    /*#__PURE__*/ t.literal(2),
    /*#__PURE__*/ t.literal(3),
    /*#__PURE__*/ t.literal(4),
    /*#__PURE__*/ t.literal(5),
    /*#__PURE__*/ t.literal(6),
  ],
  'AppState',
)
/** @category enums @since 0.1.0 */
export type AppState = t.TypeOf<typeof AppState>
