import type { FileEvent } from '@org/file-events-codec'
import fc from 'fast-check'
import { WebSocket } from 'ws'
import {
  type ConnectionLogEntry,
  type FileRequestsState,
  type WebSocketConstructor,
  TRACKER_DEFAULTS,
  connectRoom,
  initialFileRequestsState,
  reduceFileRequests,
  reduceFileRequestsAll,
} from '../src/index'
import { ready, until } from './helpers'
import { closeRooms, startRoom } from './wsRoom'

const offer = (id: string): FileEvent => ({
  method: 'event',
  event: 'receivedFileRequest',
  fileRequestId: id,
  fileName: `${id}.txt`,
  fileSize: 10,
  peerId: 'alice@room.example',
  peerDn: 'Alice',
  timestamp: 1659284222850,
})

const complete = (id: string): FileEvent => ({
  method: 'event',
  event: 'fileRequestStatusChanged',
  fileRequestId: id,
  fileName: `${id}.txt`,
  fileSize: 10,
  directionType: 0,
  status: 3,
  timestamp: 1659284222850,
})

const deleted = (id: string): FileEvent => ({
  method: 'event',
  event: 'fileDeletedFromFileTransferHistory',
  fileRequestId: id,
  fileId: 1,
  fileName: `${id}.txt`,
  directionType: 0,
  timestamp: 1659284222850,
  removedFromDisk: false,
})

const foldAll = (state: FileRequestsState, events: ReadonlyArray<FileEvent>, at = 1000) =>
  reduceFileRequestsAll(
    state,
    events.map((event) => ({ type: 'event' as const, event, at })),
  )

const activeIds = (state: FileRequestsState): string[] =>
  [...state.requests.values()]
    .filter((r) => !r.terminal)
    .map((r) => r.fileRequestId)
    .sort()

describe('tracker.maxActive', () => {
  it('has a default no real room reaches: 100,000', () => {
    expect(TRACKER_DEFAULTS.maxActive).toBe(100_000)
    expect(initialFileRequestsState().options.maxActive).toBe(100_000)
  })

  it('evicts the oldest unfinished request past the limit, flags it and counts it', () => {
    let state = initialFileRequestsState({ maxActive: 3 })
    state = foldAll(state, ['r1', 'r2', 'r3'].map(offer))
    expect(state.evictedActive).toEqual([])
    state = reduceFileRequests(state, { type: 'event', event: offer('r4'), at: 2000 })
    expect(activeIds(state)).toEqual(['r2', 'r3', 'r4'])
    expect(state.activeCount).toBe(3)
    expect(state.evictedCount).toBe(1)
    expect(state.evictedActive.map((r) => [r.fileRequestId, r.status, r.anomalies])).toEqual([
      ['r1', 1, ['evicted-while-active']],
    ])
    // The next fold evicts nothing: its state lists no eviction.
    state = reduceFileRequests(state, { type: 'event', event: complete('r2'), at: 3000 })
    expect(state.evictedActive).toEqual([])
    // A finished request is never evicted as active: r2 is skipped, r3 goes.
    state = foldAll(state, [offer('r5'), offer('r6')], 4000)
    expect(activeIds(state)).toEqual(['r4', 'r5', 'r6'])
    expect(state.get('r2')?.status).toBe(3)
    expect(state.evictedActive.map((r) => r.fileRequestId)).toEqual(['r3'])
    expect(state.evictedCount).toBe(2)
  })

  it('bounds a flood of offers past the default: 200,000 offers keep 100,000', () => {
    const events = Array.from({ length: 200_000 }, (_, i) => offer(`flood-${i}`))
    const state = foldAll(initialFileRequestsState(), events)
    expect(state.activeCount).toBe(100_000)
    expect(state.requests.size).toBe(100_000)
    expect(state.evictedCount).toBe(100_000)
    expect(state.get('flood-99999')).toBeUndefined()
    expect(state.get('flood-100000')?.status).toBe(1)
    // At most 100 are listed; the rest are counted.
    expect(state.evictedActive).toHaveLength(100)
    expect(state.evictedActive[0]?.fileRequestId).toBe('flood-0')
  })

  it('keeps its list of unfinished ids within a constant of the unfinished count while requests churn', () => {
    let state = initialFileRequestsState({ maxActive: 50, maxFinished: 10 })
    for (let round = 0; round < 2_000; round++) {
      const ids = [`a-${round}`, `b-${round}`, `c-${round}`]
      state = foldAll(state, [
        ...ids.map(offer),
        complete(ids[0] as string),
        deleted(ids[1] as string),
      ])
      expect(state.activeEnd - state.activeStart).toBeLessThanOrEqual(2 * state.activeCount + 65)
    }
    // 48 at the start of a round: its third offer evicts one, then one finishes and one goes.
    expect(state.activeCount).toBe(48)
    expect(state.evictedActive).toHaveLength(1)
  })

  it('behaves like a list of unfinished requests, oldest out first, from any earlier state (property)', () => {
    type Op = { kind: 'offer' | 'complete' | 'delete'; n: number } | { kind: 'branch'; n: number }
    const op: fc.Arbitrary<Op> = fc.record({
      kind: fc.constantFrom('offer', 'offer', 'complete', 'delete', 'branch'),
      n: fc.nat(30),
    })
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 120 }), (max, ops) => {
        let state = initialFileRequestsState({ maxActive: max })
        // The model: unfinished ids in the order first seen; finished ids.
        let active: string[] = []
        let finished = new Set<string>()
        const history: Array<[FileRequestsState, string[], Set<string>]> = []
        for (const [i, o] of ops.entries()) {
          const id = `r${o.n}`
          if (o.kind === 'branch') {
            // Fold on from an earlier state: what later states did must not leak into it.
            const earlier = history[o.n % Math.max(1, history.length)]
            if (earlier !== undefined) {
              ;[state, active, finished] = [earlier[0], [...earlier[1]], new Set(earlier[2])]
            }
            continue
          }
          const event =
            o.kind === 'offer' ? offer(id) : o.kind === 'complete' ? complete(id) : deleted(id)
          state = reduceFileRequests(state, { type: 'event', event, at: 1000 + i })
          if (o.kind === 'offer' && !active.includes(id) && !finished.has(id)) active.push(id)
          if (o.kind === 'complete') {
            active = active.filter((a) => a !== id)
            finished.add(id)
          }
          if (o.kind === 'delete') {
            active = active.filter((a) => a !== id)
            finished.delete(id)
          }
          while (active.length > max) active.shift()
          expect(activeIds(state)).toEqual([...active].sort())
          history.push([state, [...active], new Set(finished)])
        }
        for (const [earlier, expected] of history)
          expect(activeIds(earlier)).toEqual([...expected].sort())
      }),
      { numRuns: 300 },
    )
  })
})

describe('tracker.maxActive on a connection', () => {
  afterEach(closeRooms)

  it('evicts past the limit, keeps the stream going and logs tracker-evicted-active', async () => {
    const room = await startRoom({ pin: '246810', offered: [] })
    const logged: ConnectionLogEntry[] = []
    const connection = connectRoom({
      wsUrl: room.url,
      pin: '246810',
      WebSocketCtor: WebSocket as unknown as WebSocketConstructor,
      keepAliveMs: 0,
      tracker: { maxActive: 10 },
      logger: (entry) => logged.push(entry),
    })
    try {
      const states: FileRequestsState[] = []
      const errors: unknown[] = []
      connection.fileRequests$.subscribe({
        next: (s) => states.push(s),
        error: (e) => errors.push(e),
      })
      await ready(connection)
      for (let i = 0; i < 15; i++) room.push(JSON.stringify(offer(`offer-${i}`)))
      await until(() => states.at(-1)?.evictedCount === 5)
      const last = states.at(-1) as FileRequestsState
      expect(last.activeCount).toBe(10)
      expect(last.get('offer-4')).toBeUndefined()
      expect(last.get('offer-5')?.status).toBe(1)
      const warnings = logged.filter((e) => e.event === 'tracker-evicted-active')
      expect(warnings.length).toBeGreaterThan(0)
      expect(warnings[0]).toMatchObject({ level: 'warn' })
      expect(warnings[0]?.message).toContain('maxActive (10)')
      expect(warnings[0]?.message).toContain('offer-0')
      expect(errors).toEqual([])
    } finally {
      connection.close()
    }
  })
})
