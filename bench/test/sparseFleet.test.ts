import { join } from 'node:path'
import { sparseFleetBenchmark } from '../src/sparseFleet'
import { SPARSE_KINDS } from '../src/sparseKinds'

process.env.BENCH_DIST = join(__dirname, '..', 'dist')

describe('the sparse fleet benchmark', () => {
  it('runs every client kind against the same rooms and divides their CPU by the events sent', async () => {
    const r = await sparseFleetBenchmark({
      rooms: 20,
      eventsPerSec: 2_000,
      eventsPerRound: 300,
      rounds: 1,
      idleMs: 500,
    })
    expect(Object.keys(r.cpuMicrosPerEvent)).toEqual([...SPARSE_KINDS])
    for (const kind of SPARSE_KINDS) expect(Number.isFinite(r.cpuMicrosPerEvent[kind])).toBe(true)
    expect(r.ratios.stream).toBeCloseTo(r.cpuMicrosPerEvent.raw / r.cpuMicrosPerEvent.stream, 6)
  }, 60_000)
})
