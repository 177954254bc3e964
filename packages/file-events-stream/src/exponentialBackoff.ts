/**
 * Options of {@link exponentialBackoff}.
 *
 * @category reconnect
 * @since 0.1.0
 */
export interface ExponentialBackoffOptions {
  /**
   * Delay before the first retry, in milliseconds.
   *
   * @default 500
   */
  readonly initialDelayMs?: number
  /**
   * Upper bound of any delay, in milliseconds.
   *
   * @default 30000
   */
  readonly maxDelayMs?: number
  /**
   * Growth per attempt.
   *
   * @default 2
   */
  readonly factor?: number
  /**
   * Fraction (0..1) of each delay that is randomized downwards, so that many clients dropped at
   * once do not come back at once: the delay is `base * (1 - jitter * random())`.
   *
   * @default 0.5
   */
  readonly jitter?: number
}

/**
 * Defaults of {@link ExponentialBackoffOptions}.
 *
 * @category reconnect
 * @since 0.1.0
 */
export const BACKOFF_DEFAULTS: Readonly<Required<ExponentialBackoffOptions>> = Object.freeze({
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.5,
})

/**
 * A delay function: attempt number (1 for the first retry) to milliseconds. `random` returns a
 * number in [0, 1); it defaults to `Math.random` and is a parameter so that the function stays pure.
 *
 * @category reconnect
 * @since 0.1.0
 */
export type BackoffDelay = (attempt: number, random?: () => number) => number

/**
 * Exponential backoff with jitter: `min(maxDelayMs, initialDelayMs * factor^(attempt-1))`, reduced
 * by up to `jitter` of itself at random. Never negative, never above `maxDelayMs`.
 *
 * @example
 * import { exponentialBackoff } from '@org/file-events-stream'
 * const delay = exponentialBackoff({ initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 })
 * ;[1, 2, 3, 4, 5].map((n) => delay(n)) // [100, 200, 400, 800, 1000]
 *
 * @category reconnect
 * @since 0.1.0
 */
export const exponentialBackoff = (options?: ExponentialBackoffOptions): BackoffDelay => {
  const { initialDelayMs, maxDelayMs, factor, jitter } = { ...BACKOFF_DEFAULTS, ...options }
  const j = Math.min(1, Math.max(0, jitter))
  return (attempt, random = Math.random) => {
    const n = Math.max(1, Math.floor(attempt))
    const base = Math.min(maxDelayMs, initialDelayMs * Math.pow(factor, n - 1))
    const r = Math.min(1, Math.max(0, random()))
    return Math.max(0, Math.round(base * (1 - j * r)))
  }
}
