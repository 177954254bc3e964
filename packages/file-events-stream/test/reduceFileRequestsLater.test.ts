import { inspect } from 'node:util'
import fc from 'fast-check'
import {
  type FileRequestsAction,
  type FileRequestsState,
  initialFileRequestsState,
  reduceFileRequestsAll,
} from '../src/index'
import { MAX_DEFERRED, reduceFileRequestsLater } from '../src/fileRequestsReducer'
import { actionsArb, contents, offer } from './fixtures/trackerActions'

/** An event action that counts how often the reducer reads its event. */
const counted = (action: FileRequestsAction, reads: { n: number }): FileRequestsAction => {
  if (action.type !== 'event') return action
  return {
    type: 'event',
    at: action.at,
    get event() {
      reads.n++
      return action.event
    },
  }
}

describe('reduceFileRequestsLater', () => {
  it('gives every state what folding at once gives, whichever states are read and in whatever order', () => {
    fc.assert(
      fc.property(
        actionsArb,
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.nat(),
        (actions, batches, maxFinished, maxActive, readOrder, forkAt) => {
          const initial = initialFileRequestsState({ maxFinished, maxActive })
          const size = Math.ceil(actions.length / batches)
          const eager: FileRequestsState[] = []
          const lazy: FileRequestsState[] = []
          let now = initial
          let later = initial
          for (let i = 0; i < actions.length; i += size) {
            const batch = actions.slice(i, i + size)
            now = reduceFileRequestsAll(now, batch)
            later = reduceFileRequestsLater(later, batch)
            eager.push(now)
            lazy.push(later)
          }
          // A second line made from a state of the first one's past.
          const fork = lazy.length === 0 ? undefined : forkAt % lazy.length
          const forked =
            fork === undefined
              ? undefined
              : reduceFileRequestsLater(lazy[fork] as FileRequestsState, [offer('forked', 9_999)])
          for (const k of readOrder) {
            if (lazy.length === 0) break
            const i = k % lazy.length
            expect(contents(lazy[i] as FileRequestsState)).toEqual(
              contents(eager[i] as FileRequestsState),
            )
          }
          if (forked !== undefined && fork !== undefined)
            expect(contents(forked)).toEqual(
              contents(
                reduceFileRequestsAll(eager[fork] as FileRequestsState, [offer('forked', 9_999)]),
              ),
            )
          for (let i = 0; i < lazy.length; i++)
            expect(contents(lazy[i] as FileRequestsState)).toEqual(
              contents(eager[i] as FileRequestsState),
            )
          expect(contents(initial).size).toBe(0)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('folds nothing until a state is read, then each action once', () => {
    const reads = { n: 0 }
    let state = initialFileRequestsState()
    const states: FileRequestsState[] = []
    for (let i = 0; i < 10; i++) {
      state = reduceFileRequestsLater(state, [counted(offer(`r${i}`), reads)])
      states.push(state)
    }
    expect(reads.n).toBe(0)
    expect(state.actionCount).toBe(10)
    expect(reads.n).toBe(0)
    expect(state.activeCount).toBe(10)
    const afterLast = reads.n
    // An earlier state of the line folds from the start of the line; the last one is not folded again.
    expect((states[4] as FileRequestsState).requests.size).toBe(5)
    expect(state.get('r9')?.status).toBe(1)
    expect(reads.n).toBe(afterLast + 5)
    // The next state starts from the last one read.
    state = reduceFileRequestsLater(state, [counted(offer('r10'), reads)])
    expect(state.activeCount).toBe(11)
    expect(reads.n).toBe(afterLast + 6)
  })

  it(`folds at once past ${MAX_DEFERRED} unfolded actions, for anything but events, and when maxActive could be crossed`, () => {
    const reads = { n: 0 }
    let state = initialFileRequestsState()
    for (let i = 0; i < MAX_DEFERRED; i++)
      state = reduceFileRequestsLater(state, [counted(offer(`r${i}`), reads)])
    expect(reads.n).toBe(0)
    state = reduceFileRequestsLater(state, [counted(offer('one-more'), reads)])
    expect(reads.n).toBe(MAX_DEFERRED + 1)
    expect(state.deferred).toBeUndefined()

    const tick = reduceFileRequestsLater(initialFileRequestsState(), [{ type: 'tick', at: 5 }])
    expect(tick.deferred).toBeUndefined()

    const small = initialFileRequestsState({ maxActive: 3 })
    const two = reduceFileRequestsLater(small, [offer('a'), offer('b')])
    expect(two.deferred).toBeDefined()
    const four = reduceFileRequestsLater(two, [offer('c'), offer('d')])
    expect(four.deferred).toBeUndefined()
    expect(four.evictedActive.map((r) => r.fileRequestId)).toEqual(['a'])
  })

  it('shows an unread state folded, as a Map of requests with their fields and its counts', () => {
    const state = reduceFileRequestsLater(initialFileRequestsState(), [offer('a'), offer('b')])
    expect(state.deferred).toBeDefined()
    const shown = inspect(state)
    expect(shown).toContain('Map(2)')
    expect(shown).toContain('activeCount: 2')
    expect(shown).not.toContain('deferred')
    // Each request shows its fields, not how they are packed.
    expect(shown).toContain("outcome: 'active'")
    expect(shown).not.toContain('bits')
  })
})
