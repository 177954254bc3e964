import fc from 'fast-check'
import {
  type FileRequestsAction,
  type FileRequestsState,
  initialFileRequestsState,
  reduceFileRequests,
  reduceFileRequestsAll,
} from '../src/index'
import { actionsArb, contents, offer } from './fixtures/trackerActions'

describe('reduceFileRequestsAll', () => {
  it('gives the state that folding the actions one by one gives, and leaves every earlier state as it was', () => {
    fc.assert(
      fc.property(
        actionsArb,
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 4 }),
        (actions, batches, maxFinished) => {
          const initial = initialFileRequestsState({ maxFinished })
          const oneByOne = actions.reduce(reduceFileRequests, initial)
          // The same actions in a few batches; every intermediate state is checked again at the end.
          const snapshots: Array<{ state: FileRequestsState; seen: ReturnType<typeof contents> }> =
            []
          let batched = initial
          const size = Math.ceil(actions.length / batches)
          for (let i = 0; i < actions.length; i += size) {
            batched = reduceFileRequestsAll(batched, actions.slice(i, i + size))
            snapshots.push({ state: batched, seen: contents(batched) })
          }
          expect(contents(batched)).toEqual(contents(oneByOne))
          for (const s of snapshots) expect(contents(s.state)).toEqual(s.seen)
          expect(contents(initial).size).toBe(0)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('is not disturbed by a fold started from inside it (a getter on an action)', () => {
    let inner: FileRequestsState | undefined
    const sneaky = {
      type: 'snapshot',
      at: 2_000,
      outgoing: [],
      history: [],
      get incoming() {
        inner = reduceFileRequests(initialFileRequestsState(), offer('z'))
        return []
      },
    } as unknown as FileRequestsAction
    const state = reduceFileRequestsAll(initialFileRequestsState(), [
      offer('a'),
      offer('b'),
      sneaky,
      offer('c'),
    ])
    expect([...state.requests.keys()].sort()).toEqual(['a', 'b', 'c'])
    expect([...(inner?.requests.keys() ?? [])]).toEqual(['z'])
  })

  it('returns the same state for no actions', () => {
    const state = initialFileRequestsState()
    expect(reduceFileRequestsAll(state, [])).toBe(state)
  })
})
