import { decodeBenchmarks } from './decode'
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
  const missed = results.filter((c) => !c.pass)
  console.log(`${results.length - missed.length} targets met, ${missed.length} missed`)
  if (args.has('--check') && missed.length > 0) process.exitCode = 1
}

void main()
