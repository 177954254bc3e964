/** Addresses beyond this many are pruned of expired windows before a new one is added. */
const PRUNE_AT = 10_000
const WINDOW_MS = 1000

/**
 * How many `auth` attempts the simulator checks per remote address: at most `perSecond` in each
 * one-second window of that address, whatever connection they come on. A successful attempt gives
 * its place back ({@link AuthThrottle.giveBack}), so only wrong guesses use the budget.
 */
export class AuthThrottle {
  private readonly windows = new Map<string, { start: number; count: number }>()

  constructor(
    private readonly perSecond: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Takes a place for an attempt from `address`: false when its window is full (do not check it). */
  tryAttempt(address: string): boolean {
    const now = this.clock()
    let window = this.windows.get(address)
    if (window === undefined || now - window.start >= WINDOW_MS) {
      if (window === undefined && this.windows.size >= PRUNE_AT) this.prune(now)
      window = { start: now, count: 0 }
      this.windows.set(address, window)
    }
    if (window.count >= this.perSecond) return false
    window.count++
    return true
  }

  /** Gives back the place of an attempt that succeeded. */
  giveBack(address: string): void {
    const window = this.windows.get(address)
    if (window !== undefined && window.count > 0) window.count--
  }

  /** Addresses with a window (for tests of the pruning). */
  get size(): number {
    return this.windows.size
  }

  private prune(now: number): void {
    for (const [address, window] of this.windows)
      if (now - window.start >= WINDOW_MS) this.windows.delete(address)
  }
}
