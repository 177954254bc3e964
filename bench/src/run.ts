import { decodeBenchmarks } from './decode'
import { endToEndBenchmark } from './endToEnd'
import { memoryPerActiveRequest, trackerChurn } from './tracker'
import type { Comparison } from './harness'

/**
 * `pnpm bench`: runs every benchmark and prints one line per target. `--quick` uses small inputs
 * (a smoke run); `--check` exits 1 when a target is missed. Ratios, not wall-clock times, are the
 * result: the machine is shared and noisy, the ratio of two things measured side by side is not.
 */
const args = new Set(process.argv.slice(2))
const quick = args.has('--quick')

const print = (c: Comparison): void => {
  const mark = c.pass ? 'PASS' : 'MISS'
  console.log(
    `${mark}  ${c.name}: ${(c.ratio * 100).toFixed(1)} % (target >= ${(c.target * 100).toFixed(0)} %)  ` +
      `[baseline ${Math.round(c.baselineOpsPerSec).toLocaleString('en')}/s, candidate ${Math.round(c.candidateOpsPerSec).toLocaleString('en')}/s; ${c.detail}]`,
  )
}

const main = async (): Promise<void> => {
  const results: Comparison[] = []
  for (const c of decodeBenchmarks(quick ? { corpusSize: 200, rounds: 5 } : {})) {
    print(c)
    results.push(c)
  }
  const e2e = await endToEndBenchmark(quick ? 5_000 : 100_000, quick ? 2 : 6)
  print(e2e)
  results.push(e2e)
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
  const passes = [...results.map((c) => c.pass), memory.pass, churn.pass]
  const missed = passes.filter((p) => !p).length
  console.log(`${passes.length - missed} targets met, ${missed} missed`)
  if (args.has('--check') && missed > 0) process.exitCode = 1
}

void main()
