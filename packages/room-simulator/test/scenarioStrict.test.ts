import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { type ScenarioStep, parseScenario, parseScenarioValue, resolveScenario } from '../src'

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8')

/** The message `parseScenarioValue` throws for `value`. */
const problem = (value: unknown): string => {
  try {
    parseScenarioValue(value)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error(`accepted ${JSON.stringify(value)}`)
}

describe('scenario files: unknown keys and ambiguous steps are errors', () => {
  it('names the path and the key of a typo in an offer', () => {
    expect(problem({ steps: [{ at: 0, offer: { fileName: 'a', sise: 5 } }] })).toBe(
      'invalid scenario: scenario.steps[0].offer.sise: unknown key "sise" (known keys: fileName, data, size, peerId, peerDn, confId, speed, durationMs, failAtPercent, progressStep)',
    )
  })

  it('refuses `then` on a send step, naming it', () => {
    expect(
      problem({ steps: [{ at: 0, send: { fileName: 'a', to: 'b@x' }, then: 'accept' }] }),
    ).toBe('invalid scenario: scenario.steps[0].then: unknown key "then" (known keys: at, send)')
  })

  it('refuses a step with two actions, and one with none', () => {
    expect(problem({ steps: [{ at: 0, availability: 1, clearFaults: true }] })).toBe(
      'invalid scenario: scenario.steps[0]: expected one action per step, found 2: availability, clearFaults',
    )
    expect(
      problem({ steps: [{ at: 0, offer: { fileName: 'a' }, send: { fileName: 'a', to: 'b@x' } }] }),
    ).toMatch(/found 2: offer, send$/)
    expect(problem({ steps: [{ at: 0, offr: {} }] })).toBe(
      'invalid scenario: scenario.steps[0]: expected one action key (offer, send, availability, fault, clearFaults, disconnect), found none among ["at","offr"]',
    )
  })

  it("reports only the errors of the step's own action, not every alternative as missing", () => {
    const message = problem({
      steps: [
        { at: 0, availability: 1 },
        { at: 5, offer: { fileName: 'a', size: -1, failAtPercent: 120 } },
      ],
    })
    expect(message).toBe(
      'invalid scenario: scenario.steps[1].offer.size: expected FileSize: an integer >= 0, received -1; scenario.steps[1].offer.failAtPercent: expected Percent: a number 0..100, received 120',
    )
    expect(message).not.toMatch(/missing|send|clearFaults/)
    expect(problem({ steps: [{ at: 0, offer: { size: 3 } }] })).toBe(
      'invalid scenario: scenario.steps[0].offer.fileName: expected a string, missing',
    )
  })

  it('refuses unknown keys at the top, in presets, faults and disconnects, and values the wire cannot carry', () => {
    expect(problem({ name: 'x', steps: [], nmae: 'y' })).toBe(
      'invalid scenario: scenario.nmae: unknown key "nmae" (known keys: steps, name)',
    )
    expect(problem({ preset: 'load', transfer: 3 })).toBe(
      'invalid scenario: scenario.transfer: unknown key "transfer" (known keys: preset, rate, transfers, size)',
    )
    expect(problem({ preset: 'demo', rate: 3 })).toBe(
      'invalid scenario: scenario.rate: unknown key "rate" (known keys: preset)',
    )
    expect(problem({ preset: 'party' })).toBe(
      'invalid scenario: scenario.preset: expected one of demo, load, received "party"',
    )
    expect(problem({ steps: [{ at: 0, fault: { type: 'bogus' } }] })).toMatch(
      /^invalid scenario: scenario\.steps\[0\]\.fault\.type: expected one of closeAfterMessages, /,
    )
    expect(problem({ steps: [{ at: 0, fault: { type: 'randomClose', probability: 2 } }] })).toBe(
      'invalid scenario: scenario.steps[0].fault.probability: expected a probability: a number 0..1, received 2',
    )
    expect(problem({ steps: [{ at: 0, disconnect: { code: 5 } }] })).toMatch(
      /steps\[0\]\.disconnect\.code: expected a WebSocket close code/,
    )
    expect(problem({ steps: [{ at: 0, disconnect: { cod: 1000 } }] })).toMatch(
      /steps\[0\]\.disconnect\.cod: unknown key "cod"/,
    )
    expect(problem({ steps: [{ at: 0, send: { fileName: 'a', to: 'b@x', size: 1.5 } }] })).toMatch(
      /steps\[0\]\.send\.size: expected FileSize/,
    )
    expect(problem({ steps: [{ at: 0, offer: { fileName: 'a', progressStep: 0 } }] })).toMatch(
      /offer\.progressStep: expected a percent step: a number 1\.\.100, received 0/,
    )
    expect(problem({ preset: 'load', transfers: 2.5 })).toMatch(
      /scenario\.transfers: expected an integer >= 0, received 2\.5/,
    )
  })

  const action = fc.oneof(
    fc.record(
      {
        at: fc.nat(5000),
        offer: fc.record(
          {
            fileName: fc.string({ maxLength: 6 }),
            size: fc.nat(10_000),
            failAtPercent: fc.integer({ min: 0, max: 100 }),
          },
          { requiredKeys: ['fileName'] },
        ),
        then: fc.constantFrom('accept' as const, 'reject' as const, 'wait' as const),
      },
      { requiredKeys: ['at', 'offer'] },
    ),
    fc.record({
      at: fc.nat(5000),
      send: fc.record({
        fileName: fc.string({ maxLength: 6 }),
        to: fc.constantFrom('conference', 'b@x'),
        durationMs: fc.nat(100),
      }),
    }),
    fc.record({
      at: fc.nat(5000),
      availability: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
    }),
    fc.record({
      at: fc.nat(5000),
      fault: fc.record({
        type: fc.constant('duplicateEvents' as const),
        probability: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    }),
    fc.record({ at: fc.nat(5000), clearFaults: fc.constant(true as const) }),
    fc.record({
      at: fc.nat(5000),
      disconnect: fc.record({ code: fc.constantFrom(1000, 1001, 4000) }, { requiredKeys: [] }),
    }),
  ) as fc.Arbitrary<ScenarioStep>

  it('accepts any well-formed scenario and refuses it once any of its objects gets an unknown key, naming that key', () => {
    fc.assert(
      fc.property(
        fc.array(action, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.boolean(),
        (steps, pick, inAction) => {
          const scenario = { name: 'generated', steps }
          expect(parseScenarioValue(structuredClone(scenario))).toEqual(scenario)
          const broken = structuredClone(scenario) as {
            steps: Array<Record<string, unknown>>
          } & Record<string, unknown>
          const index = pick % (steps.length + 1)
          let path = 'scenario'
          let target: Record<string, unknown> = broken
          if (index < steps.length) {
            const step = broken.steps[index] as Record<string, unknown>
            const key = Object.keys(step).find((k) => typeof step[k] === 'object') ?? 'at'
            const nested = inAction && key !== 'at'
            path = nested ? `scenario.steps[${index}].${key}` : `scenario.steps[${index}]`
            target = nested ? (step[key] as Record<string, unknown>) : step
          }
          target.zzTypo = 1
          expect(problem(broken)).toContain(`${path}.zzTypo: unknown key "zzTypo"`)
        },
      ),
      { numRuns: 200, seed: 3 },
    )
  })
})

describe('the README scenario examples', () => {
  it('parses every JSON block of the Scenarios section and the load preset reference', () => {
    const section = /## Scenarios\n([\s\S]*?)\n## /.exec(README)?.[1] ?? ''
    const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string)
    expect(blocks.length).toBeGreaterThanOrEqual(1)
    for (const block of blocks)
      expect(resolveScenario(parseScenario(block)).steps.length).toBeGreaterThan(0)
    const presets = [...section.matchAll(/`(\{ "preset"[^`]*\})`/g)].map((m) => m[1] as string)
    expect(presets.length).toBeGreaterThanOrEqual(1)
    for (const preset of presets)
      expect(resolveScenario(parseScenario(preset)).steps.length).toBeGreaterThan(0)
  })
})
