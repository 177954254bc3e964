// The words and orders both views use (the terminal and the web page): what a transfer, a peer, a
// connection state or an event is called, and how transfers are sorted. Runs in Node and in the
// browser: no Node imports here.
import {
  type DirectionType,
  type FileEvent,
  type FileRequestStatus,
  fileSizeOf,
  fileTransferAvailabilityName,
  peerDisplayNameOf,
} from '@org/file-events-codec'
import {
  type ConnectionState,
  type FileRequestAnomaly,
  type FileRequestOutcome,
  type FileRequestState,
  isRetriesExhaustedError,
} from '@org/file-events-stream'

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const

/** `1536` → `1.5 KiB`. */
export const formatBytes = (bytes: number): string => {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`
}

/** `1536` bytes a second → `1.5 KiB/s`. */
export const formatSpeed = (bytesPerSecond: number): string =>
  `${formatBytes(Math.round(bytesPerSecond))}/s`

/** A span of time in a few characters: `0.4 s`, `12 s`, `3 min 05 s`, `2 h 04 min`. */
export const formatDuration = (ms: number): string => {
  const seconds = Math.max(0, ms) / 1000
  if (seconds < 10) return `${seconds.toFixed(1)} s`
  if (seconds < 60) return `${Math.round(seconds)} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}

/** A moment relative to `now`: `just now`, `12 s ago`, `3 min ago`. */
export const formatAgo = (at: number, now: number): string => {
  const seconds = Math.floor((now - at) / 1000)
  if (seconds < 1) return 'just now'
  if (seconds < 60) return `${seconds} s ago`
  const minutes = Math.floor(seconds / 60)
  return minutes < 60 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} h ago`
}

/** One word for a status, the same in the table and in the log of events. */
export const statusWord = (status: FileRequestStatus, direction: DirectionType): string =>
  status === 0
    ? 'failed'
    : status === 1
      ? 'waiting'
      : status === 2
        ? direction === 0
          ? 'receiving'
          : 'sending'
        : 'complete'

/**
 * What a person reads as the state of a transfer: `waiting`, `receiving`, `sending`, `complete`,
 * `failed` or `rejected`. Decided from the tracker's fields, never from display text.
 */
export const stateLabel = (r: FileRequestState): string =>
  r.rejected ? 'rejected' : statusWord(r.status, r.direction)

/** The outcomes in the order the views list them. */
export const OUTCOMES: ReadonlyArray<FileRequestOutcome> = [
  'active',
  'complete',
  'failed',
  'rejected',
]

/** `⇣ in` or `⇡ out`. */
export const directionLabel = (direction: DirectionType): string =>
  direction === 0 ? '⇣ in' : '⇡ out'

/** Who is on the other end: the peer's name, its ID, or the conference. */
export const peerLabel = (r: FileRequestState): string =>
  r.peerDisplayName ?? r.peerId ?? (r.confId !== undefined ? 'conference' : '?')

/** What each anomaly the tracker reports means, for a tooltip or a details row. */
export const ANOMALY_EXPLANATIONS: Readonly<Record<FileRequestAnomaly, string>> = {
  'backwards-transition':
    'an event reported an earlier status than one already seen (kept the later one)',
  'event-after-terminal': 'an event arrived after the transfer had ended (ignored)',
  'unknown-request': 'first seen mid-way: the events before it were missed',
  'conflicting-terminal': 'a second, different ending was reported (the first one is kept)',
  'progress-regression': 'progress went backwards',
  'missing-from-snapshot': "unfinished here, but absent from the room's lists after a resync",
  'direction-mismatch': 'events disagree on the direction (the first one is kept)',
  'evicted-while-active': 'dropped unfinished: too many transfers were active at once',
}

/** An anomaly in a line: its name and what it means. */
export const explainAnomaly = (anomaly: FileRequestAnomaly): string =>
  `${anomaly}: ${ANOMALY_EXPLANATIONS[anomaly]}`

/** Bytes transferred so far, from the highest percent reported. */
export const bytesDone = (r: FileRequestState): number =>
  r.outcome === 'complete' ? r.fileSize : Math.round((r.percent / 100) * r.fileSize)

/** When the transfer started moving (status 2), or `undefined` while it has not. */
export const startedAt = (r: FileRequestState): number | undefined =>
  r.history.find((change) => change.status === 2 || change.status === 3)?.at

/**
 * The mean speed in bytes a second, from its start to its last progress event (to its end once
 * complete); `undefined` before two points in time are known.
 */
export const speedOf = (r: FileRequestState): number | undefined => {
  const start = startedAt(r)
  if (start === undefined) return undefined
  const end = r.finishedAt ?? r.lastSeen
  const done = bytesDone(r)
  return end > start && done > 0 ? (done * 1000) / (end - start) : undefined
}

/** Milliseconds left at the mean speed, while in progress. */
export const timeLeftOf = (r: FileRequestState): number | undefined => {
  const speed = speedOf(r)
  if (r.terminal || r.status !== 2 || speed === undefined) return undefined
  return ((r.fileSize - bytesDone(r)) * 1000) / speed
}

/** Newest-first order of the views: by first sight, ties by id, so that it is stable. */
export const byFirstSeen = (a: FileRequestState, b: FileRequestState): number =>
  a.firstSeen - b.firstSeen || a.fileRequestId.localeCompare(b.fileRequestId)

/** The columns a person may sort by, each with its order (ties by first sight). */
export const SORT_KEYS = {
  direction: (a: FileRequestState, b: FileRequestState) => a.direction - b.direction,
  peer: (a: FileRequestState, b: FileRequestState) => peerLabel(a).localeCompare(peerLabel(b)),
  name: (a: FileRequestState, b: FileRequestState) => a.fileName.localeCompare(b.fileName),
  size: (a: FileRequestState, b: FileRequestState) => a.fileSize - b.fileSize,
  progress: (a: FileRequestState, b: FileRequestState) => a.percent - b.percent,
  state: (a: FileRequestState, b: FileRequestState) => stateLabel(a).localeCompare(stateLabel(b)),
  started: (a: FileRequestState, b: FileRequestState) => a.firstSeen - b.firstSeen,
  speed: (a: FileRequestState, b: FileRequestState) => (speedOf(a) ?? -1) - (speedOf(b) ?? -1),
} as const satisfies Record<string, (a: FileRequestState, b: FileRequestState) => number>

/** A column to sort by. */
export type SortKey = keyof typeof SORT_KEYS

/** `requests` sorted by `key`, ascending or not; ties in first-sight order. */
export const sortRequests = (
  requests: Iterable<FileRequestState>,
  key: SortKey = 'started',
  ascending = true,
): FileRequestState[] =>
  [...requests].sort((a, b) => {
    const order = SORT_KEYS[key](a, b)
    return (ascending ? order : -order) || byFirstSeen(a, b)
  })

/** A one-line summary per outcome, for the end of a run. */
export const summarize = (requests: ReadonlyArray<FileRequestState>): string => {
  const counts = new Map<string, number>()
  for (const r of requests) counts.set(stateLabel(r), (counts.get(stateLabel(r)) ?? 0) + 1)
  const parts = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${n} ${k}`)
  return `${requests.length} transfers: ${parts.length === 0 ? 'none' : parts.join(', ')}`
}

/** An error's message, or the thrown value as text. */
export const messageOf = (error: unknown): string =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as { message?: unknown }).message === 'string'
    ? (error as { message: string }).message
    : String(error)

/**
 * An error in a line: its message (the package's errors never hold secrets), with the last
 * attempt's reason when reconnecting gave up.
 */
export const describeError = (error: unknown): string => {
  const message = messageOf(error)
  return isRetriesExhaustedError(error)
    ? `${message} (last: ${messageOf(error.lastError)})`
    : message
}

/** The connection state in a few words, with why the last attempt failed while reconnecting. */
export const describeState = (
  s: ConnectionState,
  maxRetries = Number.POSITIVE_INFINITY,
): string => {
  // `attempt` counts from 0, the first connection: the later ones are retries.
  const retry = (n: number): string =>
    `retry ${n}${Number.isFinite(maxRetries) ? ` of ${maxRetries}` : ''}`
  switch (s.status) {
    case 'connecting':
      return s.attempt === 0 ? 'connecting' : `connecting (${retry(s.attempt)})`
    case 'authenticating':
      return 'authenticating'
    case 'ready':
      return s.connects > 1 ? `ready (reconnected, connection #${s.connects})` : 'ready'
    case 'reconnecting':
      return `reconnecting in ${(s.delayMs / 1000).toFixed(1)} s (${retry(s.attempt)}): ${describeError(s.lastError)}`
    case 'closed':
      return s.error !== undefined ? `closed: ${describeError(s.error)}` : `closed (${s.reason})`
  }
}

/** Progress events: one a few percent, too many for a log a person reads. */
export const isProgressEvent = (e: FileEvent): boolean =>
  e.event === 'incomingFileRequestDownloadingProgress' ||
  e.event === 'outgoingFileRequestUploadingProgress'

/** One log line per file event, as a person would describe it, in the table's words. */
export const describeEvent = (e: FileEvent): string => {
  const size = (v: { fileSize?: number; size?: number }): string => {
    const bytes = fileSizeOf(v)
    return bytes === undefined ? '' : ` (${formatBytes(bytes)})`
  }
  switch (e.event) {
    case 'receivedFileRequest':
      return `⇣ ${peerDisplayNameOf(e) ?? e.peerId} offers ${e.fileName}${size(e)}`
    case 'incomingFileRequestAccepted':
      return `⇣ accepted ${e.fileName}`
    case 'incomingFileRequestRejected':
      return `⇣ rejected ${e.fileName}`
    case 'incomingFileRequestDownloadingProgress':
      return `⇣ ${e.fileName} ${e.processedPercents} %`
    case 'outgoingFileRequestSent':
      return `⇡ sending ${e.fileName}${size(e)} to ${peerDisplayNameOf(e) ?? e.peerId}`
    case 'outgoingFileRequestSentToConference':
      return `⇡ sending ${e.fileName}${size(e)} to the conference`
    case 'outgoingFileRequestUploadingProgress':
      return `⇡ ${e.fileName} ${e.processedPercents} %`
    case 'fileRequestStatusChanged':
      return `${e.directionType === 0 ? '⇣' : '⇡'} ${e.fileName}: ${statusWord(e.status, e.directionType)}`
    case 'fileTransferAvailabilityChanged':
      return `file transfer ${fileTransferAvailabilityName(e.availability)}`
    case 'fileDeletedFromFileTransferHistory':
      return `${e.fileName} removed from the history${e.removedFromDisk ? ' and the disk' : ''}`
    case 'fileTransferHistoryCleared':
      return 'file transfer history cleared'
  }
}
