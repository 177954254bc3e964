import type { FileEvent } from '@org/file-events-codec'
import {
  type FileRequestsState,
  initialFileRequestsState,
  reduceFileRequests,
} from '@org/file-events-stream'
import { fullGc, median } from './harness'
import { uuid, seededRandom } from './random'

const heapUsed = (): number => {
  fullGc()
  return process.memoryUsage().heapUsed
}

export interface MemoryPerRequest {
  readonly requests: number
  /** The tracker's own structures per request; the events' strings are shared with the input. */
  readonly trackerBytes: number
  /** The same with the strings the tracker alone keeps alive (ids, names, peers) counted in. */
  readonly retainedBytes: number
  readonly target: number
  readonly pass: boolean
}

const offer = (id: string, i: number): FileEvent => ({
  method: 'event',
  event: 'receivedFileRequest',
  fileRequestId: id,
  peerId: `peer${i % 50}@video.example.com`,
  peerDn: `Peer ${i % 50}`,
  fileName: `scan-${i}.pdf`,
  fileSize: 1000 + i,
  timestamp: 1659279697784 + i,
})

const progress = (id: string, i: number, status: 1 | 2): FileEvent => ({
  method: 'event',
  event: 'fileRequestStatusChanged',
  fileRequestId: id,
  status,
  directionType: 0,
  fileName: `scan-${i}.pdf`,
  fileSize: 1000 + i,
  timestamp: 1659279697784 + i,
  peerId: `peer${i % 50}@video.example.com`,
  peerDisplayName: `Peer ${i % 50}`,
})

const wire = (event: FileEvent): FileEvent => JSON.parse(JSON.stringify(event)) as FileEvent

/**
 * Heap per tracked, still-active request: `count` inbound requests offered and in progress, none
 * finished. Measured twice: with the input events alive (so only the tracker's own objects count)
 * and after dropping them (so the strings only the tracker keeps count too).
 */
export const memoryPerActiveRequest = (count = 100_000): MemoryPerRequest => {
  const random = seededRandom(7)
  const empty = heapUsed()
  let events: FileEvent[] | undefined = []
  for (let i = 0; i < count; i++) {
    const id = uuid(random)
    // As off the wire: JSON.parse gives flat strings. Built strings are cons-strings that V8
    // flattens when the tracker hashes them, which would show up as memory freed by the tracker.
    events.push(wire(offer(id, i)), wire(progress(id, i, 2)))
  }
  const fold = (input: ReadonlyArray<FileEvent>): FileRequestsState => {
    let folded = initialFileRequestsState()
    let at = 1_700_000_000_000
    for (const event of input)
      folded = reduceFileRequests(folded, { type: 'event', event, at: at++ })
    return folded
  }
  // A first fold into a tracker that is thrown away: reading the events settles V8's own lazy
  // work on them (about 90 B per request freed), which must not be credited to the tracker.
  fold(events)
  // Median of a few folds: a single reading swings with when V8 releases the fold's garbage.
  const readings: number[] = []
  let state = initialFileRequestsState()
  for (let trial = 0; trial < 5; trial++) {
    state = initialFileRequestsState()
    const start = heapUsed()
    state = fold(events)
    readings.push(heapUsed() - start)
  }
  const withInput = heapUsed()
  const before = withInput - median(readings)
  if (state.activeCount !== count)
    throw new Error(`expected ${count} active requests, got ${state.activeCount}`)
  events = undefined
  const alone = heapUsed()
  // Keep the state reachable until both readings are taken.
  if (state.requests.size !== count) throw new Error('tracker lost requests')
  const trackerBytes = (withInput - before) / count
  return {
    requests: count,
    trackerBytes,
    retainedBytes: (alone - empty) / count,
    target: 200,
    pass: trackerBytes <= 200,
  }
}

export interface ChurnResult {
  readonly events: number
  readonly firstTenthMiB: number
  readonly lastTenthMiB: number
  /** (last - first) / first. */
  readonly growth: number
  readonly target: number
  readonly pass: boolean
  readonly eventsPerSec: number
  readonly evicted: number
}

/**
 * `events` events through the tracker as transfers start and finish (each: offer, in progress,
 * two progress reports, complete), with finished requests evicted after `maxFinished`. Heap is
 * sampled (after a full GC) 50 times; the mean of the last tenth of the samples is compared with
 * the first tenth.
 */
export const trackerChurn = (events = 10_000_000, maxFinished = 1000): ChurnResult => {
  const random = seededRandom(11)
  let state = initialFileRequestsState({ maxFinished })
  const perTransfer = 5
  const concurrent = 200
  const samples: number[] = []
  const sampleEvery = Math.max(1, Math.floor(events / 50))
  const ids: string[] = Array.from({ length: concurrent }, () => uuid(random))
  let at = 1_700_000_000_000
  let processed = 0
  let reducing = 0n
  // `concurrent` transfers in flight, staggered: each step advances every slot by one event.
  for (let t = 0; t < events; t++) {
    const slot = t % concurrent
    const id = ids[slot] as string
    const phase = Math.floor(t / concurrent) % perTransfer
    let event: FileEvent
    if (phase === 0) event = offer(id, t)
    else if (phase === 1) event = progress(id, t, 2)
    else if (phase < 4)
      event = {
        method: 'event',
        event: 'incomingFileRequestDownloadingProgress',
        fileRequestId: id,
        processedPercents: phase === 2 ? 33 : 66,
        fileName: `scan-${t}.pdf`,
        fileSize: 1000,
        peerId: 'peer@video.example.com',
        timestamp: at,
      }
    else {
      event = {
        method: 'event',
        event: 'fileRequestStatusChanged',
        fileRequestId: id,
        status: 3,
        directionType: 0,
        fileName: `scan-${t}.pdf`,
        fileSize: 1000,
        timestamp: at,
        fileId: t,
      }
      ids[slot] = uuid(random)
    }
    const before = process.hrtime.bigint()
    state = reduceFileRequests(state, { type: 'event', event, at: at++ })
    reducing += process.hrtime.bigint() - before
    processed++
    if (t % sampleEvery === 0) samples.push(heapUsed())
  }
  const seconds = Number(reducing) / 1e9
  const tenth = Math.max(1, Math.floor(samples.length / 10))
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
  // Skip the first samples: the tracker fills up to maxFinished before it can be flat.
  const warm = samples.slice(tenth)
  const first = mean(warm.slice(0, tenth))
  const last = mean(warm.slice(-tenth))
  const growth = (last - first) / first
  return {
    events: processed,
    firstTenthMiB: first / 2 ** 20,
    lastTenthMiB: last / 2 ** 20,
    growth,
    target: 0.1,
    pass: Math.abs(growth) <= 0.1,
    eventsPerSec: processed / seconds,
    evicted: state.evictedCount,
  }
}
