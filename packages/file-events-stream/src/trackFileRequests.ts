import { type FileEvent, type RoomMessage, isFileEvent } from '@org/file-events-codec'
import { type OperatorFunction, type SchedulerLike, asyncScheduler, defer, filter, map, scan } from 'rxjs'
import type { Decoded } from './decodeFrames'
import {
  type FileRequestsAction,
  type FileRequestsState,
  type FileRequestsTrackerOptions,
  initialFileRequestsState,
  reduceFileRequests,
} from './fileRequestsReducer'

/**
 * Options of {@link trackFileRequests}.
 *
 * @category operators
 * @since 0.1.0
 */
export interface TrackFileRequestsOptions extends FileRequestsTrackerOptions {
  /**
   * Where the time stamped on events comes from (`scheduler.now()`).
   *
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike
  /**
   * The state to start from (for example one kept from an earlier run).
   *
   * @default an empty state with these options
   */
  readonly initial?: FileRequestsState
}

/** What the tracker accepts: decoded frames, messages, file events, or its own actions. */
type TrackerInput = Decoded | RoomMessage | FileRequestsAction

const isAction = (value: TrackerInput): value is FileRequestsAction =>
  typeof (value as { type?: unknown }).type === 'string' && typeof (value as { at?: unknown }).at === 'number' && !('method' in value)

/**
 * Turns one input into a tracker action, or `undefined` when it says nothing about file requests.
 *
 * @category operators
 * @since 0.1.0
 */
export const toFileRequestsAction = (value: TrackerInput, at: number): FileRequestsAction | undefined => {
  if (isAction(value)) return value
  const tag = (value as { _tag?: unknown })._tag
  if (tag === 'DecodeFailure') return undefined
  const message = tag === 'Message' ? (value as { message: RoomMessage }).message : (value as RoomMessage)
  return isFileEvent(message) ? { type: 'event', event: message as FileEvent, at } : undefined
}

/**
 * Folds file events (and snapshot actions after a resync) into a {@link FileRequestsState}, emitting
 * the new state after each one that concerns file requests. Each subscription has its own state.
 *
 * @example
 * import { type Observable } from 'rxjs'
 * import { type Decoded, trackFileRequests } from '@org/file-events-stream'
 * declare const decoded$: Observable<Decoded>
 * decoded$.pipe(trackFileRequests({ maxFinished: 200 })).subscribe({
 *   next: (state) => {
 *     // The map's iteration order is unspecified: sort for a stable listing.
 *     const requests = [...state.requests.values()].sort((a, b) => a.firstSeen - b.firstSeen)
 *     for (const r of requests) console.log(r.fileName, r.status, r.percent)
 *   },
 *   error: (e: unknown) => console.error(e), // what the source errors with
 * })
 *
 * @category operators
 * @since 0.1.0
 */
export const trackFileRequests =
  (options?: TrackFileRequestsOptions): OperatorFunction<TrackerInput, FileRequestsState> =>
  (source) =>
    defer(() => {
      const scheduler = options?.scheduler ?? asyncScheduler
      const { scheduler: _s, initial, ...trackerOptions } = options ?? {}
      return source.pipe(
        map((value) => toFileRequestsAction(value, scheduler.now())),
        filter((action): action is FileRequestsAction => action !== undefined),
        scan(reduceFileRequests, initial ?? initialFileRequestsState(trackerOptions)),
      )
    })
