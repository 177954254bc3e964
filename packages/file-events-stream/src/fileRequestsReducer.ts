import {
  type DirectionType,
  type FileEvent,
  type FileId,
  type FileRequestStatus,
  type FileTransferAvailability,
  type FileTransferHistoryItem,
  type IncomingFileRequestItem,
  type OutgoingFileRequestItem,
  type SuccessReplyOf,
  confIdOf,
  fileIdToNumber,
  fileSizeOf,
  peerDisplayNameOf,
} from '@org/file-events-codec'
import {
  ANOMALY,
  type FileRequestState,
  REJECTED_CODE,
  appendHistory,
  TrackedFileRequest,
  bitsAnomalies,
  bitsDirection,
  bitsPercentTenths,
  bitsRejected,
  bitsStatus,
  bitsTerminal,
  packBits,
  singleEntry,
  smallInt,
} from './FileRequestState'
import { type Edit, HashTrie } from './internal/HashTrie'

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
}

/**
 * Defaults of {@link FileRequestsTrackerOptions}.
 *
 * @category tracker
 * @since 0.1.0
 */
export const TRACKER_DEFAULTS: Readonly<Required<FileRequestsTrackerOptions>> = Object.freeze({
  maxFinished: 1000,
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

interface QueueEntry {
  readonly id: string
  readonly at: number
}
interface Cons {
  readonly entry: QueueEntry
  readonly next: Cons | undefined
}

const keyOf = (r: TrackedFileRequest): string => r.fileRequestId

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
    /** Finished requests evicted so far (by `maxFinished`, `finishedTtlMs` or a history clear). */
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
    maxHistory: Math.max(2, Math.floor(merged.maxHistory)),
  }
}

/**
 * An empty tracker state.
 *
 * @category tracker
 * @since 0.1.0
 */
export const initialFileRequestsState = (options?: FileRequestsTrackerOptions): FileRequestsState =>
  new FileRequestsState(
    HashTrie.empty<TrackedFileRequest>(keyOf),
    0,
    0,
    0,
    undefined,
    0,
    normalizeOptions(options),
    [],
    0,
    undefined,
    0,
  )

/** What one event or list item says about a request. */
interface Update {
  id: string
  direction: DirectionType
  fileName: string
  fileSize: number | undefined
  peerId: string | undefined
  peerDisplayName: string | undefined
  confId: string | undefined
  fileId: FileId | undefined
  /** A status stated by the room. */
  status: FileRequestStatus | undefined
  /** The least status the message implies (1 for an offer, 2 for progress). */
  implied: FileRequestStatus
  percent: number | undefined
  rejected: boolean
  /** Whether this message can be the first one about a request. */
  opening: boolean
  /**
   * A list item or info reply: it may predate events already folded, so a lower status from it is
   * expected, not an anomaly.
   */
  lagging: boolean
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Mutable working copy of a state while one action is folded. */
interface Draft {
  map: HashTrie<TrackedFileRequest>
  active: number
  finished: number
  evicted: number
  front: ReadonlyArray<QueueEntry>
  frontIndex: number
  back: Cons | undefined
  queueLength: number
  /** Set while a batch is folded: the map branches it may update in place. */
  edit: Edit | undefined
}

const EMPTY_MAP = HashTrie.empty<TrackedFileRequest>(keyOf)

const newDraft = (): Draft => ({
  map: EMPTY_MAP,
  active: 0,
  finished: 0,
  evicted: 0,
  front: [],
  frontIndex: 0,
  back: undefined,
  queueLength: 0,
  edit: undefined,
})

const workingDraft: Draft = newDraft()

/** Folds in progress: a fold started from inside another (an action's getter) gets its own copies. */
let folding = 0

const isTerminal = (status: FileRequestStatus, rejected: boolean): boolean =>
  rejected || status === 0 || status === 3

const upsert = (draft: Draft, u: Update, at: number, maxHistory: number): void => {
  const prev = draft.map.get(u.id)
  const fileId = u.fileId === undefined ? undefined : fileIdToNumber(u.fileId)
  let next: TrackedFileRequest
  if (prev === undefined) {
    const rejected = u.rejected
    const status: FileRequestStatus = u.status ?? u.implied
    const percent = status === 3 ? 1000 : Math.round((u.percent ?? 0) * 10)
    const anomalies = u.opening ? 0 : ANOMALY.unknown
    next = new TrackedFileRequest(
      u.id,
      u.fileName,
      u.fileSize ?? 0,
      u.peerId,
      u.peerDisplayName,
      u.confId,
      fileId,
      at,
      0,
      packBits(status, u.direction, rejected, anomalies, percent),
      singleEntry(rejected ? REJECTED_CODE : status),
      undefined,
    )
    draft.edit?.add(next)
    draft.map = draft.map.set(next, draft.edit)
    if (isTerminal(status, rejected)) {
      draft.finished++
      pushFinished(draft, u.id, at)
    } else draft.active++
    return
  }
  const bits = prev.bits
  const prevStatus = bitsStatus(bits)
  const prevRejected = bitsRejected(bits)
  const prevTerminal = bitsTerminal(bits)
  let status = prevStatus
  let rejected = prevRejected
  let anomalies = bitsAnomalies(bits)
  if (u.status !== undefined && u.status !== prevStatus) {
    const incomingTerminal = u.status === 0 || u.status === 3
    if (prevTerminal) {
      if (incomingTerminal) anomalies |= ANOMALY.conflictingTerminal
      else if (!u.lagging) anomalies |= ANOMALY.afterTerminal
    } else if (u.status === 0 || u.status > prevStatus) status = u.status
    else if (!u.lagging) anomalies |= ANOMALY.backwards
  } else if (u.status !== undefined && prevRejected && (u.status === 0 || u.status === 3)) {
    anomalies |= ANOMALY.conflictingTerminal
  }
  if (!prevTerminal && status !== 0 && u.implied > status) status = u.implied
  if (u.rejected && !prevRejected) {
    if (prevTerminal) anomalies |= ANOMALY.conflictingTerminal
    else rejected = true
  }
  let percent = bitsPercentTenths(bits)
  if (u.percent !== undefined) {
    const tenths = Math.round(u.percent * 10)
    if (tenths < percent) anomalies |= ANOMALY.progressRegression
    else percent = tenths
  }
  if (status === 3) percent = 1000
  const direction = bitsDirection(bits)
  if (u.direction !== direction) anomalies |= ANOMALY.direction
  let history: { histHead: number; histTail: ReadonlyArray<number> | undefined } = prev
  if (status !== prevStatus || rejected !== prevRejected) {
    history = appendHistory(
      prev,
      at - prev.firstSeen,
      rejected ? REJECTED_CODE : status,
      maxHistory,
    )
  }
  const newBits = packBits(status, direction, rejected, anomalies, percent)
  const edit = draft.edit
  if (edit !== undefined && edit.has(prev)) {
    // Made earlier in this batch, so no state holds it yet: update it where it is in the map.
    const owned = prev as Mutable<TrackedFileRequest>
    if (prev.fileSize === 0 && u.fileSize !== undefined) owned.fileSize = u.fileSize
    owned.peerId = prev.peerId ?? u.peerId
    owned.peerDisplayName = prev.peerDisplayName ?? u.peerDisplayName
    owned.confId = prev.confId ?? u.confId
    owned.fileId = prev.fileId ?? fileId
    owned.lastSeenDelay = smallInt(Math.max(prev.lastSeenDelay, at - prev.firstSeen))
    owned.bits = newBits
    owned.histHead = history.histHead
    owned.histTail = history.histTail
  } else {
    next = new TrackedFileRequest(
      prev.fileRequestId,
      prev.fileName,
      prev.fileSize === 0 && u.fileSize !== undefined ? u.fileSize : prev.fileSize,
      prev.peerId ?? u.peerId,
      prev.peerDisplayName ?? u.peerDisplayName,
      prev.confId ?? u.confId,
      prev.fileId ?? fileId,
      prev.firstSeen,
      smallInt(Math.max(prev.lastSeenDelay, at - prev.firstSeen)),
      newBits,
      history.histHead,
      history.histTail,
    )
    edit?.add(next)
    draft.map = draft.map.set(next, edit)
  }
  if (!prevTerminal && isTerminal(status, rejected)) {
    draft.active--
    draft.finished++
    pushFinished(draft, u.id, at)
  }
}

const pushFinished = (draft: Draft, id: string, at: number): void => {
  draft.back = { entry: { id, at }, next: draft.back }
  draft.queueLength++
}

/** The oldest queued entry, moving `back` to `front` when `front` is used up. */
const peekFinished = (draft: Draft): QueueEntry | undefined => {
  if (draft.frontIndex >= draft.front.length) {
    if (draft.back === undefined) return undefined
    const entries: QueueEntry[] = []
    for (let c: Cons | undefined = draft.back; c !== undefined; c = c.next) entries.push(c.entry)
    entries.reverse()
    draft.front = entries
    draft.frontIndex = 0
    draft.back = undefined
  }
  return draft.front[draft.frontIndex]
}

const removeRequest = (draft: Draft, id: string): void => {
  const prev = draft.map.get(id)
  if (prev === undefined) return
  draft.map = draft.map.delete(id, draft.edit)
  if (bitsTerminal(prev.bits)) draft.finished--
  else draft.active--
}

const evict = (draft: Draft, now: number, options: Required<FileRequestsTrackerOptions>): void => {
  for (;;) {
    const head = peekFinished(draft)
    if (head === undefined) return
    // The common case, checked before any lookup: nothing is over the count or the age limit.
    if (draft.finished <= options.maxFinished && head.at + options.finishedTtlMs > now) return
    const current = draft.map.get(head.id)
    // An entry is stale when its request was deleted since: drop it without counting an eviction.
    const live = current !== undefined && bitsTerminal(current.bits)
    if (live && draft.finished <= options.maxFinished && head.at + options.finishedTtlMs > now)
      return
    draft.frontIndex++
    draft.queueLength--
    if (live) {
      removeRequest(draft, head.id)
      draft.evicted++
    }
  }
}

/** Every field any file-request event may carry, for one monomorphic read path. */
interface LooseEvent {
  readonly fileRequestId: string
  readonly fileName: string
  readonly fileSize?: number
  readonly size?: number
  readonly peerId?: string
  readonly peerDisplayName?: string
  readonly peerDn?: string
  readonly confId?: string
  readonly fileId?: FileId
}

// One reusable update record: the reducer allocates as little as it can per event.
const newUpdate = (): Update => ({
  id: '',
  direction: 0,
  fileName: '',
  fileSize: undefined,
  peerId: undefined,
  peerDisplayName: undefined,
  confId: undefined,
  fileId: undefined,
  status: undefined,
  implied: 1,
  percent: undefined,
  rejected: false,
  opening: true,
  lagging: false,
})

const scratch: Update = newUpdate()

/** Fills `u` from a file-request event; false for the events that are not about one request. */
const fromEvent = (event: FileEvent, u: Update): boolean => {
  let direction: DirectionType = 0
  let implied: FileRequestStatus = 1
  let opening = true
  let status: FileRequestStatus | undefined
  let percent: number | undefined
  switch (event.event) {
    case 'fileRequestStatusChanged':
      direction = event.directionType
      status = event.status
      opening = event.status <= 1
      break
    case 'receivedFileRequest':
      break
    case 'incomingFileRequestAccepted':
    case 'incomingFileRequestRejected':
      opening = false
      break
    case 'incomingFileRequestDownloadingProgress':
      implied = 2
      opening = false
      percent = event.processedPercents
      break
    case 'outgoingFileRequestSent':
    case 'outgoingFileRequestSentToConference':
      direction = 1
      break
    case 'outgoingFileRequestUploadingProgress':
      direction = 1
      implied = 2
      opening = false
      percent = event.processedPercents
      break
    default:
      return false
  }
  const e = event as unknown as LooseEvent
  u.id = e.fileRequestId
  u.direction = direction
  u.fileName = e.fileName
  u.fileSize = e.fileSize ?? e.size
  u.peerId = e.peerId
  u.peerDisplayName = e.peerDisplayName ?? e.peerDn
  u.confId = e.confId === '' ? undefined : e.confId
  u.fileId = e.fileId
  u.status = status
  u.implied = implied
  u.percent = percent
  u.rejected = event.event === 'incomingFileRequestRejected'
  u.opening = opening
  u.lagging = false
  return true
}

const itemUpdate = (
  item: IncomingFileRequestItem | OutgoingFileRequestItem | FileTransferHistoryItem,
  direction: DirectionType,
  status: FileRequestStatus,
): Update => ({
  id: item.fileRequestId,
  direction,
  fileName: item.fileName,
  fileSize: fileSizeOf(item),
  peerId: item.peerId,
  peerDisplayName: peerDisplayNameOf(item),
  confId: confIdOf(item),
  fileId: item.fileId,
  status,
  implied: 1,
  percent: undefined,
  rejected: false,
  opening: true,
  lagging: true,
})

const markMissing = (draft: Draft, seen: ReadonlySet<string>): void => {
  // A list first: inside a batch, `set` updates the branches being walked in place.
  for (const request of [...draft.map.values()]) {
    if (seen.has(request.fileRequestId) || bitsTerminal(request.bits)) continue
    const bits = request.bits | ANOMALY.missing
    if (bits === request.bits) continue
    draft.map = draft.map.set(
      new TrackedFileRequest(
        request.fileRequestId,
        request.fileName,
        request.fileSize,
        request.peerId,
        request.peerDisplayName,
        request.confId,
        request.fileId,
        request.firstSeen,
        request.lastSeenDelay,
        bits,
        request.histHead,
        request.histTail,
      ),
      draft.edit,
    )
  }
}

const clearFinished = (draft: Draft): void => {
  // Ids first: inside a batch, removing updates the branches being walked in place.
  const finished: string[] = []
  for (const request of draft.map.values())
    if (bitsTerminal(request.bits)) finished.push(request.fileRequestId)
  for (const id of finished) {
    removeRequest(draft, id)
    draft.evicted++
  }
  draft.front = []
  draft.frontIndex = 0
  draft.back = undefined
  draft.queueLength = 0
}

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
  // Stale queue entries (deleted requests) are dropped when the queue has grown well past the kept ones.
  if (draft.queueLength > 2 * draft.finished + 64) compactQueue(draft)
  return availability
}

const compactQueue = (draft: Draft): void => {
  const entries: QueueEntry[] = []
  for (let i = draft.frontIndex; i < draft.front.length; i++)
    entries.push(draft.front[i] as QueueEntry)
  const back: QueueEntry[] = []
  for (let c = draft.back; c !== undefined; c = c.next) back.push(c.entry)
  for (let i = back.length - 1; i >= 0; i--) entries.push(back[i] as QueueEntry)
  const kept = entries.filter((e) => {
    const r = draft.map.get(e.id)
    return r !== undefined && bitsTerminal(r.bits)
  })
  draft.front = kept
  draft.frontIndex = 0
  draft.back = undefined
  draft.queueLength = kept.length
}
