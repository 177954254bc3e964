import { join } from 'node:path'
import { fleetBenchmark, peakPerSlot, quantile, spreadOf } from '../src/fleet'

// The fleet's rooms run in child processes from the built scripts (`.ci/run` builds before jest).
process.env.BENCH_DIST = join(__dirname, '..', 'dist')

describe('fleet statistics', () => {
  it('takes nearest-rank quantiles', () => {
    const sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    expect(quantile(sorted, 0)).toBe(10)
    expect(quantile(sorted, 0.1)).toBe(10)
    expect(quantile(sorted, 0.5)).toBe(50)
    expect(quantile(sorted, 0.9)).toBe(90)
    expect(quantile(sorted, 1)).toBe(100)
    expect(quantile([], 0.5)).toBeNaN()
  })

  it('spreads unsorted values and counts the busiest slot', () => {
    expect(spreadOf([300, 100, 200])).toEqual({ min: 100, p10: 100, p50: 200, p90: 300, max: 300 })
    expect(peakPerSlot([0, 50, 99, 100, 250], 100)).toBe(3)
    expect(peakPerSlot([], 100)).toBe(0)
  })
})

describe('the fleet benchmark at a small size', () => {
  it('connects every room, measures it, drops every room at once and sees every one come back', async () => {
    const f = await fleetBenchmark({
      rooms: 6,
      roomsPerHost: 4,
      idleWindowMs: 200,
      busyWindowMs: 400,
      transferringShare: 0.3,
    })
    expect(f.rooms).toBe(6)
    expect(f.hosts).toBe(2)
    expect(f.readyMs).toBeGreaterThan(0)
    expect(f.idleCpuShare).toBeGreaterThanOrEqual(0)
    expect(f.busy.transferringRooms).toBe(2)
    // Two rooms sending a file every 50 ms produce events.
    expect(f.busy.eventsPerSec).toBeGreaterThan(0)
    const a = f.reconnect.firstAttemptMs
    expect(a.min).toBeGreaterThan(0)
    expect(a.min).toBeLessThanOrEqual(a.max)
    expect(f.reconnect.peakAttemptsPer100Ms).toBeGreaterThanOrEqual(1)
    expect(f.reconnect.readyAgainMs).toBeGreaterThanOrEqual(a.max)
  }, 30_000)
})
