import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type FileEvent, decodeRoomMessage, isFileEvent } from '@org/file-events-codec'
import {
  type GroundTruthEntry,
  type Scenario,
  demoScenario,
  loadScenario,
  parseScenario,
  resolveScenario,
  startRoomSimulator,
} from '../src'
import { TestClient } from './helpers/TestClient'

/** Runs a scenario to idle with one authenticated client; returns what the client saw. */
const run = async (scenario: Scenario | string, seed: number) => {
  const room = await startRoomSimulator({ scenario, seed, timeScale: 0 })
  const c = await TestClient.authed(room.urls.ws)
  await room.idle()
  // A reply after idle proves every event sent before it has arrived.
  await c.request('getFileTransferAvailability')
  const truth = room.groundTruth()
  await c.close()
  await room.close()
  return { c, truth }
}

const sequence = (c: TestClient) =>
  c.events.map((e) => {
    const m = e as {
      event: string
      fileRequestId?: string
      status?: number
      processedPercents?: number
      fileId?: number
    }
    return [m.event, m.fileRequestId, m.status, m.processedPercents, m.fileId].join('|')
  })

/** The final state of each request as a client observed it from events alone. */
const observed = (c: TestClient): Map<string, { status: number; rejected: boolean }> => {
  const states = new Map<string, { status: number; rejected: boolean }>()
  for (const m of c.events.filter(isFileEvent) as FileEvent[]) {
    if (!('fileRequestId' in m)) continue
    const s = states.get(m.fileRequestId) ?? { status: 1, rejected: false }
    if (m.event === 'fileRequestStatusChanged') s.status = m.status
    if (m.event === 'incomingFileRequestRejected') s.rejected = true
    states.set(m.fileRequestId, s)
  }
  return states
}

const truthMap = (truth: ReadonlyArray<GroundTruthEntry>) =>
  new Map(truth.map((g) => [g.fileRequestId, { status: g.status, rejected: g.rejected }]))

describe('scenarios', () => {
  it('runs the demo preset: inbound accepted, rejected, failed, waiting; outbound to peers and the conference', async () => {
    const { c, truth } = await run('demo', 1)
    for (const frame of c.frames) expect(decodeRoomMessage(frame)._tag).toBe('Right')
    const names = new Set(c.events.map((e) => e.event))
    for (const name of [
      'receivedFileRequest',
      'incomingFileRequestAccepted',
      'incomingFileRequestRejected',
      'incomingFileRequestDownloadingProgress',
      'outgoingFileRequestSent',
      'outgoingFileRequestSentToConference',
      'outgoingFileRequestUploadingProgress',
      'fileTransferAvailabilityChanged',
      'fileRequestStatusChanged',
    ]) {
      expect(names.has(name)).toBe(true)
    }
    expect(truth.filter((g) => g.rejected).length).toBe(1)
    expect(truth.filter((g) => g.status === 0).length).toBe(2)
    expect(truth.filter((g) => g.status === 3).length).toBe(3)
    expect(truth.filter((g) => g.status === 1 && !g.rejected).length).toBe(1)
    expect(observed(c)).toEqual(truthMap(truth))
  })

  it('gives the same event sequence for the same seed and a different one for another seed', async () => {
    const a = await run('demo', 42)
    const b = await run('demo', 42)
    const other = await run('demo', 43)
    expect(sequence(a.c).length).toBeGreaterThan(40)
    expect(sequence(b.c)).toEqual(sequence(a.c))
    expect(a.truth).toEqual(b.truth)
    expect(sequence(other.c)).not.toEqual(sequence(a.c))
  })

  it('interleaves concurrent transfers the same way with a real (scaled) clock', async () => {
    const once = async () => {
      const room = await startRoomSimulator({
        scenario: loadScenario({ rate: 2000, transfers: 20 }),
        seed: 9,
        timeScale: 0.2,
      })
      const c = await TestClient.authed(room.urls.ws)
      await room.idle()
      await c.request('getFileList')
      await c.close()
      await room.close()
      return sequence(c)
    }
    const first = await once()
    expect(first.length).toBe(10 * 8 + 10 * 7)
    expect(await once()).toEqual(first)
  })

  it('does not start before the first client has authenticated', async () => {
    const room = await startRoomSimulator({ scenario: 'demo', timeScale: 0 })
    try {
      const anonymous = await TestClient.connect(room.urls.ws)
      await anonymous.request('setUsedApiVersion', { version: '1' })
      expect(room.groundTruth()).toEqual([])
      const c = await TestClient.authed(room.urls.ws)
      await c.waitForEvent('receivedFileRequest')
      expect(c.events[0]?.event).toBe('receivedFileRequest')
      await anonymous.close()
      await c.close()
    } finally {
      await room.close()
    }
  })

  it('runs scenario faults and availability steps, and the ground truth still matches', async () => {
    const scenario: Scenario = {
      name: 'faulty',
      steps: [
        { at: 0, fault: { type: 'duplicateEvents', probability: 0.5 } },
        { at: 1, offer: { fileName: 'a.bin', size: 10 }, then: 'accept' },
        { at: 2, offer: { fileName: 'b.bin', size: 10, failAtPercent: 50 }, then: 'accept' },
        { at: 3, send: { fileName: 'c.bin', size: 10, to: 'conference' } },
        { at: 4, availability: 1 },
        { at: 5, clearFaults: true },
      ],
    }
    const { c, truth } = await run(scenario, 5)
    expect(truth.map((g) => g.status)).toEqual([3, 0, 3])
    expect(observed(c)).toEqual(truthMap(truth))
    const availability = c.events.filter((e) => e.event === 'fileTransferAvailabilityChanged')
    expect(availability.length).toBeGreaterThanOrEqual(1)
    for (const e of availability)
      expect(e).toEqual({
        method: 'event',
        event: 'fileTransferAvailabilityChanged',
        availability: 1,
      })
    // Duplicates were sent while the fault was on (seeded, so this run always has some).
    expect(c.events.length).toBeGreaterThan(8 + 8 + 7 + 1)
  })

  it('paces the load preset to about the requested rate of events', () => {
    const s = loadScenario({ rate: 1000, transfers: 100 })
    expect(s.steps.length).toBe(100)
    // 100 transfers of 7.5 events each at 1000 events/s start over 750 ms.
    expect(s.steps.at(-1)?.at).toBeCloseTo(99 * 7.5, 5)
    expect(resolveScenario({ preset: 'load', transfers: 3 }).steps.length).toBe(3)
    expect(resolveScenario({ preset: 'demo' })).toEqual(demoScenario())
  })

  it('reports invalid scenarios with the failing path', () => {
    expect(() => parseScenario('{"steps":[{"at":-1,"availability":3}]}')).toThrow(
      /invalid scenario: .*at/,
    )
    expect(() => parseScenario('{"steps":[{"at":1,"offer":{"size":3}}]}')).toThrow(/fileName/)
    expect(() => parseScenario('nope')).toThrow(/invalid scenario JSON/)
    expect(() => resolveScenario('party')).toThrow(
      'unknown scenario preset "party" (presets: demo, load)',
    )
    expect(
      parseScenario('{"steps":[{"at":0,"fault":{"type":"stallReplies","durationMs":5}}]}'),
    ).toEqual({
      steps: [{ at: 0, fault: { type: 'stallReplies', durationMs: 5 } }],
    })
  })
})

describe('the example scenario file', () => {
  it('parses and runs to idle', async () => {
    const input = parseScenario(
      readFileSync(join(__dirname, '..', 'scenarios', 'example.json'), 'utf8'),
    )
    const { c, truth } = await run(resolveScenario(input), 1)
    expect(truth.length).toBe(6)
    expect(observed(c)).toEqual(truthMap(truth))
  })
})
