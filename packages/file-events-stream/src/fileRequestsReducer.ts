import type {
  FileEvent,
  FileTransferAvailability,
  FileTransferHistoryItem,
  IncomingFileRequestItem,
  OutgoingFileRequestItem,
  SuccessReplyOf,
} from '@org/file-events-codec'
import type { FileRequestState, TrackedFileRequest } from './FileRequestState'
import { HashTrie, newHasher, randomSeed } from './internal/HashTrie'
import {
  type Cons,
  type Draft,
  EMPTY_MAP,
  type QueueEntry,
  clearFinished,
  compactQueue,
  evict,
  evictActive,
  keyOf,
  markMissing,
  newDraft,
  removeRequest,
  upsert,
} from './internal/TrackerDraft'
import { type Update, fromEvent, itemUpdate, newUpdate } from './internal/Update'

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

/**
 * Everything the tracker knows: one {@link FileRequestState} per `fileRequestId`. Immutable: the
 * reducer returns a new state and shares what did not change, so every snapshot stays valid.
 *
 * @category tracker
 * @since 0.1.0
 */
export class FileRequestsState {
  /** @internal */
  constructor(
    /** Every tracked request by `fileRequestId` (read-only; iteration order is unspecified). */
    readonly requests: ReadonlyMap<string, FileRequestState>,
    /** Requests not finished yet. */
    readonly activeCount: number,
    /** Finished requests still kept. */
    readonly finishedCount: number,
    /**
     * Requests evicted so far: finished ones (by `maxFinished`, `finishedTtlMs` or a history
     * clear), and unfinished ones past `maxActive`.
     */
    readonly evictedCount: number,
    /** The last `fileTransferAvailabilityChanged` value, if any. */
    readonly availability: FileTransferAvailability | undefined,
    /** Actions folded so far. */
    readonly actionCount: number,
    /** The options in force. */
    readonly options: Required<FileRequestsTrackerOptions>,
    /** @internal finished ids, oldest first: `front[frontIndex..]` then `back` reversed. */
    readonly queueFront: ReadonlyArray<QueueEntry>,
    /** @internal */
    readonly queueFrontIndex: number,
    /** @internal */
    readonly queueBack: Cons | undefined,
    /** @internal */
    readonly queueLength: number,
    /** @internal unfinished ids, oldest first: `activeIds[activeStart..activeEnd)`. */
    readonly activeIds: ReadonlyArray<string>,
    /** @internal */
    readonly activeStart: number,
    /** @internal */
    readonly activeEnd: number,
    /**
     * The unfinished requests that the fold which made this state evicted past `maxActive`, each
     * flagged `evicted-while-active` (at most 100; more are only counted in `evictedCount`).
     * Empty almost always.
     */
    readonly evictedActive: ReadonlyArray<FileRequestState>,
  ) {}

  /** The request with this id, if tracked. */
  get(fileRequestId: string): FileRequestState | undefined {
    return this.requests.get(fileRequestId)
  }
}

const normalizeOptions = (
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

/** Shared by every state whose fold evicted no unfinished request. */
const NONE_EVICTED: ReadonlyArray<FileRequestState> = Object.freeze([])

/**
 * An empty tracker state.
 *
 * @category tracker
 * @since 0.1.0
 */
export const initialFileRequestsState = (
  options?: FileRequestsTrackerOptions,
): FileRequestsState => {
  const normalized = normalizeOptions(options)
  return new FileRequestsState(
    HashTrie.empty<TrackedFileRequest>(keyOf, newHasher(normalized.hashSeed)),
    0,
    0,
    0,
    undefined,
    0,
    normalized,
    [],
    0,
    undefined,
    0,
    [],
    0,
    0,
    NONE_EVICTED,
  )
}

const workingDraft: Draft = newDraft()

/** Folds in progress: a fold started from inside another (an action's getter) gets its own copies. */
let folding = 0

const scratch: Update = newUpdate()

/**
 * Folds one action into the tracker state: a pure function (the input state is left unchanged),
 * usable without RxJS.
 *
 * Rules: a request's status never goes backwards (a lower one is recorded as an anomaly); once
 * finished (status 0 or 3, or rejected) it stays finished, so events delivered late, twice or out
 * of order do not change the outcome. Finished requests are evicted oldest-finished first beyond
 * `maxFinished` or after `finishedTtlMs`. `fileDeletedFromFileTransferHistory` removes the request
 * and `fileTransferHistoryCleared` removes every finished one.
 *
 * @example
 * import { initialFileRequestsState, reduceFileRequests } from '@org/file-events-stream'
 * let state = initialFileRequestsState({ maxFinished: 100 })
 * state = reduceFileRequests(state, {
 *   type: 'event',
 *   at: Date.now(),
 *   event: {
 *     method: 'event', event: 'receivedFileRequest', fileRequestId: 'r1', fileName: 'a.txt',
 *     peerId: 'p@s', peerDn: 'p', fileSize: 3, timestamp: 0,
 *   },
 * })
 * console.log(state.get('r1')?.status) // 1
 *
 * @category tracker
 * @since 0.1.0
 */
export const reduceFileRequests = (
  state: FileRequestsState,
  action: FileRequestsAction,
): FileRequestsState => reduceFileRequestsAll(state, [action])

/**
 * Folds several actions at once: the same state as folding them one by one with
 * {@link reduceFileRequests}, for less work. The intermediate states are never made, so the
 * structure built during the batch is updated in place (what earlier states hold is never
 * touched). The connection folds each burst of frames this way.
 *
 * @category tracker
 * @since 0.1.0
 */
export const reduceFileRequestsAll = (
  state: FileRequestsState,
  actions: ReadonlyArray<FileRequestsAction>,
): FileRequestsState => {
  if (actions.length === 0) return state
  // The working copies are reused: nothing keeps them after this call returns. A fold started while
  // another is in progress (a getter on an action can do that) gets new ones.
  const nested = folding > 0
  const draft = nested ? newDraft() : workingDraft
  const update = nested ? newUpdate() : scratch
  folding++
  try {
    return fold(state, actions, draft, update)
  } finally {
    folding--
    // The reused working copy must not keep a state alive after its owner dropped it.
    draft.map = EMPTY_MAP
    draft.front = []
    draft.back = undefined
    draft.activeIds = []
    draft.evictedActive = []
    draft.edit = undefined
    update.id = update.fileName = ''
    update.peerId = update.peerDisplayName = update.confId = undefined
  }
}

const fold = (
  state: FileRequestsState,
  actions: ReadonlyArray<FileRequestsAction>,
  draft: Draft,
  update: Update,
): FileRequestsState => {
  draft.map = state.requests as HashTrie<TrackedFileRequest>
  draft.active = state.activeCount
  draft.finished = state.finishedCount
  draft.evicted = state.evictedCount
  draft.front = state.queueFront
  draft.frontIndex = state.queueFrontIndex
  draft.back = state.queueBack
  draft.queueLength = state.queueLength
  draft.activeIds = state.activeIds as string[]
  draft.activeStart = state.activeStart
  draft.activeEnd = state.activeEnd
  draft.evictedActive = []
  // One action has no one to share its new branches with: updating them in place gains nothing.
  draft.edit = actions.length > 1 ? new Set() : undefined
  const options = state.options
  let availability = state.availability
  for (const action of actions) availability = apply(draft, action, options, availability, update)
  return new FileRequestsState(
    draft.map,
    draft.active,
    draft.finished,
    draft.evicted,
    availability,
    state.actionCount + actions.length,
    options,
    draft.front,
    draft.frontIndex,
    draft.back,
    draft.queueLength,
    draft.activeIds,
    draft.activeStart,
    draft.activeEnd,
    draft.evictedActive.length === 0 ? NONE_EVICTED : draft.evictedActive,
  )
}

/** Folds one action into the draft; returns the availability after it. */
const apply = (
  draft: Draft,
  action: FileRequestsAction,
  options: Required<FileRequestsTrackerOptions>,
  availabilityBefore: FileTransferAvailability | undefined,
  update: Update,
): FileTransferAvailability | undefined => {
  let availability = availabilityBefore
  const at = action.at
  switch (action.type) {
    case 'event': {
      const event = action.event
      if (event.event === 'fileTransferAvailabilityChanged') availability = event.availability
      else if (event.event === 'fileDeletedFromFileTransferHistory')
        removeRequest(draft, event.fileRequestId)
      else if (event.event === 'fileTransferHistoryCleared') clearFinished(draft)
      else {
        if (fromEvent(event, update)) upsert(draft, update, at, options.maxHistory)
      }
      break
    }
    case 'snapshot': {
      const seen = new Set<string>()
      for (const item of action.history) {
        seen.add(item.fileRequestId)
        upsert(draft, itemUpdate(item, item.directionType, 3), at, options.maxHistory)
      }
      for (const item of action.incoming) {
        seen.add(item.fileRequestId)
        upsert(draft, itemUpdate(item, 0, item.status), at, options.maxHistory)
      }
      for (const item of action.outgoing) {
        seen.add(item.fileRequestId)
        upsert(draft, itemUpdate(item, 1, item.status), at, options.maxHistory)
      }
      markMissing(draft, seen)
      break
    }
    case 'info': {
      const info = action.info
      upsert(
        draft,
        {
          ...itemUpdate(
            { ...info, fileId: info.fileId ?? 0 } as FileTransferHistoryItem,
            info.directionType,
            info.status,
          ),
          fileId: info.fileId,
        },
        at,
        options.maxHistory,
      )
      break
    }
    case 'rejected': {
      const r = draft.map.get(action.fileRequestId)
      if (r !== undefined) {
        upsert(
          draft,
          {
            ...newUpdate(),
            id: r.fileRequestId,
            direction: r.direction,
            fileName: r.fileName,
            fileSize: r.fileSize,
            rejected: true,
          },
          at,
          options.maxHistory,
        )
      }
      break
    }
    case 'tick':
      break
  }
  evict(draft, at, options)
  if (
    draft.active > options.maxActive ||
    draft.activeEnd - draft.activeStart > 2 * draft.active + 64
  )
    evictActive(draft, options.maxActive)
  // Stale queue entries (deleted requests) are dropped when the queue has grown well past the kept ones.
  if (draft.queueLength > 2 * draft.finished + 64) compactQueue(draft)
  return availability
}
