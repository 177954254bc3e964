import type { FileTransferAvailability } from '@org/file-events-codec'
import type { FileRequestState, TrackedFileRequest } from './FileRequestState'
import { apply } from './internal/applyAction'
import { HashTrie, newHasher } from './internal/HashTrie'
import {
  type Draft,
  EMPTY_MAP,
  type Cons,
  type QueueEntry,
  keyOf,
  newDraft,
} from './internal/TrackerDraft'
import { type Update, newUpdate } from './internal/Update'
import {
  type FileRequestsAction,
  type FileRequestsTrackerOptions,
  normalizeOptions,
} from './trackerOptions'

export {
  type FileRequestsAction,
  type FileRequestsTrackerOptions,
  TRACKER_DEFAULTS,
} from './trackerOptions'

/**
 * The actions of a line of unfolded states, shared by them: each state is `root` with the first
 * `length` actions of `log` folded in. `base` is the latest of them folded so far (`baseAt` its
 * length), where a later one starts from.
 */
interface Line {
  readonly root: FileRequestsState
  readonly log: FileRequestsAction[]
  base: FileRequestsState
  baseAt: number
}

/** What a state left to fold: the first `length` actions of its line. */
interface Deferred {
  readonly line: Line
  readonly length: number
  /** At most this many unfinished requests once folded. */
  readonly activeBound: number
}

/**
 * Everything the tracker knows: one {@link FileRequestState} per `fileRequestId`. Immutable: the
 * reducer returns a new state and shares what did not change, so every snapshot stays valid.
 *
 * A state the connection emits may be folded when it is first read: its actions are folded then,
 * in one batch, into the nearest state before it that was read (at most 32 events wait; the next
 * one folds them all). What it holds is the same either way; the folds are fewer and larger. The
 * events are read then too: they are the ones `events$` gives out, and must not be changed (their
 * fields are `readonly`).
 *
 * @category tracker
 * @since 0.1.0
 */
export class FileRequestsState {
  /** @internal */
  constructor(
    /** @internal */
    public map: HashTrie<TrackedFileRequest>,
    /** @internal */
    public active: number,
    /** @internal */
    public finished: number,
    /** @internal */
    public evicted: number,
    /** @internal */
    public available: FileTransferAvailability | undefined,
    /** @internal */
    public actions: number,
    /** The options in force. */
    readonly options: Required<FileRequestsTrackerOptions>,
    /** @internal finished ids, oldest first: `front[frontIndex..]` then `back` reversed. */
    public front: ReadonlyArray<QueueEntry>,
    /** @internal */
    public frontIndex: number,
    /** @internal */
    public back: Cons | undefined,
    /** @internal */
    public queued: number,
    /** @internal unfinished ids, oldest first: `activeIds[activeStart..activeEnd)`. */
    public ids: ReadonlyArray<string>,
    /** @internal */
    public idsStart: number,
    /** @internal */
    public idsEnd: number,
    /** @internal */
    public evictedNow: ReadonlyArray<FileRequestState>,
    /** @internal what is left to fold, if anything */
    public deferred: Deferred | undefined,
  ) {}

  /** This state, with what it deferred folded in. */
  private folded(): this {
    if (this.deferred !== undefined) settle(this)
    return this
  }

  /** Every tracked request by `fileRequestId` (read-only; iteration order is unspecified). */
  get requests(): ReadonlyMap<string, FileRequestState> {
    return this.folded().map
  }

  /** Requests not finished yet. */
  get activeCount(): number {
    return this.folded().active
  }

  /** Finished requests still kept. */
  get finishedCount(): number {
    return this.folded().finished
  }

  /**
   * Requests evicted so far: finished ones (by `maxFinished`, `finishedTtlMs` or a history
   * clear), and unfinished ones past `maxActive`.
   */
  get evictedCount(): number {
    return this.folded().evicted
  }

  /** The last `fileTransferAvailabilityChanged` value, if any. */
  get availability(): FileTransferAvailability | undefined {
    return this.folded().available
  }

  /** Actions folded so far. */
  get actionCount(): number {
    return this.actions
  }

  /**
   * The unfinished requests that the fold which made this state evicted past `maxActive`, each
   * flagged `evicted-while-active` (at most 100; more are only counted in `evictedCount`).
   * Empty almost always.
   */
  get evictedActive(): ReadonlyArray<FileRequestState> {
    return this.folded().evictedNow
  }

  /** @internal unfinished ids, oldest first: `activeIds[activeStart..activeEnd)`. */
  get activeIds(): ReadonlyArray<string> {
    return this.folded().ids
  }

  /** @internal */
  get activeStart(): number {
    return this.folded().idsStart
  }

  /** @internal */
  get activeEnd(): number {
    return this.folded().idsEnd
  }

  /** The request with this id, if tracked. */
  get(fileRequestId: string): FileRequestState | undefined {
    return this.folded().map.get(fileRequestId)
  }

  /** What Node's `util.inspect` (and so `console.log`) shows: the fields, folded, not the internals. */
  [Symbol.for('nodejs.util.inspect.custom')](): object {
    return {
      // A copy, shown as a Map: the trie's own nodes mean nothing to a reader.
      requests: new Map(this.requests),
      activeCount: this.activeCount,
      finishedCount: this.finishedCount,
      evictedCount: this.evictedCount,
      availability: this.availability,
      actionCount: this.actionCount,
    }
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
    undefined,
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
): FileRequestsState =>
  actions.length === 0 ? state : foldRange(state, actions, 0, actions.length, undefined)

/**
 * Folds `actions[from..to)` into `state`: into a new state, or into `into` (a deferred state being
 * settled) when given.
 */
const foldRange = (
  state: FileRequestsState,
  actions: ReadonlyArray<FileRequestsAction>,
  from: number,
  to: number,
  into: FileRequestsState | undefined,
): FileRequestsState => {
  if (state.deferred !== undefined) settle(state)
  // The working copies are reused: nothing keeps them after this call returns. A fold started while
  // another is in progress (a getter on an action can do that) gets new ones.
  const nested = folding > 0
  const draft = nested ? newDraft() : workingDraft
  const update = nested ? newUpdate() : scratch
  folding++
  try {
    return fold(state, actions, from, to, draft, update, into)
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
  from: number,
  to: number,
  draft: Draft,
  update: Update,
  into: FileRequestsState | undefined,
): FileRequestsState => {
  draft.map = state.map
  draft.active = state.active
  draft.finished = state.finished
  draft.evicted = state.evicted
  draft.front = state.front
  draft.frontIndex = state.frontIndex
  draft.back = state.back
  draft.queueLength = state.queued
  draft.activeIds = state.ids as string[]
  draft.activeStart = state.idsStart
  draft.activeEnd = state.idsEnd
  draft.evictedActive = []
  // One action has no one to share its new branches with: updating them in place gains nothing.
  draft.edit = to - from > 1 ? new Set() : undefined
  const options = state.options
  let availability = state.available
  for (let i = from; i < to; i++)
    availability = apply(draft, actions[i] as FileRequestsAction, options, availability, update)
  const evictedNow = draft.evictedActive.length === 0 ? NONE_EVICTED : draft.evictedActive
  if (into === undefined)
    return new FileRequestsState(
      draft.map,
      draft.active,
      draft.finished,
      draft.evicted,
      availability,
      state.actions + (to - from),
      options,
      draft.front,
      draft.frontIndex,
      draft.back,
      draft.queueLength,
      draft.activeIds,
      draft.activeStart,
      draft.activeEnd,
      evictedNow,
      undefined,
    )
  into.map = draft.map
  into.active = draft.active
  into.finished = draft.finished
  into.evicted = draft.evicted
  into.available = availability
  into.front = draft.front
  into.frontIndex = draft.frontIndex
  into.back = draft.back
  into.queued = draft.queueLength
  into.ids = draft.activeIds
  into.idsStart = draft.activeStart
  into.idsEnd = draft.activeEnd
  into.evictedNow = evictedNow
  into.deferred = undefined
  return into
}

/**
 * Actions a state may keep unfolded, counted from the nearest folded state: a bound on what an
 * unread state holds on to.
 *
 * @internal
 */
export const MAX_DEFERRED = 32

const NO_IDS: ReadonlyArray<string> = Object.freeze([])
const NO_ENTRIES: ReadonlyArray<QueueEntry> = Object.freeze([])

/**
 * The state with `actions` folded in, as {@link reduceFileRequestsAll} makes it, folded when it is
 * first read. Events only: a snapshot, an info reply, a rejection or a tick is folded at once (so a
 * resync is applied when it happens), and so is a batch that could take the tracker past
 * `maxActive` (whose evictions are reported as they happen) or past {@link MAX_DEFERRED} actions
 * unfolded.
 *
 * @internal
 */
export const reduceFileRequestsLater = (
  state: FileRequestsState,
  actions: ReadonlyArray<FileRequestsAction>,
): FileRequestsState => {
  if (actions.length === 0) return state
  const before = state.deferred
  const length = (before === undefined ? 0 : before.length) + actions.length
  const activeBound = (before === undefined ? state.active : before.activeBound) + actions.length
  let eventsOnly = true
  for (let i = 0; i < actions.length && eventsOnly; i++)
    eventsOnly = (actions[i] as FileRequestsAction).type === 'event'
  if (!eventsOnly || length > MAX_DEFERRED || activeBound > state.options.maxActive)
    return reduceFileRequestsAll(state, actions)
  let line: Line
  if (before === undefined) line = { root: state, log: [], base: state, baseAt: 0 }
  else if (before.line.log.length === before.length) line = before.line
  else {
    // Another state of the line was made from this one's past: this one starts a line of its own.
    const log = before.line.log.slice(0, before.length)
    line = { root: before.line.root, log, base: before.line.root, baseAt: 0 }
  }
  for (const action of actions) line.log.push(action)
  return new FileRequestsState(
    EMPTY_MAP,
    0,
    0,
    0,
    undefined,
    state.actions + actions.length,
    state.options,
    NO_ENTRIES,
    0,
    undefined,
    0,
    NO_IDS,
    0,
    0,
    NONE_EVICTED,
    { line, length, activeBound },
  )
}

/**
 * Folds what a state deferred into the state itself: its line's actions since the latest state of
 * the line folded before it, in one batch.
 */
const settle = (state: FileRequestsState): void => {
  const { line, length } = state.deferred as Deferred
  const from = line.baseAt <= length ? line.baseAt : 0
  foldRange(from === 0 ? line.root : line.base, line.log, from, length, state)
  if (length > line.baseAt) {
    line.base = state
    line.baseAt = length
  }
}
