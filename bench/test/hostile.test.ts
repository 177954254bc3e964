import { join } from 'node:path'
import { decodeRoomMessage } from '@org/file-events-codec'
import { collidingIdsBenchmark, hostileFrames, hostileFramesBenchmark } from '../src/hostile'
import { type BenchResults, checkTargets } from '../src/results'

process.env.BENCH_DIST = join(__dirname, '..', 'dist')

describe('hostile inputs benchmark', () => {
  it('has frames under the 1 MiB cap that all fail to decode', () => {
    const frames = hostileFrames()
    expect(frames).toHaveLength(6)
    for (const { frame } of frames) {
      expect(Buffer.byteLength(frame)).toBeLessThan(1024 * 1024)
      expect(decodeRoomMessage(frame)._tag).toBe('Left')
    }
  })

  it('measures time and allocation for every shape, and the colliding ids', () => {
    const rows = hostileFramesBenchmark(1)
    expect(rows.map((r) => r.shape)).toEqual(hostileFrames().map((f) => f.shape))
    for (const row of rows) {
      expect(row.timeRatio).toBeGreaterThan(0)
      expect(Number.isFinite(row.heapRatio)).toBe(true)
    }
    const colliding = collidingIdsBenchmark(2_000, 1)
    expect(colliding.ids).toBe(2_000)
    expect(colliding.ratio).toBeGreaterThan(0)
  })

  it('checks the worst shape against each target and names a miss', () => {
    const base: BenchResults = {
      date: '2026-12-06T00:00:00.000Z',
      machine: { cpu: 'Test CPU', cores: 2, node: 'v20.20.2', platform: 'linux x64' },
    }
    const row = (shape: string, timeRatio: number, heapRatio: number) => ({
      shape,
      frameBytes: 900_000,
      timeRatio,
      heapRatio,
    })
    const checks = checkTargets({
      ...base,
      hostile: {
        frames: [row('a', 1.2, 0.3), row('b', 6, 0.2), row('c', 1, 5)],
        collidingIds: { ids: 20_000, ratio: 3.5, ordinaryMs: 30, collidingMs: 105 },
      },
    })
    expect(checks.map((c) => [c.measured, c.pass])).toEqual([
      ['6.00x (b)', false],
      ['5.00x (c)', false],
      ['3.50x (105 vs 30 ms)', false],
    ])
  })
})
