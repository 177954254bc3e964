import { decodeRoomMessage, isFileEvent, isUnknownEvent } from '@org/file-events-codec'
import { mixedFrames, statusChangedFrames } from '../src/corpus'
import { decodeBenchmarks } from '../src/decode'
import { compareThroughput, measureMany, median } from '../src/harness'

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

  it('measures every candidate against the same baseline rounds', () => {
    const work = (n: number) => (): number => {
      let x = 0
      for (let i = 0; i < n; i++) x += Math.sqrt(i)
      return x
    }
    const m = measureMany({
      items: 10,
      baseline: work(20_000),
      candidates: { same: work(20_000), triple: work(60_000) },
      rounds: 9,
    })
    // Loose bounds: only an inverted, swapped or broken ratio fails them.
    expect(m.triple.ratio).toBeLessThan(m.same.ratio)
    expect(m.triple.ratio).toBeLessThan(1)
    expect(m.same.ratio).toBeGreaterThan(0.3)
    expect(m.same.baselineOpsPerSec).toBe(m.triple.baselineOpsPerSec)
    expect(m.same.detail).toMatch(/^9 rounds/)
  })

  it('runs the decode benchmarks end to end on a small corpus', () => {
    const rows = decodeBenchmarks({ corpusSize: 100, rounds: 3 })
    expect(rows.map((r) => r.key)).toEqual(['decodeFileRequestStatusChanged', 'decodeMixed'])
    for (const r of rows) {
      expect(r.project.ratio).toBeGreaterThan(0)
      expect(Object.keys(r.peers).sort()).toEqual(['ajv', 'ioTs', 'valibot', 'zod'])
      for (const m of Object.values(r.peers)) expect(m.ratio).toBeGreaterThan(0)
    }
  })
})
