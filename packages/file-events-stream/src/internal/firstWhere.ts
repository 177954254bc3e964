import type { Observable, SchedulerLike, Subscription } from 'rxjs'

/**
 * The first value of `source` that `predicate` accepts, with a `cancel` that stops waiting. The
 * promise rejects with the source's error, with `ended()` when the source completes first, with the
 * signal's reason when `signal` aborts (or has), and with `timeout.error()` after `timeout.ms` on
 * `timeout.scheduler`. However it settles, the subscription, the listener on the signal and the
 * timer are gone with it.
 *
 * @internal
 */
export const firstWhere = <T, S extends T>(
  source: Observable<T>,
  predicate: (value: T) => value is S,
  options: {
    readonly ended: () => unknown
    readonly signal?: AbortSignal | undefined
    readonly timeout?: {
      readonly ms: number
      readonly scheduler: SchedulerLike
      readonly error: () => unknown
    }
  },
): { promise: Promise<S>; cancel: () => void } => {
  let finish: (settle: () => void) => void = () => undefined
  const promise = new Promise<S>((resolve, reject) => {
    const signal = options.signal
    if (signal?.aborted === true) {
      reject(signal.reason)
      return
    }
    const links = new AbortController()
    // Set once subscribed: a replaying source may settle the promise while it subscribes.
    const held: { subscription?: Subscription } = {}
    let timer: Subscription | undefined
    let done = false
    finish = (settle) => {
      if (done) return
      done = true
      links.abort()
      held.subscription?.unsubscribe()
      timer?.unsubscribe()
      settle()
    }
    signal?.addEventListener('abort', () => finish(() => reject(signal.reason)), {
      once: true,
      signal: links.signal,
    })
    const timeout = options.timeout
    if (timeout !== undefined)
      timer = timeout.scheduler.schedule(() => finish(() => reject(timeout.error())), timeout.ms)
    const subscription = source.subscribe({
      next: (value) => {
        if (predicate(value)) finish(() => resolve(value))
      },
      error: (error: unknown) => finish(() => reject(error)),
      complete: () => finish(() => reject(options.ended())),
    })
    held.subscription = subscription
    if (done) subscription.unsubscribe()
  })
  return { promise, cancel: () => finish(() => undefined) }
}
