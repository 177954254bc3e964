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

export const compareThroughput = (options: CompareOptions): Comparison => {
  const rounds = options.rounds ?? 30
  for (let i = 0; i < (options.warmup ?? 5); i++) {
    time(options.baseline)
    time(options.candidate)
  }
  const ratios: number[] = []
  const baseTimes: number[] = []
  const candTimes: number[] = []
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so neither always runs on a warmer cache.
    const first = i % 2 === 0
    const b1 = first ? time(options.baseline) : 0
    const c = time(options.candidate)
    const b = first ? b1 : time(options.baseline)
    baseTimes.push(b)
    candTimes.push(c)
    ratios.push(b / c)
  }
  const ratio = median(ratios)
  const perSec = (ns: number): number => (options.items * 1e9) / ns
  return {
    name: options.name,
    ratio,
    target: options.target,
    pass: ratio >= options.target,
    baselineOpsPerSec: perSec(median(baseTimes)),
    candidateOpsPerSec: perSec(median(candTimes)),
    detail: `${rounds} rounds, ratios ${Math.min(...ratios).toFixed(3)}..${Math.max(...ratios).toFixed(3)}`,
  }
}
