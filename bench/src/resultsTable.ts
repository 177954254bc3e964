import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PEER_LABELS } from './peers'
import { BUNDLE_LABELS, type BundleKey, type BundleSize } from './bundles'
import { SPARSE_KINDS, SPARSE_LABELS } from './sparseKinds'
import { REFERENCE_LABELS, type ReferenceKey } from './referenceClients'
import {
  type BenchResults,
  RATIO_KEYS,
  type RatioKey,
  checkTargets,
  isFleetFailure,
} from './results'

export const TABLE_START =
  '<!-- results: generated from results/latest.json by `pnpm --dir bench readme`; do not edit -->'
export const TABLE_END = '<!-- results: end -->'

const ROW_NAMES: Readonly<Record<RatioKey, string>> = {
  decodeFileRequestStatusChanged: 'decode `fileRequestStatusChanged` (share of `JSON.parse`)',
  decodeMixed: 'decode mixed events (share of `JSON.parse`)',
  streamEndToEnd: 'end to end (share of a raw `ws` client)',
  sparseFleet: 'sparse fleet, events per CPU second (share of a raw `ws` fleet)',
}

const pct = (x: number | undefined): string => (x === undefined ? '' : `${(x * 100).toFixed(1)} %`)
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`
const int = (x: number): string => Math.round(x).toLocaleString('en')

/** The run and the verdict on every target it measured, as a Markdown table. */
const targetLines = (r: BenchResults): string[] => [
  `Run of ${r.date.slice(0, 10)} on ${r.machine.cpu} (${r.machine.cores} cores, shared with other work), Node ${r.machine.node}.`,
  '',
  '| what | target | measured | |',
  '|---|---|---|---|',
  ...checkTargets(r).map(
    (c) => `| ${c.what} | ${c.target} | ${c.measured} | ${c.pass ? 'met' : '**missed**'} |`,
  ),
]

export const SUMMARY_START =
  '<!-- performance: generated from bench/results/latest.json by `pnpm --dir bench readme`; do not edit -->'
export const SUMMARY_END = '<!-- performance: end -->'

/** The root README's performance section: the targets' verdicts from `latest.json`. */
export const renderSummary = (r: BenchResults): string =>
  [SUMMARY_START, ...targetLines(r), SUMMARY_END].join('\n')

/** The README's results section, made from `latest.json` alone (a test checks the README against it). */
export const renderResults = (r: BenchResults): string => {
  const lines: string[] = targetLines(r)
  const peers = Object.keys(r.peers ?? {})
  if (peers.length > 0) {
    const label = (p: string): string => (PEER_LABELS as Record<string, string>)[p] ?? p
    lines.push(
      '',
      `| row | this project | ${peers.map(label).join(' | ')} |`,
      `|---|---|${peers.map(() => '---|').join('')}`,
    )
    for (const key of RATIO_KEYS) {
      lines.push(
        `| ${ROW_NAMES[key]} | ${pct(r.ratios?.[key])} | ${peers.map((p) => pct(r.peers?.[p]?.[key])).join(' | ')} |`,
      )
    }
  }
  const references = Object.entries(r.references ?? {}) as Array<[ReferenceKey, number]>
  if (references.length > 0) {
    lines.push(
      '',
      '| end to end, the same rounds (share of a raw `ws` client that only parses) | |',
      '|---|---|',
      ...references.map(
        ([key, ratio]) => `| reference: ${REFERENCE_LABELS[key]} | ${pct(ratio)} |`,
      ),
      `| this project: \`connectRoom\` (snapshots, redaction, rxjs outputs) | ${pct(r.ratios?.streamEndToEnd)} |`,
    )
  }
  const sparse = r.sparseFleet
  if (sparse !== undefined) {
    lines.push(
      '',
      `| sparse fleet: ${int(sparse.rooms)} rooms, ${int(sparse.eventsPerSec)} events/s, one per socket read (median of ${sparse.rounds} rounds) | CPU per event | events per CPU second, share of the raw fleet's |`,
      '|---|---|---|',
      // Results from before a kind was measured do not list it.
      ...SPARSE_KINDS.filter((kind) => kind in sparse.cpuMicrosPerEvent).map(
        (kind) =>
          `| ${SPARSE_LABELS[kind]} | ${sparse.cpuMicrosPerEvent[kind].toFixed(1)} µs | ${kind === 'raw' ? '' : pct(sparse.ratios[kind])} |`,
      ),
    )
  }
  if (r.bundles !== undefined) {
    lines.push(
      '',
      '| browser bundle (esbuild, minified, ESM) | minified | gzipped |',
      '|---|---|---|',
      ...(Object.entries(r.bundles) as Array<[BundleKey, BundleSize]>).map(
        ([key, size]) => `| ${BUNDLE_LABELS[key]} | ${kib(size.bytes)} | ${kib(size.gzipBytes)} |`,
      ),
    )
  }
  if (r.hostile !== undefined) {
    lines.push(
      '',
      '| hostile frame (under the 1 MiB cap) | size | decode time / `JSON.parse` | allocated beyond `JSON.parse` / size |',
      '|---|---|---|---|',
      ...r.hostile.frames.map(
        (f) =>
          `| ${f.shape} | ${kib(f.frameBytes)} | ${f.timeRatio.toFixed(2)}x | ${f.heapRatio.toFixed(2)}x |`,
      ),
    )
  }
  if (r.fleetSizes !== undefined && r.fleetSizes.length > 0) {
    lines.push(
      '',
      '| rooms | all ready | heap per room | RSS per room | idle CPU over a keep-alive period (the 5 s after all were ready) | 1 % transferring: events/s, CPU, CPU per event | mass drop: first reconnect attempts (min / p50 / p90 / max) | peak attempts per 100 ms | all ready again | attempts timed out |',
      '|---|---|---|---|---|---|---|---|---|---|',
    )
    for (const f of r.fleetSizes) {
      if (isFleetFailure(f)) {
        lines.push(
          `| ${int(f.rooms)} | not measured: ${f.error.replaceAll('|', '/')} | | | | | | | | |`,
        )
        continue
      }
      const a = f.reconnect.firstAttemptMs
      lines.push(
        `| ${int(f.rooms)} | ${(f.readyMs / 1000).toFixed(2)} s | ${kib(f.heapBytesPerRoom)} | ${kib(f.rssBytesPerRoom)} | ${pct(f.idleCpuShare)}${f.settleCpuShare === undefined ? '' : ` (${pct(f.settleCpuShare)})`} | ` +
          `${int(f.busy.eventsPerSec)} (${f.busy.transferringRooms} rooms), ${pct(f.busy.cpuShare)}, ${f.busy.cpuMicrosPerEvent.toFixed(0)} µs | ` +
          `${int(a.min)} / ${int(a.p50)} / ${int(a.p90)} / ${int(a.max)} ms | ${int(f.reconnect.peakAttemptsPer100Ms)} | ${(f.reconnect.readyAgainMs / 1000).toFixed(2)} s | ${f.timedOutAttempts === undefined ? '' : int(f.timedOutAttempts)} |`,
      )
    }
  }
  return [TABLE_START, ...lines, TABLE_END].join('\n')
}

/** `readme` with the section between `startMark` and `endMark` replaced (or appended when it has none). */
const withSection = (
  readme: string,
  section: string,
  startMark: string,
  endMark: string,
): string => {
  const start = readme.indexOf(startMark)
  const end = readme.indexOf(endMark)
  if (start < 0 || end < start) return `${readme.trimEnd()}\n\n${section}\n`
  return readme.slice(0, start) + section + readme.slice(end + endMark.length)
}

/** `readme` with its results section replaced (or appended when it has none). */
export const withResults = (readme: string, r: BenchResults): string =>
  withSection(readme, renderResults(r), TABLE_START, TABLE_END)

/** The root README with its performance section replaced (or appended when it has none). */
export const withSummary = (readme: string, r: BenchResults): string =>
  withSection(readme, renderSummary(r), SUMMARY_START, SUMMARY_END)

/** Rewrites the bench README's results and the root README's performance section from `r`. */
export const writeReadmes = (benchDir: string, r: BenchResults): void => {
  const rewrite = (path: string, update: (text: string) => string): void =>
    writeFileSync(path, update(readFileSync(path, 'utf8')))
  rewrite(join(benchDir, 'README.md'), (text) => withResults(text, r))
  rewrite(join(benchDir, '..', 'README.md'), (text) => withSummary(text, r))
}
