import { Observable, type Subscriber } from 'rxjs'

/**
 * A hot output, as a `Subject` (made with an initial value, a `BehaviorSubject`; made with
 * `'latest'`, a `ReplaySubject(1)`) would be, for values that come once per frame. On Node, rxjs loads its ES5 build, whose `Subject.next`
 * allocates a closure and an iterator on every value; here a value goes straight to each
 * subscriber.
 *
 * The same contract as a subject: a value goes to the subscribers there were when it was emitted
 * (one subscribing meanwhile gets the next value, not this one; one unsubscribing meanwhile gets
 * neither); after `complete` or `error` nothing more is emitted and a new subscriber is told at
 * once; a subscriber's callback that throws is reported by rxjs and the others still get the
 * value. One difference: under rxjs's deprecated `config.useDeprecatedSynchronousErrorHandling`,
 * a subject would throw such an error back to the code that emitted; here rxjs drops it.
 *
 * @internal
 */
export class Multicast<T> {
  /** Replaced, never changed in place: an emission walks the list it started with. */
  private subscribers: ReadonlyArray<Subscriber<T>> = []
  private ended: { readonly failed: boolean; readonly error: unknown } | undefined
  private readonly replays: boolean
  /** Whether a subscriber that comes after the end gets the latest value first. */
  private readonly replaysAfterEnd: boolean
  private hasLatest: boolean
  private latest: T | undefined
  readonly observable: Observable<T>

  /**
   * With `initial`, each new subscriber gets the latest value first (the initial one until another
   * comes), as from a `BehaviorSubject`. With `'latest'`, each new subscriber gets the latest value
   * first once there is one, even after the end, as from a `ReplaySubject(1)`.
   */
  constructor(initial?: { readonly value: T } | 'latest') {
    this.replays = initial !== undefined
    this.replaysAfterEnd = initial === 'latest'
    this.hasLatest = typeof initial === 'object'
    this.latest = typeof initial === 'object' ? initial.value : undefined
    this.observable = new Observable<T>((subscriber) => this.subscribe(subscriber))
  }

  /** The latest value (made with `initial`). */
  get value(): T {
    return this.latest as T
  }

  /** Whether anyone is subscribed. */
  get observed(): boolean {
    return this.subscribers.length > 0
  }

  next(value: T): void {
    // After the end, a `BehaviorSubject` still takes the value; a `ReplaySubject` does not.
    if (this.replays && (this.ended === undefined || !this.replaysAfterEnd)) {
      this.latest = value
      this.hasLatest = true
    }
    if (this.ended !== undefined) return
    const list = this.subscribers
    for (let i = 0; i < list.length; i++) (list[i] as Subscriber<T>).next(value)
  }

  complete(): void {
    this.end({ failed: false, error: undefined }, (s) => s.complete())
  }

  error(error: unknown): void {
    this.end({ failed: true, error }, (s) => s.error(error))
  }

  private end(
    ended: { readonly failed: boolean; readonly error: unknown },
    tell: (s: Subscriber<T>) => void,
  ): void {
    if (this.ended !== undefined) return
    this.ended = ended
    const list = this.subscribers
    this.subscribers = []
    for (const subscriber of list) tell(subscriber)
  }

  private subscribe(subscriber: Subscriber<T>): (() => void) | undefined {
    const ended = this.ended
    if (ended !== undefined) {
      if (this.replaysAfterEnd && this.hasLatest) subscriber.next(this.latest as T)
      if (ended.failed) subscriber.error(ended.error)
      else subscriber.complete()
      return undefined
    }
    this.subscribers = [...this.subscribers, subscriber]
    if (this.hasLatest) subscriber.next(this.latest as T)
    return () => {
      this.subscribers = this.subscribers.filter((s) => s !== subscriber)
    }
  }
}
