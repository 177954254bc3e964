import { type FileEvent, type RoomMessage, isFileEvent } from '@org/file-events-codec'
import { Observable, type OperatorFunction, type SchedulerLike, asyncScheduler } from 'rxjs'
import type { Decoded } from './decodeFrames'
import {
  type FileRequestsAction,
  type FileRequestsState,
  type FileRequestsTrackerOptions,
  initialFileRequestsState,
} from './fileRequestsReducer'
import { TrackerDriver } from './internal/TrackerDriver'

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
  /**
   * Fold the inputs of one burst (those that arrive before the next microtask) together and emit
   * one state for them, stamped with one time, instead of one state per input. The connection's
   * `fileRequests$` does this.
   *
   * @default false
   */
  readonly batch?: boolean
}

/**
 * What the tracker accepts: decoded frames, messages, file events, or its own actions.
 *
 * @category operators
 * @since 0.1.0
 */
export type TrackerInput = Decoded | RoomMessage | FileRequestsAction

const isAction = (value: TrackerInput): value is FileRequestsAction =>
  typeof (value as { type?: unknown }).type === 'string' &&
  typeof (value as { at?: unknown }).at === 'number' &&
  !('method' in value)

/**
 * Turns one input into a tracker action, or `undefined` when it says nothing about file requests.
 *
 * @category operators
 * @since 0.1.0
 */
export const toFileRequestsAction = (
  value: TrackerInput,
  at: number,
): FileRequestsAction | undefined => {
  if (isAction(value)) return value
  const tag = (value as { _tag?: unknown })._tag
  if (tag === 'DecodeFailure') return undefined
  const message =
    tag === 'Message' ? (value as { message: RoomMessage }).message : (value as RoomMessage)
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
    new Observable<FileRequestsState>((subscriber) => {
      const {
        scheduler = asyncScheduler,
        initial,
        batch = false,
        ...trackerOptions
      } = options ?? {}
      const driver = new TrackerDriver(
        initial ?? initialFileRequestsState(trackerOptions),
        scheduler,
        batch,
        false,
        subscriber,
      )
      const subscription = source.subscribe({
        next: (value) => {
          const action = toFileRequestsAction(value, driver.now())
          if (action !== undefined) driver.push(action)
        },
        error: (error: unknown) => {
          driver.stop()
          subscriber.error(error)
        },
        complete: () => {
          driver.stop()
          subscriber.complete()
        },
      })
      return () => {
        subscription.unsubscribe()
        driver.stop()
      }
    })
