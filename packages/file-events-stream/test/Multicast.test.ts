import fc from 'fast-check'
import { BehaviorSubject, ReplaySubject, Subject, type Subscription, config } from 'rxjs'
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
 * Runs the operations on an output and logs what every subscriber saw, and the errors rxjs reported
 * as unhandled. Subscribers act while a value is being delivered too, according to the value: on a
 * multiple of 7 the receiver subscribes someone new; on a multiple of 5 it unsubscribes a
 * subscriber (which one depends on the value: itself, one already served or one still waiting); on
 * a multiple of 11 it emits the next value; on 26 it completes the output, on 39 it errors it; on a
 * multiple of 17 it throws.
 */
const run = async (output: Output, ops: ReadonlyArray<Op>): Promise<string[]> => {
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
          if (value % 5 === 0) subscriptions[value % subscriptions.length]?.unsubscribe()
          if (value % 11 === 0) output.next(value + 1)
          if (value === 26) output.complete()
          if (value === 39) output.error('inside')
          if (value % 17 === 0) throw new Error(`thrown at ${value} by ${id}`)
        },
        error: (error) => log.push(`${id} error ${String(error)}`),
        complete: () => log.push(`${id} complete`),
      }),
    )
  }
  const onUnhandledError = config.onUnhandledError
  config.onUnhandledError = (error: unknown) =>
    log.push(`unhandled ${error instanceof Error ? error.message : String(error)}`)
  try {
    for (const op of ops) {
      if (op.kind === 'subscribe') subscribe()
      else if (op.kind === 'unsubscribe') subscriptions[op.which]?.unsubscribe()
      else if (op.kind === 'next') output.next(op.value)
      else if (op.kind === 'complete') output.complete()
      else output.error(op.error)
    }
    // rxjs reports a callback's error on a timer.
    await new Promise((resolve) => setTimeout(resolve, 0))
  } finally {
    config.onUnhandledError = onUnhandledError
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
  it('delivers, ends and takes subscribers exactly as a Subject does, also while delivering', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 60 }), async (ops) => {
        const expected = await run(new Subject<number>(), ops)
        expect(await run(asOutput(new Multicast<number>()), ops)).toEqual(expected)
      }),
      { numRuns: 300 },
    )
  })

  it('with a latest value, as a BehaviorSubject does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(40), fc.array(opArb, { maxLength: 60 }), async (initial, ops) => {
        const multicast = new Multicast<number>({ value: initial })
        const subject = new BehaviorSubject<number>(initial)
        const expected = await run(subject, ops)
        expect(await run(asOutput(multicast), ops)).toEqual(expected)
        if (!subject.hasError) expect(multicast.value).toBe(subject.getValue())
      }),
      { numRuns: 300 },
    )
  })

  it("made with 'latest', as a ReplaySubject(1) does, also after the end", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 60 }), async (ops) => {
        const expected = await run(new ReplaySubject<number>(1), ops)
        expect(await run(asOutput(new Multicast<number>('latest')), ops)).toEqual(expected)
      }),
      { numRuns: 300 },
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
