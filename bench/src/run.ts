import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { decodeBenchmarks } from './decode'
import { endToEndBenchmark } from './endToEnd'
import { fleetBenchmark } from './fleet'
import type { Comparison, Measured } from './harness'
import { PEER_LABELS } from './peers'
import { REFERENCE_LABELS, type ReferenceKey } from './referenceClients'
import {
  type BenchResults,
  FLEET_TARGET_ROOMS,
  type FleetFailure,
  type RatioKey,
  checkTargets,
  isFleetFailure,
  machine,
} from './results'
import { writeReadmes } from './resultsTable'
import { BUNDLE_LABELS, type BundleKey, type BundleSize, bundleSizes } from './bundles'
import { sparseFleetBenchmark } from './sparseFleet'
import { SPARSE_LABELS, type SparseKind } from './sparseKinds'
import { collidingIdsBenchmark, hostileFramesBenchmark } from './hostile'
import { memoryPerActiveRequest, trackerChurn } from './tracker'
import type { FleetResult } from './fleet'

/**
 * `pnpm bench`: runs every benchmark and prints one line per target.
 * - `--quick`: small inputs (a smoke run; its ratios mean nothing);
 * - `--only decode,e2e,sparse,bundles,memory,hostile,fleet`: some parts only;
 * - `--rooms 100,1000`: the fleet sizes (default 100, 1,000 and 10,000; 100 with `--quick`);
 * - `--check`: exits 1 when a target is missed.
 * A full run (neither `--quick` nor `--only`) writes `results/latest.json` and the README's results
 * section; `--out FILE` writes the results of any run to FILE.
 */
const argv = process.argv.slice(2)
const flag = (name: string): boolean => argv.includes(name)
const value = (name: string): string | undefined => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}
const quick = flag('--quick')
const only = value('--only')?.split(',')
const part = (name: string): boolean => only === undefined || only.includes(name)
const roomSizes = (value('--rooms') ?? (quick ? '100' : '100,1000,10000')).split(',').map(Number)
const benchDir = join(dirname(process.argv[1] ?? '.'), '..')

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`
const print = (c: Comparison): void => {
  console.log(
    `${c.pass ? 'PASS' : 'MISS'}  ${c.name}: ${pct(c.ratio)} (target >= ${(c.target * 100).toFixed(0)} %)  ` +
      `[baseline ${Math.round(c.baselineOpsPerSec).toLocaleString('en')}/s, candidate ${Math.round(c.candidateOpsPerSec).toLocaleString('en')}/s; ${c.detail}]`,
  )
}
const printPeer = (peer: string, m: Measured): void => {
  console.log(
    `      peer ${(PEER_LABELS as Record<string, string>)[peer] ?? peer}: ${pct(m.ratio)}  [${Math.round(m.candidateOpsPerSec).toLocaleString('en')}/s; ${m.detail}]`,
  )
}

const main = async (): Promise<void> => {
  const ratios: Partial<Record<RatioKey, number>> = {}
  const peers: Record<string, Partial<Record<RatioKey, number>>> = {}
  const references: Partial<Record<ReferenceKey, number>> = {}
  const results: { -readonly [K in keyof BenchResults]: BenchResults[K] } = {
    date: new Date().toISOString(),
    machine: machine(),
  }
  if (part('decode')) {
    for (const row of decodeBenchmarks(quick ? { corpusSize: 200, rounds: 5 } : {})) {
      print(row.project)
      ratios[row.key] = row.project.ratio
      for (const [peer, m] of Object.entries(row.peers)) {
        printPeer(peer, m)
        peers[peer] = { ...peers[peer], [row.key]: m.ratio }
      }
    }
  }
  if (part('e2e')) {
    const e2e = await endToEndBenchmark(quick ? 5_000 : 100_000, quick ? 2 : 6)
    print(e2e.project)
    printPeer('rxjsZodMap', e2e.peer)
    for (const [key, m] of Object.entries(e2e.references) as Array<[ReferenceKey, Measured]>) {
      console.log(
        `      reference ${REFERENCE_LABELS[key]}: ${pct(m.ratio)}  [${Math.round(m.candidateOpsPerSec).toLocaleString('en')}/s; ${m.detail}]`,
      )
      references[key] = m.ratio
    }
    ratios.streamEndToEnd = e2e.project.ratio
    peers.rxjsZodMap = { streamEndToEnd: e2e.peer.ratio }
  }
  if (part('sparse')) {
    const sparse = await sparseFleetBenchmark(
      quick ? { rooms: 100, eventsPerRound: 1_000, rounds: 2 } : {},
    )
    ratios.sparseFleet = sparse.ratios.stream
    results.sparseFleet = sparse
    for (const [kind, micros] of Object.entries(sparse.cpuMicrosPerEvent) as Array<
      [SparseKind, number]
    >)
      console.log(
        `      sparse fleet of ${sparse.rooms.toLocaleString('en')} rooms, ${SPARSE_LABELS[kind]}: ${micros.toFixed(1)} µs CPU per event` +
          (kind === 'raw'
            ? ''
            : `, ${pct(sparse.ratios[kind])} of the raw fleet's events per CPU second`),
      )
  }
  if (part('bundles')) {
    results.bundles = await bundleSizes(benchDir)
    for (const [key, size] of Object.entries(results.bundles) as Array<[BundleKey, BundleSize]>)
      console.log(
        `      bundle, ${BUNDLE_LABELS[key]}: ${kib(size.bytes)} minified, ${kib(size.gzipBytes)} gzipped`,
      )
  }
  if (Object.keys(ratios).length > 0) Object.assign(results, { ratios, peers })
  if (Object.keys(references).length > 0) Object.assign(results, { references })
  if (part('memory')) {
    const memory = memoryPerActiveRequest(quick ? 10_000 : 100_000)
    console.log(
      `${memory.pass ? 'PASS' : 'MISS'}  heap per tracked active request: ${memory.trackerBytes.toFixed(0)} B (target <= ${memory.target} B)  ` +
        `[${memory.requests.toLocaleString('en')} requests; ${memory.retainedBytes.toFixed(0)} B with the strings only the tracker keeps]`,
    )
    const churn = trackerChurn(quick ? 200_000 : 10_000_000)
    console.log(
      `${churn.pass ? 'PASS' : 'MISS'}  heap while ${churn.events.toLocaleString('en')} events churn through the tracker: last tenth ${churn.lastTenthMiB.toFixed(1)} MiB vs first ${churn.firstTenthMiB.toFixed(1)} MiB, ${(churn.growth * 100).toFixed(1)} % (target within ${churn.target * 100} %)  ` +
        `[${Math.round(churn.eventsPerSec).toLocaleString('en')} events/s, ${churn.evicted.toLocaleString('en')} evicted]`,
    )
    results.memory = {
      bytesPerActiveRequest: memory.trackerBytes,
      bytesPerActiveRequestWithStrings: memory.retainedBytes,
      churnGrowth: churn.growth,
    }
  }
  if (part('hostile')) {
    const frames = hostileFramesBenchmark(quick ? 3 : 9)
    for (const f of frames)
      console.log(
        `      hostile frame, ${f.shape} (${(f.frameBytes / 1024).toFixed(0)} KiB): decode ${f.timeRatio.toFixed(2)}x the time of JSON.parse, ${f.heapRatio.toFixed(2)}x its size allocated beyond it`,
      )
    const collidingIds = collidingIdsBenchmark(quick ? 5_000 : 20_000, quick ? 3 : 5)
    results.hostile = { frames, collidingIds }
    for (const c of checkTargets({ date: '', machine: results.machine, hostile: results.hostile }))
      console.log(`${c.pass ? 'PASS' : 'MISS'}  ${c.what}: ${c.measured} (target ${c.target})`)
  }
  if (part('fleet')) {
    const sizes: Array<FleetResult | FleetFailure> = []
    for (const rooms of roomSizes) {
      const windowMs = quick ? 1_000 : 5_000
      try {
        const f = await fleetBenchmark({
          rooms,
          idleWindowMs: windowMs,
          ...(quick ? { keepAliveWindowMs: windowMs } : {}),
          busyWindowMs: windowMs,
          roomsPerHost: Math.min(1_000, Math.ceil(rooms / 2)),
        })
        sizes.push(f)
        const a = f.reconnect.firstAttemptMs
        console.log(
          `      fleet of ${rooms.toLocaleString('en')} rooms (${f.hosts} host processes): all ready in ${f.readyMs.toFixed(0)} ms; ` +
            `${(f.heapBytesPerRoom / 1024).toFixed(1)} KiB heap, ${(f.rssBytesPerRoom / 1024).toFixed(1)} KiB RSS per room; idle CPU ${pct(f.idleCpuShare)} over a keep-alive period (${pct(f.settleCpuShare ?? Number.NaN)} in the ${windowMs / 1000} s after all were ready); ` +
            `${f.busy.transferringRooms} rooms transferring: ${Math.round(f.busy.eventsPerSec).toLocaleString('en')} events/s at ${pct(f.busy.cpuShare)} CPU (${f.busy.cpuMicrosPerEvent.toFixed(0)} µs/event); ` +
            `mass drop: first attempts after ${a.min.toFixed(0)}/${a.p50.toFixed(0)}/${a.p90.toFixed(0)}/${a.max.toFixed(0)} ms (min/p50/p90/max), ` +
            `at most ${f.reconnect.peakAttemptsPer100Ms} in 100 ms, all ready again in ${f.reconnect.readyAgainMs.toFixed(0)} ms; ` +
            `${f.timedOutAttempts ?? 0} attempts timed out`,
        )
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        sizes.push({ rooms, error: message })
        console.log(`      fleet of ${rooms.toLocaleString('en')} rooms: not measured: ${message}`)
      }
    }
    results.fleetSizes = sizes
    const measured = sizes.filter((f): f is FleetResult => !isFleetFailure(f))
    const fleet =
      measured.find((f) => f.rooms === FLEET_TARGET_ROOMS) ?? measured[measured.length - 1]
    if (fleet !== undefined) results.fleet = fleet
  }

  const checks = checkTargets(results)
  for (const c of checks)
    if (c.what.includes('fleet') || c.what.includes('ahead'))
      console.log(`${c.pass ? 'PASS' : 'MISS'}  ${c.what}: ${c.measured} (target ${c.target})`)
  const missed = checks.filter((c) => !c.pass).length
  console.log(`${checks.length - missed} targets met, ${missed} missed`)

  const out =
    value('--out') ??
    (quick || only !== undefined ? undefined : join(benchDir, 'results', 'latest.json'))
  if (out !== undefined) {
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
    console.log(`results written to ${out}`)
  }
  if (!quick && only === undefined) writeReadmes(benchDir, results)
  if (flag('--check') && missed > 0) process.exitCode = 1
}

void main()
