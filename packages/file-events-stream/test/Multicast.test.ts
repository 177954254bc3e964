import fc from 'fast-check'
import { BehaviorSubject, Subject, type Subscription } from 'rxjs'
import { Multicast } from '../src/internal/Multicast'

/** What an output is driven with: the part of `Subject` and `Multicast` the connection uses. */
interface Output {
  next(value: number): void
  complete(): void
  error(error: unknown): void
  subscribe(observer: {
    next: (value: number) => void
    error: (error: unknown) => void
    complete: () => void
  }): Subscription
}

type Op =
  | { readonly kind: 'subscribe' }
  | { readonly kind: 'unsubscribe'; readonly which: number }
  | { readonly kind: 'next'; readonly value: number }
  | { readonly kind: 'complete' }
  | { readonly kind: 'error'; readonly error: string | undefined }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'subscribe' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('unsubscribe' as const), which: fc.nat(9) }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('next' as const), value: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'complete' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('error' as const),
      error: fc.option(fc.constantFrom('boom', 'bang'), { nil: undefined }),
    }),
  },
)

/**
 * Runs the operations on an output and logs what every subscriber saw. Subscribers act while a
 * value is being delivered too: on a multiple of 7 the receiver subscribes someone new, on a
 * multiple of 5 it unsubscribes the first subscriber (itself, perhaps).
 */
const run = (output: Output, ops: ReadonlyArray<Op>): string[] => {
  const log: string[] = []
  const subscriptions: Subscription[] = []
  let subscribed = 0
  const subscribe = (): void => {
    // Counted before subscribing: a replayed value may make the new subscriber subscribe another.
    const id = subscribed++
    subscriptions.push(
      output.subscribe({
        next: (value) => {
          log.push(`${id} next ${value}`)
          if (value % 7 === 0 && subscribed < 30) subscribe()
          if (value % 5 === 0) subscriptions[0]?.unsubscribe()
        },
        error: (error) => log.push(`${id} error ${String(error)}`),
        complete: () => log.push(`${id} complete`),
      }),
    )
  }
  for (const op of ops) {
    if (op.kind === 'subscribe') subscribe()
    else if (op.kind === 'unsubscribe') subscriptions[op.which]?.unsubscribe()
    else if (op.kind === 'next') output.next(op.value)
    else if (op.kind === 'complete') output.complete()
    else output.error(op.error)
  }
  return log
}

const asOutput = (multicast: Multicast<number>): Output => ({
  next: (value) => multicast.next(value),
  complete: () => multicast.complete(),
  error: (error) => multicast.error(error),
  subscribe: (observer) => multicast.observable.subscribe(observer),
})

describe('Multicast', () => {
  it('delivers, ends and takes subscribers exactly as a Subject does, also while delivering', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        expect(run(asOutput(new Multicast<number>()), ops)).toEqual(run(new Subject<number>(), ops))
      }),
      { numRuns: 500 },
    )
  })

  it('with a latest value, as a BehaviorSubject does', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.array(opArb, { maxLength: 60 }), (initial, ops) => {
        const multicast = new Multicast<number>(true, initial)
        const subject = new BehaviorSubject<number>(initial)
        expect(run(asOutput(multicast), ops)).toEqual(run(subject, ops))
        if (!subject.hasError) expect(multicast.value).toBe(subject.getValue())
      }),
      { numRuns: 500 },
    )
  })

  it('ends with an error of undefined as an error, not as a completion', () => {
    const multicast = new Multicast<number>()
    const seen: string[] = []
    multicast.error(undefined)
    multicast.observable.subscribe({
      error: (e: unknown) => seen.push(`error ${String(e)}`),
      complete: () => seen.push('complete'),
    })
    expect(seen).toEqual(['error undefined'])
  })

  it('lets go of its subscribers when they unsubscribe and when it ends', () => {
    const multicast = new Multicast<number>()
    const a = multicast.observable.subscribe(() => undefined)
    multicast.observable.subscribe(() => undefined)
    expect(multicast.observed).toBe(true)
    a.unsubscribe()
    expect(multicast.observed).toBe(true)
    multicast.complete()
    expect(multicast.observed).toBe(false)
  })
})
