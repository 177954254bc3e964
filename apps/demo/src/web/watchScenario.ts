// Something to watch: the `demo` preset, then rounds of transfers that go on for hours (varied
// sizes, speeds and outcomes, both directions, now and then an availability dip, reordered or
// duplicated events, bad frames, or a dropped connection that the page must resync after). Seeded: the same seed plays the same room.
import { type Scenario, type ScenarioStep, demoScenario } from '@org/room-simulator'

/** Virtual milliseconds between two rounds. */
export const ROUND_MS = 4000

/** The most rounds a scenario has: eight hours at time scale 1. */
export const MAX_ROUNDS = (8 * 3600 * 1000) / ROUND_MS

/** A drop is never in the first rounds, so that the room is steady while a person starts. */
const FIRST_DROP_ROUND = 20
const DROP_EVERY = 25
const DIP_EVERY = 15
/** A round of reordered and duplicated events (the tracker's anomalies), and one of bad frames. */
const REORDER_EVERY = 6
const BAD_FRAMES_EVERY = 10

const PEERS = [
  ['alice@simulator.local', 'Alice'],
  ['bob@simulator.local', 'Bob'],
  ['carol@simulator.local', 'Carol'],
  ['grace@simulator.local', 'Grace'],
  ['heidi@simulator.local', 'Heidi'],
  ['ivan@simulator.local', 'Ivan'],
] as const
const NAMES = ['minutes', 'photo', 'budget', 'recording', 'whiteboard', 'contract', 'logo', 'notes']
const EXTENSIONS = ['pdf', 'jpg', 'xlsx', 'mp4', 'png', 'docx', 'svg', 'txt']

/** mulberry32: a small seeded generator of numbers in [0, 1). */
const random = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The scenario `--web` plays with the embedded room: the `demo` preset, then `rounds` rounds, one
 * every {@link ROUND_MS} virtual milliseconds. Files stay small (4 KiB to 400 KiB, a few seconds
 * each), so that the simulator's storage lasts for hours.
 */
export const watchScenario = (seed: number, rounds: number): Scenario => {
  const next = random(seed)
  const pick = <T>(items: ReadonlyArray<T>): T => items[Math.floor(next() * items.length)] as T
  const between = (low: number, high: number): number => Math.round(low + next() * (high - low))
  // Sizes spread over two orders of magnitude, as files are.
  const size = (): number => Math.round(4096 * 100 ** next())
  const demo = demoScenario()
  const start = Math.max(...demo.steps.map((s) => s.at)) + ROUND_MS
  const steps: ScenarioStep[] = [...demo.steps]
  for (let round = 0; round < Math.min(rounds, MAX_ROUNDS); round++) {
    const at = start + round * ROUND_MS
    const fileName = `${pick(NAMES)}-${round + 1}.${pick(EXTENSIONS)}`
    const [peerId, peerDn] = pick(PEERS)
    const timing = {
      durationMs: between(1500, 12_000),
      progressStep: pick([5, 10, 20]),
      ...(next() < 0.15 ? { failAtPercent: between(10, 90) } : {}),
    }
    const roll = next()
    if (roll < 0.55) {
      // An offer to the room: mostly accepted, sometimes rejected, now and then left waiting for
      // the page's Accept.
      const answer = next()
      steps.push({
        at,
        offer: { fileName, size: size(), peerId, peerDn, ...timing },
        ...(answer < 0.75
          ? { then: 'accept' as const, thenAfterMs: between(200, 1500) }
          : answer < 0.93
            ? { then: 'reject' as const, thenAfterMs: between(200, 1500) }
            : { then: 'wait' as const }),
      })
    } else {
      steps.push({
        at,
        send: { fileName, size: size(), to: next() < 0.25 ? 'conference' : peerId, ...timing },
      })
    }
    // A second transfer in some rounds, so that transfers overlap.
    if (next() < 0.4)
      steps.push({
        at: at + between(500, ROUND_MS - 500),
        send: {
          fileName: `${pick(NAMES)}-${round + 1}b.${pick(EXTENSIONS)}`,
          size: size(),
          to: pick(PEERS)[0],
          durationMs: between(1000, 8000),
        },
      })
    if (round % DIP_EVERY === DIP_EVERY - 1) {
      steps.push({ at: at + 1000, availability: 2 }, { at: at + 2500, availability: 3 })
    }
    // Faults last one round; the round after starts clean.
    // A held-back event goes out alone after 25 ms: the quick transfer with a progress event every
    // percent is what gets its events swapped (a progress regression, a backwards status).
    if (round % REORDER_EVERY === REORDER_EVERY - 1)
      steps.push(
        { at, fault: { type: 'reorderEvents', probability: 0.5 } },
        { at, fault: { type: 'duplicateEvents', probability: 0.2 } },
        {
          at: at + 100,
          send: {
            fileName: `burst-${round + 1}.bin`,
            size: 65_536,
            to: peerId,
            durationMs: 400,
            progressStep: 1,
          },
        },
        { at: at + ROUND_MS - 1, clearFaults: true },
      )
    if (round % BAD_FRAMES_EVERY === BAD_FRAMES_EVERY - 1)
      steps.push(
        // Not `oversized`: a 1 MiB frame ends the connection, and a few in a row would use up the
        // page's retries.
        { at, fault: { type: 'malformedFrames', probability: 0.1, kinds: ['json', 'schema'] } },
        { at: at + ROUND_MS - 1, clearFaults: true },
      )
    if (round >= FIRST_DROP_ROUND && round % DROP_EVERY === 0) {
      steps.push({ at: at + 2000, disconnect: {} })
    }
  }
  return { name: 'watch', steps }
}

/**
 * Rounds enough to fill `seconds` of real time at `timeScale` (eight hours at most; at time scale 0,
 * where every step runs at once, a hundred).
 */
export const roundsFor = (seconds: number | undefined, timeScale: number): number =>
  timeScale === 0
    ? 100
    : seconds === undefined
      ? MAX_ROUNDS
      : Math.min(MAX_ROUNDS, Math.ceil((seconds * 1000) / timeScale / ROUND_MS))
