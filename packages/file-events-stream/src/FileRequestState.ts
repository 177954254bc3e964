import type { DirectionType, FileRequestStatus } from '@org/file-events-codec'

/**
 * Something unexpected the tracker saw about one request. The state is still updated as well as
 * it can be; anomalies say where the event stream was not what the protocol promises.
 *
 * - `backwards-transition`: a status lower than the current one (kept at the higher one).
 * - `event-after-terminal`: a status change after the request had finished (ignored).
 * - `unknown-request`: first seen through an event that implies earlier ones were missed.
 * - `conflicting-terminal`: a second, different final outcome (the first one is kept).
 * - `progress-regression`: a progress percent lower than one already seen.
 * - `missing-from-snapshot`: unfinished here, but absent from the room's lists after a resync.
 * - `direction-mismatch`: events disagree on the direction (the first one is kept).
 *
 * @category tracker
 * @since 0.1.0
 */
export type FileRequestAnomaly =
  | 'backwards-transition'
  | 'event-after-terminal'
  | 'unknown-request'
  | 'conflicting-terminal'
  | 'progress-regression'
  | 'missing-from-snapshot'
  | 'direction-mismatch'

/**
 * The anomaly names in bit order (bit `i` of the packed flags is `ANOMALIES[i]`).
 *
 * @category tracker
 * @since 0.1.0
 */
export const FILE_REQUEST_ANOMALIES: ReadonlyArray<FileRequestAnomaly> = [
  'backwards-transition',
  'event-after-terminal',
  'unknown-request',
  'conflicting-terminal',
  'progress-regression',
  'missing-from-snapshot',
  'direction-mismatch',
]

/**
 * One entry of a request's status history: the status (or `rejected`) and when the tracker saw it
 * (milliseconds since the epoch, from the action's `at`).
 *
 * @category tracker
 * @since 0.1.0
 */
export interface StatusChange {
  readonly status: FileRequestStatus | 'rejected'
  readonly at: number
}

/**
 * What the tracker knows about one file request.
 *
 * @category tracker
 * @since 0.1.0
 */
export interface FileRequestState {
  readonly fileRequestId: string
  /** 0 inbound (a peer sends to the room), 1 outbound. */
  readonly direction: DirectionType
  readonly fileName: string
  /** Bytes, as announced. */
  readonly fileSize: number
  readonly peerId: string | undefined
  readonly peerDisplayName: string | undefined
  /** The conference, or `undefined` outside one. */
  readonly confId: string | undefined
  /** The file on the built-in HTTP server, once known (outbound: from the start; inbound: when complete). */
  readonly fileId: number | undefined
  /** The current status: 0 failed, 1 waiting, 2 in progress, 3 complete. Never goes backwards. */
  readonly status: FileRequestStatus
  /** An inbound request that was declined; its `status` stays what it was (usually 1). */
  readonly rejected: boolean
  /** Finished: complete, failed or rejected. */
  readonly terminal: boolean
  /** Progress 0..100 (the highest reported; 100 once complete). */
  readonly percent: number
  /** When the tracker first saw the request (ms since the epoch). */
  readonly firstSeen: number
  /** When the tracker last saw an event or snapshot item about it. */
  readonly lastSeen: number
  /** When it became terminal, or `undefined`. */
  readonly finishedAt: number | undefined
  /** Status changes, oldest first; the first entry is kept and the rest capped at `maxHistory`. */
  readonly history: ReadonlyArray<StatusChange>
  readonly anomalies: ReadonlyArray<FileRequestAnomaly>
}

// Packed `bits` layout (kept under 2^30 so V8 stores it as a small integer):
//   0-1 status, 2 direction, 3 rejected, 4-10 anomaly flags, 11-20 percent x 10.
const STATUS_MASK = 0b11
const DIRECTION_BIT = 1 << 2
const REJECTED_BIT = 1 << 3
const ANOMALY_SHIFT = 4
const ANOMALY_MASK = 0x7f << ANOMALY_SHIFT
const PERCENT_SHIFT = 11
const PERCENT_MASK = 0x3ff << PERCENT_SHIFT

/** @internal */
export const anomalyBit = (anomaly: FileRequestAnomaly): number => 1 << (ANOMALY_SHIFT + FILE_REQUEST_ANOMALIES.indexOf(anomaly))

/** @internal */
export const ANOMALY = {
  backwards: anomalyBit('backwards-transition'),
  afterTerminal: anomalyBit('event-after-terminal'),
  unknown: anomalyBit('unknown-request'),
  conflictingTerminal: anomalyBit('conflicting-terminal'),
  progressRegression: anomalyBit('progress-regression'),
  missing: anomalyBit('missing-from-snapshot'),
  direction: anomalyBit('direction-mismatch'),
} as const

/** @internal */
export const packBits = (status: FileRequestStatus, direction: DirectionType, rejected: boolean, anomalies: number, percentTenths: number): number =>
  status | (direction === 1 ? DIRECTION_BIT : 0) | (rejected ? REJECTED_BIT : 0) | (anomalies & ANOMALY_MASK) | (percentTenths << PERCENT_SHIFT)

/** @internal */
export const bitsStatus = (bits: number): FileRequestStatus => (bits & STATUS_MASK) as FileRequestStatus
/** @internal */
export const bitsRejected = (bits: number): boolean => (bits & REJECTED_BIT) !== 0
/** @internal */
export const bitsTerminal = (bits: number): boolean => (bits & REJECTED_BIT) !== 0 || (bits & STATUS_MASK) === 0 || (bits & STATUS_MASK) === 3
/** @internal */
export const bitsDirection = (bits: number): DirectionType => ((bits & DIRECTION_BIT) === 0 ? 0 : 1)
/** @internal */
export const bitsAnomalies = (bits: number): number => bits & ANOMALY_MASK
/** @internal */
export const bitsPercentTenths = (bits: number): number => (bits & PERCENT_MASK) >>> PERCENT_SHIFT

/** History entries are packed as `at * 8 + code`, code 0..3 a status and 4 rejected. */
export const REJECTED_CODE = 4
/** @internal */
export const packHistory = (at: number, code: number): number => Math.floor(at) * 8 + code

/**
 * The tracker's record of one request: immutable, compact (one object, one small array), read
 * through getters. Use it through the {@link FileRequestState} interface.
 *
 * @internal
 */
export class TrackedFileRequest implements FileRequestState {
  constructor(
    readonly fileRequestId: string,
    readonly fileName: string,
    readonly fileSize: number,
    readonly peerId: string | undefined,
    readonly peerDisplayName: string | undefined,
    readonly confId: string | undefined,
    readonly fileId: number | undefined,
    readonly lastSeen: number,
    /** Packed status, direction, rejected, anomalies and percent. */
    readonly bits: number,
    /** Packed history, see `packHistory`. */
    readonly packedHistory: ReadonlyArray<number>,
  ) {}

  get status(): FileRequestStatus {
    return bitsStatus(this.bits)
  }
  get direction(): DirectionType {
    return bitsDirection(this.bits)
  }
  get rejected(): boolean {
    return bitsRejected(this.bits)
  }
  get terminal(): boolean {
    return bitsTerminal(this.bits)
  }
  get percent(): number {
    return bitsPercentTenths(this.bits) / 10
  }
  get firstSeen(): number {
    return Math.floor((this.packedHistory[0] ?? 0) / 8)
  }
  get finishedAt(): number | undefined {
    if (!this.terminal) return undefined
    const last = this.packedHistory[this.packedHistory.length - 1] ?? 0
    return Math.floor(last / 8)
  }
  get history(): ReadonlyArray<StatusChange> {
    return this.packedHistory.map((packed) => {
      const code = packed % 8
      return { status: code === REJECTED_CODE ? 'rejected' : (code as FileRequestStatus), at: Math.floor(packed / 8) }
    })
  }
  get anomalies(): ReadonlyArray<FileRequestAnomaly> {
    const flags = bitsAnomalies(this.bits) >>> ANOMALY_SHIFT
    return FILE_REQUEST_ANOMALIES.filter((_, i) => (flags & (1 << i)) !== 0)
  }

  /** A plain object with every field, for logs and `JSON.stringify`. */
  toJSON(): FileRequestState {
    return {
      fileRequestId: this.fileRequestId,
      direction: this.direction,
      fileName: this.fileName,
      fileSize: this.fileSize,
      peerId: this.peerId,
      peerDisplayName: this.peerDisplayName,
      confId: this.confId,
      fileId: this.fileId,
      status: this.status,
      rejected: this.rejected,
      terminal: this.terminal,
      percent: this.percent,
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      finishedAt: this.finishedAt,
      history: this.history,
      anomalies: this.anomalies,
    }
  }
}
