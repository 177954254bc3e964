import { execFileSync } from 'node:child_process'
import { decodeRoomMessage } from '@org/file-events-codec'
import type { FileEvent } from '@org/file-events-codec'
import { initialFileRequestsState, reduceFileRequests } from '@org/file-events-stream'
import { collidingKeys } from '../../test-support/collidingKeys'
import { distScript } from './distScript'
import { consume, median } from './harness'
import { seededRandom, uuid } from './random'

/** Decoding a hostile frame may cost at most this many times `JSON.parse` of it. */
export const HOSTILE_TIME_TARGET = 5
/** ... and allocate at most this many times its size beyond what `JSON.parse` of it allocates. */
export const HOSTILE_HEAP_TARGET = 4
/** Ids chosen to collide may cost the tracker at most this many times ordinary ids. */
export const COLLIDING_IDS_TARGET = 3

/**
 * Frames under the 1 MiB cap that cost io-ts' own validation millions of errors (bad list items),
 * and deep nesting, in a field and as the whole frame.
 */
export const hostileFrames = (): ReadonlyArray<{
  readonly shape: string
  readonly frame: string
}> => {
  const list = (method: string, field: string, count: number, item: unknown) =>
    JSON.stringify({ method, requestId: '1', result: true, [field]: Array(count).fill(item) })
  const deep = `${'['.repeat(400_000)}${']'.repeat(400_000)}`
  return [
    {
      shape: 'incoming list, 300,000 `{}`',
      frame: list('getIncomingFilesRequests', 'incomingFilesRequests', 300_000, {}),
    },
    {
      shape: 'history list, 300,000 `{}`',
      frame: list('getFileTransferHistory', 'filesRequests', 300_000, {}),
    },
    { shape: 'file list, 300,000 `{}`', frame: list('getFileList', 'fileList', 300_000, {}) },
    {
      shape: 'incoming list, 500,000 `0`',
      frame: list('getIncomingFilesRequests', 'incomingFilesRequests', 500_000, 0),
    },
    {
      shape: 'nesting 400,000 deep in a field',
      frame: `{"method":"event","event":"fileRequestStatusChanged","fileRequestId":"a","fileName":${deep}}`,
    },
    { shape: 'nesting 400,000 deep, the whole frame', frame: deep },
  ]
}

export interface HostileFrameRow {
  readonly shape: string
  readonly frameBytes: number
  /** Time of `decodeRoomMessage(frame)` over `JSON.parse(frame)`, median of the rounds. */
  readonly timeRatio: number
  /** Bytes `decodeRoomMessage(frame)` allocates beyond `JSON.parse(frame)`, over the frame's size. */
  readonly heapRatio: number
}

const nanos = (f: () => unknown): number => {
  const start = process.hrtime.bigint()
  consume(f())
  return Number(process.hrtime.bigint() - start)
}

/**
 * Each hostile frame decoded and parsed in alternating rounds (time), and its allocation measured
 * in a child process whose young generation holds everything a decode allocates, so that the heap
 * in use right after the call counts every byte allocated, garbage included.
 */
export const hostileFramesBenchmark = (rounds = 9): HostileFrameRow[] => {
  const heap = JSON.parse(
    execFileSync(
      process.execPath,
      ['--expose-gc', '--max-semi-space-size=1024', distScript('hostileHeap.js')],
      { encoding: 'utf8', maxBuffer: 1024 * 1024 },
    ),
  ) as Record<string, number>
  return hostileFrames().map(({ shape, frame }) => {
    const ratios: number[] = []
    for (let round = 0; round < rounds; round++) {
      const parse = nanos(() => JSON.parse(frame))
      ratios.push(nanos(() => decodeRoomMessage(frame)) / parse)
    }
    return {
      shape,
      frameBytes: Buffer.byteLength(frame),
      timeRatio: median(ratios),
      heapRatio: heap[shape] ?? Number.NaN,
    }
  })
}

/** Run in a child (`hostileHeap.js`): prints, per shape, the decode's extra allocation over the frame's size. */
export const measureHostileHeap = (): Record<string, number> => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('run with --expose-gc')
  const allocated = (f: () => unknown): number => {
    const samples: number[] = []
    for (let i = 0; i < 3; i++) {
      gc()
      const before = process.memoryUsage().heapUsed
      consume(f())
      samples.push(process.memoryUsage().heapUsed - before)
      consume(undefined)
    }
    return median(samples)
  }
  const out: Record<string, number> = {}
  for (const { shape, frame } of hostileFrames()) {
    const extra = allocated(() => decodeRoomMessage(frame)) - allocated(() => JSON.parse(frame))
    out[shape] = Math.max(0, extra) / Buffer.byteLength(frame)
  }
  return out
}

export interface CollidingIdsResult {
  readonly ids: number
  /** Time to fold the colliding ids' events over the same for ordinary ids, median of the rounds. */
  readonly ratio: number
  readonly ordinaryMs: number
  readonly collidingMs: number
}

const offer = (id: string): FileEvent => ({
  method: 'event',
  event: 'receivedFileRequest',
  fileRequestId: id,
  fileName: 'scan.pdf',
  fileSize: 1000,
  peerId: 'peer@video.example.com',
  peerDn: 'Peer',
  timestamp: 1659279697784,
})

const progress = (id: string): FileEvent => ({
  method: 'event',
  event: 'fileRequestStatusChanged',
  fileRequestId: id,
  status: 2,
  directionType: 0,
  fileName: 'scan.pdf',
  fileSize: 1000,
  timestamp: 1659279697784,
})

/**
 * 20,000 offers, then 1,000 later events on them, folded one by one into a tracker: ids made to
 * collide under the tracker's hash (its seed given, as a room that knew it would) against ordinary
 * ids, in alternating rounds.
 */
export const collidingIdsBenchmark = (count = 20_000, rounds = 5): CollidingIdsResult => {
  const seed = 0x5eed
  const colliding = collidingKeys(seed, count)
  const random = seededRandom(11)
  const ordinary = Array.from({ length: count }, () => uuid(random))
  const eventsOf = (ids: ReadonlyArray<string>): FileEvent[] => [
    ...ids.map(offer),
    ...ids.slice(0, 1_000).map(progress),
  ]
  const inputs = { ordinary: eventsOf(ordinary), colliding: eventsOf(colliding) }
  const fold = (events: ReadonlyArray<FileEvent>): number =>
    nanos(() => {
      let state = initialFileRequestsState({ hashSeed: seed, maxActive: count })
      let at = 1_700_000_000_000
      for (const event of events)
        state = reduceFileRequests(state, { type: 'event', event, at: at++ })
      return state
    })
  fold(inputs.ordinary)
  fold(inputs.colliding)
  const ratios: number[] = []
  const times = { ordinary: [] as number[], colliding: [] as number[] }
  for (let round = 0; round < rounds; round++) {
    const a = fold(inputs.ordinary)
    const b = fold(inputs.colliding)
    times.ordinary.push(a)
    times.colliding.push(b)
    ratios.push(b / a)
  }
  return {
    ids: count,
    ratio: median(ratios),
    ordinaryMs: median(times.ordinary) / 1e6,
    collidingMs: median(times.colliding) / 1e6,
  }
}
