import type { SchedulerLike } from 'rxjs'
import {
  type FileRequestsAction,
  type FileRequestsState,
  reduceFileRequestsAll,
  reduceFileRequestsLater,
} from '../fileRequestsReducer'

/** Settled once: a reaction on it is the cheapest way to run code on the next microtask. */
const SETTLED = Promise.resolve()

/**
 * Drives the file-request reducer for `trackFileRequests` and for the connection's `fileRequests$`,
 * so that both stamp time and fold the same way. Unbatched, every action is folded and emitted at
 * once. Batched, the actions of a burst (one socket read holds many frames) are folded together on
 * the next microtask and emitted once, with the time read once per burst; reading `state` folds
 * what is queued first, so it is never behind. Deferring, a burst's events are folded when the state
 * is first read, or with later events once 32 wait (see `reduceFileRequestsLater`).
 *
 * @internal
 */
export class TrackerDriver {
  private queue: FileRequestsAction[] = []
  private flushQueued = false
  private burstAt: number | undefined
  private current: FileRequestsState
  private stopped = false

  /**
   * `sink` gets each new state (`next`), or the error of a defect (`error`: actions come from
   * validated frames, so only a bug gets there); a subject or a subscriber will do.
   */
  constructor(
    initial: FileRequestsState,
    private readonly scheduler: SchedulerLike,
    private readonly batch: boolean,
    private readonly deferring: boolean,
    private readonly sink: {
      next(state: FileRequestsState): void
      error(error: unknown): void
    },
  ) {
    this.current = initial
  }

  /** The state with every action so far folded in. */
  get state(): FileRequestsState {
    this.flush()
    return this.current
  }

  /** The time to stamp on an action made now: read once per burst when batched. */
  now(): number {
    if (!this.batch) return this.scheduler.now()
    if (this.burstAt === undefined) {
      this.burstAt = this.scheduler.now()
      // The burst ends on the next microtask, whether or not an action comes with it.
      if (!this.flushQueued) {
        this.flushQueued = true
        void SETTLED.then(this.flush)
      }
    }
    return this.burstAt
  }

  push(action: FileRequestsAction): void {
    if (this.stopped) return
    this.queue.push(action)
    if (!this.batch) this.flush()
    else if (!this.flushQueued) {
      this.flushQueued = true
      void SETTLED.then(this.flush)
    }
  }

  /** Folds what is queued and emits the new state, if anything was queued. */
  readonly flush = (): void => {
    this.flushQueued = false
    this.burstAt = undefined
    const actions = this.queue
    if (actions.length === 0 || this.stopped) return
    this.queue = []
    try {
      this.current = this.deferring
        ? reduceFileRequestsLater(this.current, actions)
        : reduceFileRequestsAll(this.current, actions)
    } catch (error) {
      this.stopped = true
      this.sink.error(error)
      return
    }
    this.sink.next(this.current)
  }

  /** Folds what is queued, then takes no more actions. */
  stop(): void {
    this.flush()
    this.stopped = true
  }
}
