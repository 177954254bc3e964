import { type FileEvent, decodeRoomMessage, isFileEvent } from '@org/file-events-codec'
import fc from 'fast-check'
import {
  type FileRequestsAction,
  type FileRequestsState,
  type FileRequestState,
  initialFileRequestsState,
  reduceFileRequests,
} from '../src/index'
import {
  type PackedHistory,
  TrackedFileRequest,
  appendHistory,
  singleEntry,
} from '../src/FileRequestState'
import {
  type Lifecycle,
  eventsOf,
  lifecyclesArb,
  shuffleWithDuplicates,
  truthOf,
} from './fixtures/lifecycles'

const fold = (
  events: ReadonlyArray<FileEvent>,
  state = initialFileRequestsState(),
  start = 1_000,
): FileRequestsState =>
  events.reduce(
    (s, event, i) => reduceFileRequests(s, { type: 'event', event, at: start + i }),
    state,
  )

const view = (r: FileRequestState | undefined) =>
  r === undefined
    ? undefined
    : {
        fileRequestId: r.fileRequestId,
        direction: r.direction,
        fileName: r.fileName,
        fileSize: r.fileSize,
        status: r.status,
        rejected: r.rejected,
        terminal: r.terminal,
        outcome: r.outcome,
        fileId: r.fileId,
        peerId: r.peerId,
        confId: r.confId,
      }

const maxProgress = (l: Lifecycle): number =>
  l.outcome === 'complete'
    ? 100
    : l.outcome === 'waiting' || l.outcome === 'rejected'
      ? 0
      : Math.max(0, ...l.progress)

describe('reduceFileRequests', () => {
  it('follows an inbound request from offer to completion', () => {
    const l: Lifecycle = {
      id: 'r1',
      direction: 0,
      conference: false,
      fileName: '2.jpg',
      fileSize: 3200,
      outcome: 'complete',
      fileId: 42,
      progress: [20, 60],
    }
    const state = fold(eventsOf(l))
    const r = state.get('r1')
    expect(view(r)).toEqual(truthOf(l))
    expect(r?.percent).toBe(100)
    expect(r?.history).toEqual([
      { status: 1, at: 1_000 },
      { status: 2, at: 1_003 },
      { status: 3, at: 1_006 },
    ])
    expect(r?.firstSeen).toBe(1_000)
    expect(r?.lastSeen).toBe(1_006)
    expect(r?.finishedAt).toBe(1_006)
    expect(r?.anomalies).toEqual([])
    expect(state).toMatchObject({
      activeCount: 0,
      finishedCount: 1,
      evictedCount: 0,
      actionCount: 7,
    })
    expect(JSON.parse(JSON.stringify(r))).toMatchObject({
      status: 3,
      percent: 100,
      terminal: true,
      peerDisplayName: 'alice',
    })
  })

  it('leaves its input untouched', () => {
    const l: Lifecycle = {
      id: 'r1',
      direction: 1,
      conference: true,
      fileName: 'a',
      fileSize: 1,
      outcome: 'complete',
      fileId: 7,
      progress: [50],
    }
    const [first, ...rest] = eventsOf(l)
    const before = fold([first as FileEvent])
    const snapshot = JSON.stringify([...before.requests.values()])
    const after = fold(rest, before)
    expect(JSON.stringify([...before.requests.values()])).toBe(snapshot)
    expect(before.get('r1')?.status).toBe(1)
    expect(after.get('r1')?.status).toBe(3)
  })

  it('records anomalies: backwards transitions, events after the end, unknown ids, progress going down', () => {
    const l: Lifecycle = {
      id: 'r1',
      direction: 0,
      conference: false,
      fileName: 'x',
      fileSize: 10,
      outcome: 'complete',
      fileId: 1,
      progress: [30, 70],
    }
    const events = eventsOf(l)
    const [received, waiting, , running, p30, p70, complete] = events as FileEvent[]
    // Seen first through a progress event, then going backwards, then a waiting status after the end.
    const state = fold([p70, p30, running, waiting, complete, waiting, received] as FileEvent[])
    const r = state.get('r1')
    expect(r?.status).toBe(3)
    expect(r?.anomalies).toEqual([
      'backwards-transition',
      'event-after-terminal',
      'unknown-request',
      'progress-regression',
    ])
    const conflicting = fold([
      complete,
      { ...(complete as FileEvent), status: 0 } as FileEvent,
    ] as FileEvent[])
    expect(conflicting.get('r1')).toMatchObject({
      status: 3,
      anomalies: ['unknown-request', 'conflicting-terminal'],
    })
  })

  it('ends every request in its true state whatever the order and duplication of its events', () => {
    fc.assert(
      fc.property(
        lifecyclesArb(6).chain((ls) =>
          fc.tuple(fc.constant(ls), shuffleWithDuplicates(ls.flatMap(eventsOf))),
        ),
        ([lifecycles, events]) => {
          const state = fold(events)
          for (const l of lifecycles) {
            expect(view(state.get(l.id))).toEqual(truthOf(l))
            expect(state.get(l.id)?.percent).toBe(maxProgress(l))
          }
          expect(state.activeCount + state.finishedCount).toBe(lifecycles.length)
          expect(state.finishedCount).toBe(lifecycles.filter((l) => truthOf(l).terminal).length)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('recovers final states from a snapshot when events were lost', () => {
    fc.assert(
      fc.property(
        lifecyclesArb(6).chain((ls) =>
          fc.tuple(fc.constant(ls), fc.array(fc.boolean(), { minLength: 60, maxLength: 60 })),
        ),
        ([lifecycles, keep]) => {
          // Some events are lost; then the lists the room returns after a reconnect are folded.
          const seen = lifecycles.flatMap(eventsOf).filter((_, i) => keep[i % keep.length])
          let state = fold(seen)
          const snapshot: FileRequestsAction = {
            type: 'snapshot',
            at: 5_000,
            incoming: lifecycles
              .filter((l) => l.direction === 0)
              .map((l) => ({
                fileRequestId: l.id,
                fileName: l.fileName,
                size: l.fileSize,
                status: truthOf(l).status,
                timestamp: 1,
                peerId: 'alice@some.server',
                peerDn: 'alice',
                ...(l.conference ? { confId: '0000016f35f42ef6@some.server#vcs' } : {}),
                ...(l.outcome === 'complete' ? { fileId: l.fileId } : {}),
              })),
            outgoing: lifecycles
              .filter((l) => l.direction === 1)
              .map((l) => ({
                fileRequestId: l.id,
                fileName: l.fileName,
                size: l.fileSize,
                status: truthOf(l).status,
                timestamp: 1,
                fileId: l.fileId,
                ...(l.conference
                  ? { confId: '0000016f35f42ef6@some.server#vcs' }
                  : { peerId: 'alice@some.server', peerDn: 'alice' }),
              })),
            history: [],
          }
          state = reduceFileRequests(state, snapshot)
          for (const l of lifecycles.filter((x) => x.outcome !== 'rejected')) {
            expect(view(state.get(l.id))).toEqual(truthOf(l))
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('takes a snapshot older than the events already folded without calling it an anomaly', () => {
    const l: Lifecycle = {
      id: 'r1',
      direction: 0,
      conference: false,
      fileName: 'x',
      fileSize: 10,
      outcome: 'complete',
      fileId: 4,
      progress: [50],
    }
    const item = (status: 0 | 1 | 2 | 3) => ({
      fileRequestId: 'r1',
      fileName: 'x',
      size: 10,
      status,
      timestamp: 1,
      peerId: 'alice@some.server',
      peerDn: 'alice',
    })
    let state = fold(eventsOf(l))
    state = reduceFileRequests(state, {
      type: 'snapshot',
      at: 9_000,
      incoming: [item(2)],
      outgoing: [],
      history: [],
    })
    expect(state.get('r1')).toMatchObject({ status: 3, anomalies: [] })
    state = reduceFileRequests(state, {
      type: 'snapshot',
      at: 9_001,
      incoming: [item(0)],
      outgoing: [],
      history: [],
    })
    expect(state.get('r1')).toMatchObject({ status: 3, anomalies: ['conflicting-terminal'] })
  })

  it('marks unfinished requests missing from a snapshot and applies a confirmed rejection', () => {
    const l: Lifecycle = {
      id: 'r1',
      direction: 0,
      conference: false,
      fileName: 'x',
      fileSize: 10,
      outcome: 'waiting',
      fileId: 1,
      progress: [],
    }
    let state = fold(eventsOf(l))
    state = reduceFileRequests(state, {
      type: 'snapshot',
      at: 2_000,
      incoming: [],
      outgoing: [],
      history: [],
    })
    expect(state.get('r1')?.anomalies).toEqual(['missing-from-snapshot'])
    state = reduceFileRequests(state, { type: 'rejected', fileRequestId: 'r1', at: 2_001 })
    expect(state.get('r1')).toMatchObject({
      rejected: true,
      terminal: true,
      status: 1,
      finishedAt: 2_001,
    })
    expect(
      reduceFileRequests(state, { type: 'rejected', fileRequestId: 'nobody', at: 2_002 }).requests
        .size,
    ).toBe(1)
  })

  it('evicts finished requests oldest-finished first beyond maxFinished, and keeps active ones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(
          fc.tuple(
            fc.constantFrom<'complete' | 'failed' | 'rejected' | 'running'>(
              'complete',
              'failed',
              'rejected',
              'running',
            ),
            fc.nat({ max: 10 }),
          ),
          { maxLength: 80 },
        ),
        (maxFinished, plan) => {
          let state = initialFileRequestsState({
            maxFinished,
            finishedTtlMs: Number.POSITIVE_INFINITY,
          })
          let at = 0
          const finishedOrder: string[] = []
          const active: string[] = []
          plan.forEach(([outcome, gap], i) => {
            at += gap
            const l: Lifecycle = {
              id: `r${i}`,
              direction: 0,
              conference: false,
              fileName: 'f',
              fileSize: 1,
              outcome,
              fileId: i,
              progress: [],
            }
            state = fold(eventsOf(l), state, at)
            if (outcome === 'running') active.push(l.id)
            else finishedOrder.push(l.id)
            expect(state.finishedCount).toBeLessThanOrEqual(maxFinished)
          })
          const kept = finishedOrder.slice(Math.max(0, finishedOrder.length - maxFinished))
          const keptNow = [...state.requests.values()]
            .filter((r) => r.terminal)
            .map((r) => r.fileRequestId)
          expect(new Set(keptNow)).toEqual(new Set(kept))
          for (const id of active) expect(state.get(id)?.terminal).toBe(false)
          expect(state.evictedCount).toBe(finishedOrder.length - kept.length)
          expect(state.requests.size).toBe(active.length + kept.length)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('evicts finished requests after finishedTtlMs, on events or ticks', () => {
    const done = (id: string): Lifecycle => ({
      id,
      direction: 1,
      conference: true,
      fileName: 'f',
      fileSize: 1,
      outcome: 'complete',
      fileId: 1,
      progress: [],
    })
    let state = initialFileRequestsState({ finishedTtlMs: 1_000 })
    state = fold(eventsOf(done('a')), state, 0)
    state = fold(eventsOf(done('b')), state, 600)
    expect(state.finishedCount).toBe(2)
    state = reduceFileRequests(state, { type: 'tick', at: 1_003 })
    expect([...state.requests.keys()]).toEqual(['b'])
    state = reduceFileRequests(state, { type: 'tick', at: 1_603 })
    expect(state.requests.size).toBe(0)
    expect(state.evictedCount).toBe(2)
  })

  it('keeps memory bounded over a long churn', () => {
    let state = initialFileRequestsState({ maxFinished: 50 })
    for (let i = 0; i < 5_000; i++) {
      const l: Lifecycle = {
        id: `r${i}`,
        direction: (i % 2) as 0 | 1,
        conference: false,
        fileName: 'f',
        fileSize: 1,
        outcome: i % 7 === 0 ? 'failed' : 'complete',
        fileId: i,
        progress: [50],
      }
      state = fold(eventsOf(l), state, i * 10)
      // Deletions leave stale queue entries behind; the queue is compacted.
      if (i % 3 === 0)
        state = reduceFileRequests(state, {
          type: 'event',
          at: i * 10 + 5,
          event: {
            method: 'event',
            event: 'fileDeletedFromFileTransferHistory',
            directionType: 0,
            fileName: 'f',
            fileSize: 1,
            timestamp: 0,
            removedFromDisk: false,
            fileRequestId: `r${i}`,
            fileId: i,
          },
        })
    }
    expect(state.requests.size).toBeLessThanOrEqual(50)
    expect(state.queued).toBeLessThanOrEqual(2 * 50 + 64)
  })

  it('drops the queue entries of deleted requests while few are finished', () => {
    let state = initialFileRequestsState({ maxFinished: 1_000 })
    for (let i = 0; i < 500; i++) {
      const l: Lifecycle = {
        id: `d${i}`,
        direction: 1,
        conference: true,
        fileName: 'f',
        fileSize: 1,
        outcome: 'complete',
        fileId: i,
        progress: [],
      }
      state = fold(eventsOf(l), state, i * 10)
      state = reduceFileRequests(state, {
        type: 'event',
        at: i * 10 + 9,
        event: {
          method: 'event',
          event: 'fileDeletedFromFileTransferHistory',
          directionType: 1,
          fileName: 'f',
          fileSize: 1,
          timestamp: 0,
          removedFromDisk: false,
          fileRequestId: `d${i}`,
          fileId: i,
        },
      })
      expect(state.queued).toBeLessThanOrEqual(65)
    }
    expect(state.requests.size).toBe(0)
    expect(state.evictedCount).toBe(0)
  })

  it('tracks availability, deletions and a cleared history', () => {
    const l: Lifecycle = {
      id: 'r1',
      direction: 0,
      conference: false,
      fileName: 'x',
      fileSize: 10,
      outcome: 'complete',
      fileId: 1,
      progress: [],
    }
    const w: Lifecycle = { ...l, id: 'r2', outcome: 'waiting' }
    let state = fold([
      ...eventsOf(l),
      ...eventsOf(w),
      { method: 'event', event: 'fileTransferAvailabilityChanged', availability: 1 },
    ])
    expect(state.availability).toBe(1)
    state = reduceFileRequests(state, {
      type: 'event',
      at: 9_999,
      event: { method: 'event', event: 'fileTransferHistoryCleared' },
    })
    expect([...state.requests.keys()]).toEqual(['r2'])
    state = reduceFileRequests(state, {
      type: 'event',
      at: 10_000,
      event: {
        method: 'event',
        event: 'fileDeletedFromFileTransferHistory',
        directionType: 0,
        fileName: 'x',
        fileSize: 10,
        timestamp: 0,
        removedFromDisk: true,
        fileRequestId: 'r2',
        fileId: 1,
      },
    })
    expect(state.requests.size).toBe(0)
    expect(state.activeCount).toBe(0)
  })

  it('reads a getFileRequestInfo reply', () => {
    const state = reduceFileRequests(initialFileRequestsState(), {
      type: 'info',
      at: 5,
      info: {
        method: 'getFileRequestInfo',
        result: true,
        fileRequestId: 'i1',
        status: 2,
        directionType: 1,
        fileName: 'n',
        timestamp: 1,
        fileSize: 9,
        fileId: '12',
      },
    })
    expect(view(state.get('i1'))).toMatchObject({
      status: 2,
      direction: 1,
      fileId: 12,
      fileSize: 9,
    })
  })

  it('reads only the fields an event is checked for: a lying room cannot slip others in', () => {
    // Both frames decode (an event may carry fields it does not declare), but the tracker must not
    // take an inbound event's `fileId` or a conference event's peer fields, which nothing checked.
    const frames = [
      '{"method":"event","event":"receivedFileRequest","fileRequestId":"in","fileName":"a",' +
        '"peerId":"p@s","peerDn":"P","fileSize":1,"timestamp":0,"fileId":{"not":"a number"}}',
      '{"method":"event","event":"outgoingFileRequestSentToConference","fileRequestId":"out",' +
        '"fileName":"b","timestamp":0,"fileId":7,"confId":"c1","fileSize":2,"peerId":42,' +
        '"peerDisplayName":["x"],"peerDn":{}}',
    ]
    const events = frames.map((frame) => {
      const decoded = decodeRoomMessage(frame)
      if (decoded._tag !== 'Right' || !isFileEvent(decoded.right)) throw new Error(frame)
      return decoded.right
    })
    const state = fold(events)
    expect(state.get('in')).toMatchObject({
      fileId: undefined,
      peerId: 'p@s',
      peerDisplayName: 'P',
    })
    expect(state.get('out')).toMatchObject({
      fileId: 7,
      peerId: undefined,
      peerDisplayName: undefined,
      confId: 'c1',
    })
  })

  it('keeps the first status and the latest ones in the packed history', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.array(
          fc.tuple(fc.constantFrom<0 | 1 | 2 | 3 | 4>(0, 1, 2, 3, 4), fc.nat({ max: 2 ** 40 })),
          { minLength: 1, maxLength: 12 },
        ),
        (maxHistory, entries) => {
          const [[code0], ...rest] = entries as [[number, number], ...Array<[number, number]>]
          let h: PackedHistory = { histHead: singleEntry(code0), histTail: undefined }
          for (const [code, delay] of rest) h = appendHistory(h, delay, code, maxHistory)
          const r = new TrackedFileRequest(
            'id',
            'n',
            1,
            undefined,
            undefined,
            undefined,
            undefined,
            1_700_000_000_000,
            0,
            0,
            h.histHead,
            h.histTail,
          )
          const all = [[code0, 0], ...rest].map(([code, delay]) => ({
            status: code === 4 ? 'rejected' : code,
            at: 1_700_000_000_000 + (delay as number),
          }))
          const expected =
            all.length <= maxHistory ? all : [all[0], ...all.slice(all.length - maxHistory + 1)]
          expect(r.history).toEqual(expected)
        },
      ),
    )
  })

  it('caps the status history, keeping the first entry', () => {
    let state = initialFileRequestsState({ maxHistory: 3 })
    const base = {
      method: 'event',
      event: 'fileRequestStatusChanged',
      fileRequestId: 'h',
      directionType: 1,
      fileName: 'n',
      timestamp: 1,
      fileSize: 1,
    } as const
    state = reduceFileRequests(state, { type: 'event', at: 1, event: { ...base, status: 1 } })
    state = reduceFileRequests(state, { type: 'event', at: 2, event: { ...base, status: 2 } })
    state = reduceFileRequests(state, { type: 'event', at: 3, event: { ...base, status: 3 } })
    expect(state.get('h')?.history.map((h) => h.at)).toEqual([1, 2, 3])
    const four = initialFileRequestsState({ maxHistory: 2 })
    let s2 = reduceFileRequests(four, { type: 'event', at: 1, event: { ...base, status: 1 } })
    s2 = reduceFileRequests(s2, { type: 'event', at: 2, event: { ...base, status: 2 } })
    s2 = reduceFileRequests(s2, { type: 'event', at: 3, event: { ...base, status: 3 } })
    expect(s2.get('h')?.history).toEqual([
      { status: 1, at: 1 },
      { status: 3, at: 3 },
    ])
  })
})
