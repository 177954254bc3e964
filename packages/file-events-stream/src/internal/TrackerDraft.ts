import { type FileRequestStatus, fileIdToNumber } from '@org/file-events-codec'
import {
  ANOMALY,
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
} from '../FileRequestState'
import { type Edit, HashTrie } from './HashTrie'
import type { FileRequestsTrackerOptions } from '../trackerOptions'
import type { Update } from './Update'

/*
 * The tracker's mutable working copy while actions are folded (`Draft`) and what is done to it:
 * merging an update into a request, the queue of finished requests, eviction, snapshot and
 * history-clear handling. Only `fileRequestsReducer` uses it.
 */

/** @internal */
export interface QueueEntry {
  readonly id: string
  readonly at: number
}
/** @internal */
export interface Cons {
  readonly entry: QueueEntry
  readonly next: Cons | undefined
}

/** @internal */
export const keyOf = (r: TrackedFileRequest): string => r.fileRequestId

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * Mutable working copy of a state while one action is folded.
 *
 * @internal
 */
export interface Draft {
  map: HashTrie<TrackedFileRequest>
  active: number
  finished: number
  evicted: number
  front: ReadonlyArray<QueueEntry>
  frontIndex: number
  back: Cons | undefined
  queueLength: number
  /**
   * Ids of requests created unfinished, oldest first: `activeIds[activeStart..activeEnd)`. The
   * array is shared by the states of one line of folds and only appended to: a state sees its own
   * range, and a fold from a state whose range no longer ends the array copies it first.
   */
  activeIds: string[]
  activeStart: number
  activeEnd: number
  /** Requests evicted unfinished by this fold (at most `EVICTED_ACTIVE_KEPT`), flagged. */
  evictedActive: TrackedFileRequest[]
  /** Set while a batch is folded: the map branches it may update in place. */
  edit: Edit | undefined
}

/**
 * Requests evicted unfinished that one state lists in `evictedActive`; more are only counted.
 *
 * @internal
 */
export const EVICTED_ACTIVE_KEPT = 100

/** @internal */
export const EMPTY_MAP = HashTrie.empty<TrackedFileRequest>(keyOf)

/** @internal */
export const newDraft = (): Draft => ({
  map: EMPTY_MAP,
  active: 0,
  finished: 0,
  evicted: 0,
  front: [],
  frontIndex: 0,
  back: undefined,
  queueLength: 0,
  activeIds: [],
  activeStart: 0,
  activeEnd: 0,
  evictedActive: [],
  edit: undefined,
})

const isTerminal = (status: FileRequestStatus, rejected: boolean): boolean =>
  rejected || status === 0 || status === 3

/** @internal */
export const upsert = (draft: Draft, u: Update, at: number, maxHistory: number): void => {
  // Hashed once for the lookup and the update.
  const hash = draft.map.hash(u.id)
  const prev = draft.map.get(u.id, hash)
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
    draft.map = draft.map.set(next, draft.edit, hash)
    if (isTerminal(status, rejected)) {
      draft.finished++
      pushFinished(draft, u.id, at)
    } else {
      draft.active++
      pushActive(draft, u.id)
    }
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
    draft.map = draft.map.set(next, edit, hash)
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

/** @internal */
export const removeRequest = (draft: Draft, id: string, hash = draft.map.hash(id)): void => {
  const prev = draft.map.get(id, hash)
  if (prev === undefined) return
  draft.map = draft.map.delete(id, draft.edit, hash)
  if (bitsTerminal(prev.bits)) draft.finished--
  else draft.active--
}

/** @internal */
export const evict = (
  draft: Draft,
  now: number,
  options: Required<FileRequestsTrackerOptions>,
): void => {
  for (;;) {
    const head = peekFinished(draft)
    if (head === undefined) return
    // The common case, checked before any lookup: nothing is over the count or the age limit.
    if (draft.finished <= options.maxFinished && head.at + options.finishedTtlMs > now) return
    const hash = draft.map.hash(head.id)
    const current = draft.map.get(head.id, hash)
    // An entry is stale when its request was deleted since: drop it without counting an eviction.
    const live = current !== undefined && bitsTerminal(current.bits)
    if (live && draft.finished <= options.maxFinished && head.at + options.finishedTtlMs > now)
      return
    draft.frontIndex++
    draft.queueLength--
    if (live) {
      removeRequest(draft, head.id, hash)
      draft.evicted++
    }
  }
}

const pushActive = (draft: Draft, id: string): void => {
  if (draft.activeIds.length !== draft.activeEnd) {
    // Another state of the same line appended past this one's range: take a copy of the range.
    draft.activeIds = draft.activeIds.slice(draft.activeStart, draft.activeEnd)
    draft.activeEnd -= draft.activeStart
    draft.activeStart = 0
  }
  draft.activeIds.push(id)
  draft.activeEnd++
}

/**
 * Past `maxActive` unfinished requests, evicts the oldest (by when the tracker first saw them),
 * each flagged `evicted-while-active` in `evictedActive`. Ids of requests that finished or went
 * since are skipped, and dropped from the list once they outnumber the live ones (so the list
 * stays within a constant of the unfinished count, whatever churns through).
 *
 * @internal
 */
export const evictActive = (draft: Draft, maxActive: number): void => {
  while (draft.active > maxActive && draft.activeStart < draft.activeEnd) {
    const id = draft.activeIds[draft.activeStart] as string
    draft.activeStart++
    const hash = draft.map.hash(id)
    const current = draft.map.get(id, hash)
    if (current === undefined || bitsTerminal(current.bits)) continue
    removeRequest(draft, id, hash)
    draft.evicted++
    if (draft.evictedActive.length < EVICTED_ACTIVE_KEPT)
      draft.evictedActive.push(flagged(current, ANOMALY.evictedActive))
  }
  const listed = draft.activeEnd - draft.activeStart
  if (listed > 2 * draft.active + 64) {
    const live: string[] = []
    for (let i = draft.activeStart; i < draft.activeEnd; i++) {
      const id = draft.activeIds[i] as string
      const current = draft.map.get(id)
      if (current !== undefined && !bitsTerminal(current.bits)) live.push(id)
    }
    draft.activeIds = live
    draft.activeStart = 0
    draft.activeEnd = live.length
  }
}

/** A copy of `request` with `anomaly` added. */
const flagged = (request: TrackedFileRequest, anomaly: number): TrackedFileRequest =>
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
    request.bits | anomaly,
    request.histHead,
    request.histTail,
  )

/** @internal */
export const markMissing = (draft: Draft, seen: ReadonlySet<string>): void => {
  // A list first: inside a batch, `set` updates the branches being walked in place.
  for (const request of [...draft.map.values()]) {
    if (seen.has(request.fileRequestId) || bitsTerminal(request.bits)) continue
    if ((request.bits | ANOMALY.missing) === request.bits) continue
    draft.map = draft.map.set(flagged(request, ANOMALY.missing), draft.edit)
  }
}

/** @internal */
export const clearFinished = (draft: Draft): void => {
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

/** @internal */
export const compactQueue = (draft: Draft): void => {
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
