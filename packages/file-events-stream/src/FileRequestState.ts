import type { DirectionType, FileRequestStatus } from '@org/file-events-codec'

/**
 * Something unexpected the tracker saw about one request. The state is still updated as well as
 * it can be; anomalies say where the event stream was not what the protocol promises.
 *
 * - `backwards-transition`: an event with a status lower than the current one (kept at the higher one).
 * - `event-after-terminal`: an event with another status after the request had finished (ignored).
 * - `unknown-request`: first seen through an event that implies earlier ones were missed.
 * - `conflicting-terminal`: a second, different final outcome (the first one is kept).
 * - `progress-regression`: a progress percent lower than one already seen.
 * - `missing-from-snapshot`: unfinished here, but absent from the room's lists after a resync.
 * - `direction-mismatch`: events disagree on the direction (the first one is kept).
 * - `evicted-while-active`: dropped unfinished, as the oldest active request once more than
 *   `maxActive` were active (see `FileRequestsState.evictedActive`).
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
  | 'evicted-while-active'

/**
 * The anomaly names in bit order (bit `i` of the packed flags is `ANOMALIES[i]`).
 *
 * @category tracker
 * @since 0.1.0
 */
export const FILE_REQUEST_ANOMALIES: ReadonlyArray<FileRequestAnomaly> = Object.freeze([
  'backwards-transition',
  'event-after-terminal',
  'unknown-request',
  'conflicting-terminal',
  'progress-regression',
  'missing-from-snapshot',
  'direction-mismatch',
  'evicted-while-active',
])

/**
 * How a request stands, in one word: `active` (waiting or in progress), `complete`, `failed`
 * (status 0, an internal error) or `rejected` (an inbound request that was declined).
 *
 * @category tracker
 * @since 0.1.0
 */
export type FileRequestOutcome = 'active' | 'complete' | 'failed' | 'rejected'

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
  /** How it stands, in one word: `active`, `complete`, `failed` or `rejected`. */
  readonly outcome: FileRequestOutcome
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
//   0-1 status, 2 direction, 3 rejected, 4-11 anomaly flags, 12-21 percent x 10.
const STATUS_MASK = 0b11
const DIRECTION_BIT = 1 << 2
const REJECTED_BIT = 1 << 3
const ANOMALY_SHIFT = 4
const ANOMALY_MASK = 0xff << ANOMALY_SHIFT
const PERCENT_SHIFT = 12
const PERCENT_MASK = 0x3ff << PERCENT_SHIFT

/** @internal */
export const anomalyBit = (anomaly: FileRequestAnomaly): number =>
  1 << (ANOMALY_SHIFT + FILE_REQUEST_ANOMALIES.indexOf(anomaly))

/** @internal */
export const ANOMALY = {
  backwards: anomalyBit('backwards-transition'),
  afterTerminal: anomalyBit('event-after-terminal'),
  unknown: anomalyBit('unknown-request'),
  conflictingTerminal: anomalyBit('conflicting-terminal'),
  progressRegression: anomalyBit('progress-regression'),
  missing: anomalyBit('missing-from-snapshot'),
  direction: anomalyBit('direction-mismatch'),
  evictedActive: anomalyBit('evicted-while-active'),
} as const

/** @internal */
export const packBits = (
  status: FileRequestStatus,
  direction: DirectionType,
  rejected: boolean,
  anomalies: number,
  percentTenths: number,
): number =>
  status |
  (direction === 1 ? DIRECTION_BIT : 0) |
  (rejected ? REJECTED_BIT : 0) |
  (anomalies & ANOMALY_MASK) |
  (percentTenths << PERCENT_SHIFT)

/** @internal */
export const bitsStatus = (bits: number): FileRequestStatus =>
  (bits & STATUS_MASK) as FileRequestStatus
/** @internal */
export const bitsRejected = (bits: number): boolean => (bits & REJECTED_BIT) !== 0
/** @internal */
export const bitsTerminal = (bits: number): boolean =>
  (bits & REJECTED_BIT) !== 0 || (bits & STATUS_MASK) === 0 || (bits & STATUS_MASK) === 3
/** @internal */
export const bitsDirection = (bits: number): DirectionType => ((bits & DIRECTION_BIT) === 0 ? 0 : 1)
/** @internal */
export const bitsAnomalies = (bits: number): number => bits & ANOMALY_MASK
/** @internal */
export const bitsPercentTenths = (bits: number): number => (bits & PERCENT_MASK) >>> PERCENT_SHIFT

/**
 * History codes: 0..3 a status, 4 rejected; 7 marks "no second entry" in `histHead`.
 *
 * @internal
 */
export const REJECTED_CODE = 4
const NO_ENTRY = 7

/**
 * A history of (code, time) entries in a few numbers: the first entry is at `firstSeen`; `histHead`
 * packs its code with the second entry's code and its delay after `firstSeen`
 * (`code1 + 8 * code2 + 64 * delay2`); later entries are `delay * 8 + code` in `histTail`. Most
 * requests never need the array, and the numbers stay small integers V8 stores unboxed.
 *
 * @internal
 */
export interface PackedHistory {
  readonly histHead: number
  readonly histTail: ReadonlyArray<number> | undefined
}

/**
 * A non-negative integer as V8 stores it unboxed when it fits: arithmetic on timestamps yields
 * doubles, and a single double stored in a field makes that field boxed (16 more bytes) for
 * every request.
 *
 * @internal
 */
export const smallInt = (x: number): number => (x >= 0 && x <= 0x3fffffff ? x | 0 : x)

/** @internal */
export const singleEntry = (code: number): number => code + 8 * NO_ENTRY

/** @internal */
export const appendHistory = (
  h: PackedHistory,
  delay: number,
  code: number,
  maxHistory: number,
): PackedHistory => {
  const d = Math.max(0, Math.floor(delay))
  const code1 = h.histHead % 8
  const code2 = Math.floor(h.histHead / 8) % 8
  if (code2 === NO_ENTRY)
    return { histHead: smallInt(code1 + 8 * code + 64 * d), histTail: undefined }
  const entry = smallInt(d * 8 + code)
  const tail = h.histTail === undefined ? [entry] : [...h.histTail, entry]
  if (2 + tail.length <= maxHistory) return { histHead: h.histHead, histTail: tail }
  // Over the cap: keep the first entry, drop the oldest of the others.
  const second = tail[0] as number
  return {
    histHead: smallInt(code1 + 8 * (second % 8) + 64 * Math.floor(second / 8)),
    histTail: tail.length > 1 ? tail.slice(1) : undefined,
  }
}

const decodeCode = (code: number): StatusChange['status'] =>
  code === REJECTED_CODE ? 'rejected' : (code as FileRequestStatus)

/**
 * The tracker's record of one request: immutable, compact (one object, rarely an array), read
 * through getters. Use it through the {@link FileRequestState} interface.
 *
 * @internal
 */
export class TrackedFileRequest implements FileRequestState, PackedHistory {
  constructor(
    readonly fileRequestId: string,
    readonly fileName: string,
    readonly fileSize: number,
    readonly peerId: string | undefined,
    readonly peerDisplayName: string | undefined,
    readonly confId: string | undefined,
    readonly fileId: number | undefined,
    readonly firstSeen: number,
    /** `lastSeen - firstSeen`. */
    readonly lastSeenDelay: number,
    /** Packed status, direction, rejected, anomalies and percent. */
    readonly bits: number,
    readonly histHead: number,
    readonly histTail: ReadonlyArray<number> | undefined,
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
  get outcome(): FileRequestOutcome {
    const bits = this.bits
    if (bitsRejected(bits)) return 'rejected'
    const status = bitsStatus(bits)
    return status === 3 ? 'complete' : status === 0 ? 'failed' : 'active'
  }
  get percent(): number {
    return bitsPercentTenths(this.bits) / 10
  }
  get lastSeen(): number {
    return this.firstSeen + this.lastSeenDelay
  }
  get finishedAt(): number | undefined {
    if (!this.terminal) return undefined
    const history = this.history
    return history[history.length - 1]?.at
  }
  get history(): ReadonlyArray<StatusChange> {
    const head = this.histHead
    const out: StatusChange[] = [{ status: decodeCode(head % 8), at: this.firstSeen }]
    const code2 = Math.floor(head / 8) % 8
    if (code2 !== NO_ENTRY)
      out.push({ status: decodeCode(code2), at: this.firstSeen + Math.floor(head / 64) })
    if (this.histTail !== undefined) {
      for (const packed of this.histTail)
        out.push({ status: decodeCode(packed % 8), at: this.firstSeen + Math.floor(packed / 8) })
    }
    return out
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
      outcome: this.outcome,
      percent: this.percent,
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      finishedAt: this.finishedAt,
      history: this.history,
      anomalies: this.anomalies,
    }
  }

  /** What Node's `util.inspect` (and so `console.log`) shows: the same fields, not the packed ones. */
  [Symbol.for('nodejs.util.inspect.custom')](): FileRequestState {
    return this.toJSON()
  }
}
