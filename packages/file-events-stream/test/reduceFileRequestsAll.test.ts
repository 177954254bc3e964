import type { FileEvent } from '@org/file-events-codec'
import fc from 'fast-check'
import {
  type FileRequestsAction,
  type FileRequestsState,
  initialFileRequestsState,
  reduceFileRequests,
  reduceFileRequestsAll,
} from '../src/index'
import { eventsOf, lifecyclesArb, shuffleWithDuplicates } from './fixtures/lifecycles'

/** Everything observable about a state, as plain data. */
const contents = (state: FileRequestsState) => ({
  requests: [...state.requests.values()]
    .map((r) => ({
      id: r.fileRequestId,
      direction: r.direction,
      fileName: r.fileName,
      fileSize: r.fileSize,
      peerId: r.peerId,
      peerDisplayName: r.peerDisplayName,
      confId: r.confId,
      fileId: r.fileId,
      status: r.status,
      rejected: r.rejected,
      terminal: r.terminal,
      percent: r.percent,
      firstSeen: r.firstSeen,
      lastSeen: r.lastSeen,
      finishedAt: r.finishedAt,
      history: r.history,
      anomalies: r.anomalies,
    }))
    .sort((a, b) => a.id.localeCompare(b.id)),
  size: state.requests.size,
  active: state.activeCount,
  finished: state.finishedCount,
  evicted: state.evictedCount,
  availability: state.availability,
  actions: state.actionCount,
})

const actionsArb: fc.Arbitrary<FileRequestsAction[]> = lifecyclesArb(8)
  .chain((ls) => shuffleWithDuplicates(ls.flatMap(eventsOf)))
  .chain((events: FileEvent[]) =>
    fc.tuple(
      fc.constant(events),
      // Now and then a deletion, a cleared history or an availability change between the events.
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.constantFrom<'delete' | 'clear' | 'availability'>('delete', 'clear', 'availability'),
        ),
        { maxLength: 3 },
      ),
    ),
  )
  .map(([events, extras]) => {
    const actions: FileRequestsAction[] = events.map((event, i) => ({
      type: 'event',
      event,
      at: 1_000 + i * 10,
    }))
    for (const [n, kind] of extras) {
      const at = n % (actions.length + 1)
      const victim = events[n % Math.max(1, events.length)]
      const event: FileEvent =
        kind === 'clear'
          ? { method: 'event', event: 'fileTransferHistoryCleared' }
          : kind === 'availability'
            ? { method: 'event', event: 'fileTransferAvailabilityChanged', availability: 2 }
            : {
                method: 'event',
                event: 'fileDeletedFromFileTransferHistory',
                directionType: 0,
                fileName: 'x',
                fileSize: 1,
                timestamp: 1,
                removedFromDisk: true,
                fileRequestId:
                  victim !== undefined && 'fileRequestId' in victim ? victim.fileRequestId : 'none',
                fileId: 1,
              }
      actions.splice(at, 0, { type: 'event', event, at: 1_000 + at * 10 })
    }
    return actions
  })

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
    const offer = (id: string): FileRequestsAction => ({
      type: 'event',
      at: 1_000,
      event: {
        method: 'event',
        event: 'receivedFileRequest',
        fileRequestId: id,
        fileName: `${id}.txt`,
        peerId: 'p@s',
        fileSize: 1,
        timestamp: 1,
      },
    })
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
