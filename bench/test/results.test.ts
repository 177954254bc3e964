import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type BenchResults, checkTargets } from '../src/results'
import { renderResults, renderSummary, withResults } from '../src/resultsTable'
import type { FleetResult } from '../src/fleet'

const fleet = (over: Partial<FleetResult> = {}): FleetResult => ({
  rooms: 1_000,
  hosts: 2,
  readyMs: 2_000,
  heapBytesPerRoom: 30_000,
  rssBytesPerRoom: 100_000,
  idleCpuShare: 0.01,
  busy: { transferringRooms: 10, eventsPerSec: 3_000, cpuShare: 0.2, cpuMicrosPerEvent: 60 },
  reconnect: {
    firstAttemptMs: { min: 250, p10: 280, p50: 380, p90: 480, max: 500 },
    peakAttemptsPer100Ms: 250,
    readyAgainMs: 900,
  },
  ...over,
})

const results = (over: Partial<BenchResults> = {}): BenchResults => ({
  date: '2026-11-30T10:00:00.000Z',
  machine: { cpu: 'Test CPU', cores: 2, node: 'v20.20.2', platform: 'linux x64' },
  ratios: { decodeFileRequestStatusChanged: 0.85, decodeMixed: 0.8, streamEndToEnd: 0.82 },
  peers: {
    ajv: { decodeFileRequestStatusChanged: 0.75, decodeMixed: 0.7 },
    rxjsZodMap: { streamEndToEnd: 0.5 },
  },
  memory: { bytesPerActiveRequest: 160, bytesPerActiveRequestWithStrings: 290, churnGrowth: 0.01 },
  fleet: fleet(),
  ...over,
})

const missed = (r: BenchResults): string[] =>
  checkTargets(r)
    .filter((c) => !c.pass)
    .map((c) => c.what)

describe('checkTargets', () => {
  it('passes results that meet every target', () => {
    expect(checkTargets(results())).toHaveLength(11)
    expect(missed(results())).toEqual([])
  })

  it('names each missed target', () => {
    expect(
      missed(
        results({
          ratios: { decodeFileRequestStatusChanged: 0.79, decodeMixed: 0.8, streamEndToEnd: 0.82 },
        }),
      ),
    ).toEqual(['decode `fileRequestStatusChanged` vs `JSON.parse`'])
    expect(
      missed(
        results({
          memory: {
            bytesPerActiveRequest: 201,
            bytesPerActiveRequestWithStrings: 290,
            churnGrowth: -0.11,
          },
        }),
      ),
    ).toEqual(['heap per tracked active request', 'heap under 10 M events of churn'])
    expect(
      missed(
        results({
          fleet: fleet({ readyMs: 5_001, heapBytesPerRoom: 41 * 1024, idleCpuShare: 0.02 }),
        }),
      ),
    ).toEqual([
      'fleet of 1,000 rooms: all ready',
      'fleet of 1,000 rooms: heap per idle room',
      'fleet of 1,000 rooms: idle CPU over a keep-alive period',
    ])
  })

  it('checks the sparse fleet, the bundles, and a herd of 10,000 rooms when measured', () => {
    const bundle = (bytes: number, gzipBytes = bytes / 3) => ({ bytes, gzipBytes })
    const r = results({
      ratios: { ...results().ratios, sparseFleet: 0.74 },
      bundles: {
        connectRoom: bundle(61 * 1024),
        rxjsWebSocket: bundle(16 * 1024),
        codecHelper: bundle(100),
        decodeRoomMessage: bundle(28 * 1024),
      },
      fleetSizes: [
        fleet(),
        fleet({
          rooms: 10_000,
          readyMs: 31_000,
          reconnect: { ...fleet().reconnect, readyAgainMs: 20_000 },
          timedOutAttempts: 3,
        }),
      ],
    })
    expect(missed(r)).toEqual([
      'sparse fleet: events per CPU second vs a raw `ws` fleet',
      'browser bundle, `connectRoom` + `ofEvent`',
      'fleet of 10,000 rooms: all ready, started together',
      'fleet of 10,000 rooms: attempts that timed out',
    ])
  })

  it('fails a row where a peer is as fast as the project or faster', () => {
    const r = results({
      peers: { ajv: { decodeFileRequestStatusChanged: 0.85 }, zod: { decodeMixed: 0.5 } },
    })
    expect(missed(r)).toEqual(['`decodeFileRequestStatusChanged`: the project ahead of every peer'])
  })

  it('checks only what a partial run measured, and fleet targets only at 1,000 rooms or more', () => {
    const { date, machine } = results()
    expect(checkTargets({ date, machine })).toEqual([])
    expect(checkTargets({ date, machine, fleet: fleet({ rooms: 100, readyMs: 9_000 }) })).toEqual(
      [],
    )
  })
})

describe('the README results section', () => {
  it('is made from the results and replaces the previous one', () => {
    const section = renderResults(results())
    expect(section).toContain(
      '| fleet of 1,000 rooms: heap per idle room | <= 40 KiB | 29.3 KiB | met |',
    )
    const once = withResults('# bench\n', results())
    expect(withResults(once, results())).toBe(once)
  })

  it('matches results/latest.json in the committed README', () => {
    const dir = join(__dirname, '..')
    const latest = JSON.parse(
      readFileSync(join(dir, 'results', 'latest.json'), 'utf8'),
    ) as BenchResults
    const readme = readFileSync(join(dir, 'README.md'), 'utf8')
    expect(readme).toContain(renderResults(latest))
  })

  it("matches results/latest.json in the root README's performance section", () => {
    const dir = join(__dirname, '..')
    const latest = JSON.parse(
      readFileSync(join(dir, 'results', 'latest.json'), 'utf8'),
    ) as BenchResults
    const readme = readFileSync(join(dir, '..', 'README.md'), 'utf8')
    expect(readme).toContain(renderSummary(latest))
  })
})
