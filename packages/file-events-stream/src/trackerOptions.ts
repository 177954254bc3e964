import type {
  FileEvent,
  FileTransferHistoryItem,
  IncomingFileRequestItem,
  OutgoingFileRequestItem,
  SuccessReplyOf,
} from '@org/file-events-codec'
import { randomSeed } from './internal/HashTrie'

/**
 * Options of the file-request tracker.
 *
 * @category tracker
 * @since 0.1.0
 */
export interface FileRequestsTrackerOptions {
  /**
   * How many finished (complete, failed, rejected) requests to keep; the oldest finished are
   * evicted first.
   *
   * @default 1000
   */
  readonly maxFinished?: number
  /**
   * How many unfinished requests to keep, a bound no real room reaches: past it, the oldest
   * unfinished request (by when the tracker first saw it) is evicted, counted in `evictedCount`,
   * and listed, flagged `evicted-while-active`, in the state's `evictedActive` (the connection logs
   * a `tracker-evicted-active` warning). A room that offers without end cannot grow the tracker.
   *
   * @default 100000
   */
  readonly maxActive?: number
  /**
   * How long a finished request is kept after it finished, in milliseconds.
   *
   * @default 86400000 (24 hours)
   */
  readonly finishedTtlMs?: number
  /**
   * Status-history entries kept per request (the first one is always kept).
   *
   * @default 8
   */
  readonly maxHistory?: number
  /**
   * The seed of the hash that files request ids in the tracker's map; a random one per tracker by
   * default, and `options.hashSeed` says which. Give one only to reproduce a run (a benchmark, a
   * test): ids that collide under a seed known to the room are filed under a second hash, whose
   * seed is always random, so they cost a little more, never a list scan.
   *
   * @default a random 32-bit integer
   */
  readonly hashSeed?: number
}

/**
 * Defaults of {@link FileRequestsTrackerOptions} (`hashSeed` is random per tracker).
 *
 * @category tracker
 * @since 0.1.0
 */
export const TRACKER_DEFAULTS: Readonly<Required<Omit<FileRequestsTrackerOptions, 'hashSeed'>>> =
  Object.freeze({
    maxFinished: 1000,
    maxActive: 100_000,
    finishedTtlMs: 24 * 60 * 60 * 1000,
    maxHistory: 8,
  })

/**
 * What the tracker folds:
 * - `event`: a file event, seen at `at` (ms since the epoch);
 * - `snapshot`: the three lists read after a (re)connect, reconciled with what is tracked;
 * - `info`: a `getFileRequestInfo` reply;
 * - `rejected`: the room confirmed this client's `rejectIncomingFileRequest` (the lists cannot tell
 *   a rejected request from a waiting one, so a rejection whose event was lost is known this way);
 * - `tick`: only the time passing, for `finishedTtlMs` eviction.
 *
 * @category tracker
 * @since 0.1.0
 */
export type FileRequestsAction =
  | { readonly type: 'event'; readonly event: FileEvent; readonly at: number }
  | {
      readonly type: 'snapshot'
      readonly incoming: ReadonlyArray<IncomingFileRequestItem>
      readonly outgoing: ReadonlyArray<OutgoingFileRequestItem>
      readonly history: ReadonlyArray<FileTransferHistoryItem>
      readonly at: number
    }
  | {
      readonly type: 'info'
      readonly info: SuccessReplyOf<'getFileRequestInfo'>
      readonly at: number
    }
  | { readonly type: 'rejected'; readonly fileRequestId: string; readonly at: number }
  | { readonly type: 'tick'; readonly at: number }

/** The options with the defaults filled in and each within its bounds. @internal */
export const normalizeOptions = (
  options: FileRequestsTrackerOptions | undefined,
): Required<FileRequestsTrackerOptions> => {
  const merged = { ...TRACKER_DEFAULTS, ...options }
  // The first entry is always kept, so fewer than two entries could not show the latest status.
  return {
    ...merged,
    maxFinished: Math.max(0, merged.maxFinished),
    maxActive: Math.max(1, Math.floor(merged.maxActive)),
    maxHistory: Math.max(2, Math.floor(merged.maxHistory)),
    hashSeed: (options?.hashSeed ?? randomSeed()) >>> 0,
  }
}
