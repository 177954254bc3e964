import { decodeRoomMessage, isFileEvent, isUnknownEvent } from '@org/file-events-codec'
import { mixedFrames, statusChangedFrames } from '../src/corpus'
import { decodeBenchmarks } from '../src/decode'
import { compareThroughput, median } from '../src/harness'

describe('bench corpora', () => {
  it('are deterministic and decode', () => {
    expect(statusChangedFrames(50)).toEqual(statusChangedFrames(50))
    const mixed = mixedFrames(500)
    const decoded = mixed.map((f) => decodeRoomMessage(f))
    expect(decoded.every((r) => r._tag === 'Right')).toBe(true)
    const messages = decoded.flatMap((r) => (r._tag === 'Right' ? [r.right] : []))
    // The mixed stream holds every file event and some events of other kinds.
    expect(new Set(messages.filter(isFileEvent).map((m) => m.event)).size).toBe(11)
    expect(messages.some(isUnknownEvent)).toBe(true)
  })
})

describe('harness', () => {
  it('takes the median', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 2, 3])).toBe(2.5)
  })

  it('reports candidate over baseline throughput (below 1 for a slower candidate)', () => {
    const work = (): number => {
      let x = 0
      for (let i = 0; i < 20000; i++) x += Math.sqrt(i)
      return x
    }
    const c = compareThroughput({
      name: 'twice',
      target: 0.5,
      items: 1,
      baseline: work,
      candidate: () => work() + work(),
      rounds: 15,
    })
    // Twice the work is about 0.5; the bounds only catch an inverted or broken ratio.
    expect(c.ratio).toBeGreaterThan(0.1)
    expect(c.ratio).toBeLessThan(1)
  })

  it('runs the decode benchmarks end to end on a small corpus', () => {
    const results = decodeBenchmarks({ corpusSize: 100, rounds: 3 })
    expect(results.map((r) => r.name)).toHaveLength(2)
    for (const r of results) expect(r.ratio).toBeGreaterThan(0)
  })
})
