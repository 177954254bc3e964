// The one model both views draw: derived from a connection's streams with `scan`, plus the notes
// of whoever acts on the room (the demo's kiosk behaviour, the page's buttons). The reducer is a
// plain function; `roomView` wraps it.
import type { DecodeFailure, FileEvent } from '@org/file-events-codec'
import type {
  ConnectionState,
  FileRequestOutcome,
  FileRequestsState,
  FileRequestState,
  RoomConnection,
} from '@org/file-events-stream'
import { Observable, interval, map, merge, scan, startWith } from 'rxjs'
import {
  bytesDone,
  describeError,
  describeEvent,
  describeState,
  isProgressEvent,
} from './presentation'

/** What a log entry is about: the views may show some kinds only. */
export type LogKind =
  | 'event'
  | 'progress'
  | 'connection'
  | 'action'
  | 'error'
  | 'bad-frame'
  /** The error that ended the connection for good. */
  | 'fatal'

/** One line of the log: when, what kind, and what, in the views' words. */
export interface LogEntry {
  /** Counts from 1, in arrival order: a view prints the entries it has not printed yet. */
  readonly seq: number
  readonly at: number
  readonly kind: LogKind
  readonly text: string
}

/** One point of the charts: bytes a second each way since the previous one, and counts by outcome. */
export interface Sample {
  readonly at: number
  readonly inBytesPerSecond: number
  readonly outBytesPerSecond: number
  readonly outcomes: Readonly<Record<FileRequestOutcome, number>>
}

/** Everything the views show. */
export interface RoomView {
  readonly connection: ConnectionState | undefined
  /** `connection` in words (`starting` before the first state). */
  readonly connectionText: string
  /** The connection's stream ended with this error (a wrong PIN, retries exhausted). */
  readonly fatal: unknown
  readonly requests: ReadonlyMap<string, FileRequestState>
  readonly decodeFailures: number
  /** Newest last; at most `maxLog`. */
  readonly log: ReadonlyArray<LogEntry>
  /** Oldest first; at most `maxSamples`. */
  readonly samples: ReadonlyArray<Sample>
  /** Bytes done each way at the last sample, to take the next one's difference. */
  readonly totals: { readonly in: number; readonly out: number }
  readonly seq: number
}

/** What changes the view: the connection's outputs, a note from someone acting, a clock tick. */
export type RoomViewAction =
  | { readonly type: 'state'; readonly at: number; readonly state: ConnectionState }
  | { readonly type: 'requests'; readonly requests: FileRequestsState }
  | { readonly type: 'event'; readonly at: number; readonly event: FileEvent }
  | { readonly type: 'bad-frame'; readonly at: number; readonly failure: DecodeFailure }
  | { readonly type: 'note'; readonly at: number; readonly kind: LogKind; readonly text: string }
  | { readonly type: 'fatal'; readonly at: number; readonly error: unknown }
  | { readonly type: 'tick'; readonly at: number }

export interface RoomViewOptions {
  /** In the connection state's words (`retry 2 of 5`). @default unlimited */
  readonly maxRetries?: number
  /** Log entries kept. @default 200 */
  readonly maxLog?: number
  /** Chart points kept. @default 300 */
  readonly maxSamples?: number
}

export const initialRoomView: RoomView = {
  connection: undefined,
  connectionText: 'starting',
  fatal: undefined,
  requests: new Map(),
  decodeFailures: 0,
  log: [],
  samples: [],
  totals: { in: 0, out: 0 },
  seq: 0,
}

/** How many requests stand at each outcome. */
export const countOutcomes = (
  requests: ReadonlyMap<string, FileRequestState>,
): Record<FileRequestOutcome, number> => {
  const counts = { active: 0, complete: 0, failed: 0, rejected: 0 }
  for (const r of requests.values()) counts[r.outcome]++
  return counts
}

const totalsOf = (requests: ReadonlyMap<string, FileRequestState>): RoomView['totals'] => {
  let inbound = 0
  let outbound = 0
  for (const r of requests.values()) {
    if (r.direction === 0) inbound += bytesDone(r)
    else outbound += bytesDone(r)
  }
  return { in: inbound, out: outbound }
}

/** The view after one action: a pure function. */
export const reduceRoomView = (
  view: RoomView,
  action: RoomViewAction,
  options: RoomViewOptions = {},
): RoomView => {
  const maxLog = options.maxLog ?? 200
  const say = (at: number, kind: LogKind, text: string): Pick<RoomView, 'log' | 'seq'> => {
    const seq = view.seq + 1
    const log = [...view.log, { seq, at, kind, text }]
    return { seq, log: log.length > maxLog ? log.slice(log.length - maxLog) : log }
  }
  switch (action.type) {
    case 'state': {
      const connectionText = describeState(action.state, options.maxRetries)
      const closedByError = action.state.status === 'closed' && action.state.error !== undefined
      return {
        ...view,
        connection: action.state,
        connectionText,
        // The error that closed it is said once, as `fatal`.
        ...(closedByError ? {} : say(action.at, 'connection', `connection ${connectionText}`)),
      }
    }
    case 'requests':
      return { ...view, requests: action.requests.requests }
    case 'event':
      return {
        ...view,
        ...say(
          action.at,
          isProgressEvent(action.event) ? 'progress' : 'event',
          describeEvent(action.event),
        ),
      }
    case 'bad-frame':
      return {
        ...view,
        decodeFailures: view.decodeFailures + 1,
        ...say(
          action.at,
          'bad-frame',
          `! bad frame: ${action.failure.messages[0] ?? action.failure.reason}`,
        ),
      }
    case 'note':
      return { ...view, ...say(action.at, action.kind, action.text) }
    case 'fatal':
      return view.fatal !== undefined
        ? view
        : {
            ...view,
            fatal: action.error,
            ...say(action.at, 'fatal', `! ${describeError(action.error)}`),
          }
    case 'tick': {
      const totals = totalsOf(view.requests)
      const last = view.samples[view.samples.length - 1]
      const seconds = last === undefined ? 0 : (action.at - last.at) / 1000
      // A resync or an evicted request can lower the totals: no negative speed for that.
      const rate = (now: number, before: number): number =>
        seconds > 0 ? Math.max(0, now - before) / seconds : 0
      const sample: Sample = {
        at: action.at,
        inBytesPerSecond: rate(totals.in, view.totals.in),
        outBytesPerSecond: rate(totals.out, view.totals.out),
        outcomes: countOutcomes(view.requests),
      }
      const samples = [...view.samples, sample]
      const maxSamples = options.maxSamples ?? 300
      return {
        ...view,
        totals,
        samples: samples.length > maxSamples ? samples.slice(samples.length - maxSamples) : samples,
      }
    }
  }
}

/** The parts of a connection the view reads (a `RoomConnection`, or a Node one). */
export type ViewedConnection = Pick<
  RoomConnection,
  'state$' | 'fileRequests$' | 'events$' | 'decodeFailures$'
>

/** A note for the log from whoever acts on the room. */
export interface Note {
  readonly kind: LogKind
  readonly text: string
}

/**
 * The view of a connection, as it changes: every output of the connection, the `notes` of
 * whoever acts on it, and a tick every `sampleMs` for the charts. The connection's error (the
 * same on each output) becomes `fatal` once; the view goes on (the log, the last picture).
 */
export const roomView = (
  connection: ViewedConnection,
  notes: Observable<Note>,
  options: RoomViewOptions & { readonly sampleMs?: number; readonly now?: () => number } = {},
): Observable<RoomView> => {
  const now = options.now ?? Date.now
  const fatal = (source: Observable<RoomViewAction>): Observable<RoomViewAction> =>
    new Observable<RoomViewAction>((subscriber) =>
      source.subscribe({
        next: (action) => subscriber.next(action),
        error: (error: unknown) => subscriber.next({ type: 'fatal', at: now(), error }),
      }),
    )
  const actions: Observable<RoomViewAction> = merge(
    fatal(connection.state$.pipe(map((state) => ({ type: 'state', at: now(), state }) as const))),
    fatal(
      connection.fileRequests$.pipe(map((requests) => ({ type: 'requests', requests }) as const)),
    ),
    fatal(connection.events$.pipe(map((event) => ({ type: 'event', at: now(), event }) as const))),
    fatal(
      connection.decodeFailures$.pipe(
        map((failure) => ({ type: 'bad-frame', at: now(), failure }) as const),
      ),
    ),
    notes.pipe(map((note) => ({ type: 'note', at: now(), ...note }) as const)),
    interval(options.sampleMs ?? 1000).pipe(map(() => ({ type: 'tick', at: now() }) as const)),
  )
  return actions.pipe(
    scan((view, action) => reduceRoomView(view, action, options), initialRoomView),
    startWith(initialRoomView),
  )
}
