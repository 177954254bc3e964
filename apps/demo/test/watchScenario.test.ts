import { ScenarioInput, demoScenario } from '@org/room-simulator'
import { MAX_ROUNDS, ROUND_MS, roundsFor, watchScenario } from '../src/web/watchScenario'

describe('watchScenario (what --web plays with the embedded room)', () => {
  const scenario = watchScenario(1, 200)

  it('is a scenario the simulator accepts, the demo preset first', () => {
    expect(ScenarioInput.is(scenario)).toBe(true)
    expect(scenario.steps.slice(0, demoScenario().steps.length)).toEqual(demoScenario().steps)
  })

  it('is the same for the same seed, and another for another', () => {
    expect(watchScenario(1, 200)).toEqual(scenario)
    expect(watchScenario(2, 200)).not.toEqual(scenario)
  })

  it('has transfers both ways with every ending, availability dips and dropped connections', () => {
    const steps = scenario.steps
    const offers = steps.flatMap((s) => ('offer' in s ? [s] : []))
    const sends = steps.flatMap((s) => ('send' in s ? [s] : []))
    expect(offers.filter((s) => s.then === 'accept').length).toBeGreaterThan(10)
    expect(offers.filter((s) => s.then === 'reject').length).toBeGreaterThan(3)
    expect(offers.filter((s) => s.then === 'wait').length).toBeGreaterThan(1)
    expect(sends.filter((s) => s.send.to === 'conference').length).toBeGreaterThan(3)
    expect(
      [...offers.map((s) => s.offer), ...sends.map((s) => s.send)].filter(
        (f) => f.failAtPercent !== undefined,
      ).length,
    ).toBeGreaterThan(5)
    expect(steps.filter((s) => 'availability' in s).length).toBeGreaterThan(4)
    const faults = steps.flatMap((s) => ('fault' in s ? [s.fault.type] : []))
    expect(new Set(faults)).toEqual(
      new Set(['reorderEvents', 'duplicateEvents', 'malformedFrames']),
    )
    // Every fault is cleared within its round.
    expect(steps.filter((s) => 'clearFaults' in s).length).toBe(
      steps.filter((s) => 'fault' in s && s.fault.type !== 'duplicateEvents').length,
    )
    const drops = steps.filter((s) => 'disconnect' in s)
    expect(drops.length).toBeGreaterThan(3)
    // No drop in the first minute and more of the room's time.
    expect(Math.min(...drops.map((s) => s.at))).toBeGreaterThan(80_000)
  })

  it('covers --max-seconds at the time scale, eight hours at most', () => {
    expect(roundsFor(60, 0.5)).toBe(Math.ceil(120_000 / ROUND_MS))
    expect(roundsFor(undefined, 1)).toBe(MAX_ROUNDS)
    expect(roundsFor(10 * 3600, 1)).toBe(MAX_ROUNDS)
    expect(MAX_ROUNDS * ROUND_MS).toBe(8 * 3600 * 1000)
  })
})
