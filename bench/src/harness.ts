import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/**
 * Throughput comparison in one run: the baseline and the candidate are timed in alternating
 * rounds over the same corpus, so machine noise hits both; the reported ratio is the median of the
 * per-round ratios (candidate throughput / baseline throughput).
 */
export interface Comparison {
  readonly name: string
  readonly ratio: number
  readonly target: number
  readonly pass: boolean
  readonly baselineOpsPerSec: number
  readonly candidateOpsPerSec: number
  readonly detail: string
}

export interface CompareOptions {
  readonly name: string
  readonly target: number
  /** Items processed by one call of each function (for ops/s). */
  readonly items: number
  readonly baseline: () => unknown
  readonly candidate: () => unknown
  readonly rounds?: number
  readonly warmup?: number
}

let sink: unknown
/** Keeps results alive so the optimiser cannot drop the work. */
export const consume = (value: unknown): void => {
  sink = value
}
export const lastConsumed = (): unknown => sink

const time = (f: () => unknown): number => {
  const start = process.hrtime.bigint()
  consume(f())
  return Number(process.hrtime.bigint() - start)
}

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** One candidate's throughput as a share of the baseline's, measured in the same rounds. */
export interface Measured {
  readonly ratio: number
  readonly baselineOpsPerSec: number
  readonly candidateOpsPerSec: number
  readonly detail: string
}

export interface MeasureManyOptions<K extends string> {
  /** Items processed by one call of each function (for ops/s). */
  readonly items: number
  readonly baseline: () => unknown
  readonly candidates: Readonly<Record<K, () => unknown>>
  readonly rounds?: number
  readonly warmup?: number
}

/**
 * The baseline and every candidate timed in each round, in an order that rotates from round to
 * round (so none always runs first, on a colder or warmer cache); each candidate's ratio is the
 * median over rounds of baseline time / its time in that round. With one candidate this is the
 * alternating comparison.
 */
export const measureMany = <K extends string>(
  options: MeasureManyOptions<K>,
): Record<K, Measured> => {
  const rounds = options.rounds ?? 30
  const keys = Object.keys(options.candidates) as K[]
  const runners: Array<() => unknown> = [
    options.baseline,
    ...keys.map((k) => options.candidates[k]),
  ]
  for (let i = 0; i < (options.warmup ?? 5); i++) for (const run of runners) time(run)
  const times = runners.map((): number[] => [])
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < runners.length; j++) {
      const index = (round + j) % runners.length
      ;(times[index] as number[]).push(time(runners[index] as () => unknown))
    }
  }
  const baseTimes = times[0] as number[]
  const perSec = (ns: number): number => (options.items * 1e9) / ns
  const result = {} as Record<K, Measured>
  keys.forEach((key, k) => {
    const candTimes = times[k + 1] as number[]
    const ratios = baseTimes.map((b, i) => b / (candTimes[i] as number))
    result[key] = {
      ratio: median(ratios),
      baselineOpsPerSec: perSec(median(baseTimes)),
      candidateOpsPerSec: perSec(median(candTimes)),
      detail: `${rounds} rounds, ratios ${Math.min(...ratios).toFixed(3)}..${Math.max(...ratios).toFixed(3)}`,
    }
  })
  return result
}

export const compareThroughput = (options: CompareOptions): Comparison => {
  const { candidate } = measureMany({
    items: options.items,
    baseline: options.baseline,
    candidates: { candidate: options.candidate },
    ...(options.rounds !== undefined ? { rounds: options.rounds } : {}),
    ...(options.warmup !== undefined ? { warmup: options.warmup } : {}),
  })
  return {
    name: options.name,
    target: options.target,
    pass: candidate.ratio >= options.target,
    ...candidate,
  }
}

let collector: (() => void) | undefined

/**
 * A full collection (twice, so that finalizers' garbage goes too). Uses the `gc` of
 * `node --expose-gc`, or turns the flag on at run time (jest runs without it).
 */
export const fullGc = (): void => {
  if (collector === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc
    if (exposed !== undefined) collector = exposed
    else {
      setFlagsFromString('--expose-gc')
      collector = runInNewContext('gc') as () => void
    }
  }
  collector()
  collector()
}
