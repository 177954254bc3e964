/**
 * Options of {@link HandshakeLimiter}.
 *
 * @category connection
 * @since 0.1.0
 */
export interface HandshakeLimiterOptions {
  /**
   * Handshakes (discovery, socket open, `auth`, `setUsedApiVersion` and the resync) in flight at
   * once; the attempts past it wait their turn, in order, before any of their timeouts starts.
   * `Infinity` for no limit.
   *
   * @default 256
   */
  readonly maxInFlight?: number
}

/**
 * Defaults of {@link HandshakeLimiterOptions}.
 *
 * @category connection
 * @since 0.1.0
 */
export const HANDSHAKE_DEFAULTS = Object.freeze({ maxInFlight: 256 })

let shared: HandshakeLimiter | undefined

/**
 * A limit on connection handshakes in flight at once, for connections that start (or drop)
 * together. Every connection of a process shares {@link HandshakeLimiter.shared} unless given one
 * of its own (`ConnectRoomOptions.handshakeLimiter`). An attempt waits for a slot before its
 * `connectTimeoutMs` starts and holds it until it is ready or over, so a fleet that connects at
 * once cannot push every handshake past its timeout: without a limit, 10,000 rooms started
 * together on one machine each took longer than 10 s, were aborted and retried into the same herd,
 * and none became ready.
 *
 * @example
 * import { HandshakeLimiter, connectRoom } from '@org/file-events-stream'
 * // Rooms behind a slow link: fewer handshakes at once, each given more time.
 * const handshakeLimiter = new HandshakeLimiter({ maxInFlight: 32 })
 * const room = connectRoom({ host: '192.168.1.20', handshakeLimiter, connectTimeoutMs: 20_000 })
 * room.state$.subscribe((s) => console.log(s.status))
 *
 * @category connection
 * @since 0.1.0
 */
export class HandshakeLimiter {
  /** The most handshakes in flight at once. */
  readonly maxInFlight: number
  private running = 0
  private readonly queue: Array<{ start: (() => void) | undefined }> = []
  private queueHead = 0
  private granting = false

  constructor(options: HandshakeLimiterOptions = {}) {
    const max = options.maxInFlight ?? HANDSHAKE_DEFAULTS.maxInFlight
    if (!(max === Number.POSITIVE_INFINITY || (Number.isInteger(max) && max >= 1)))
      throw new RangeError(`maxInFlight must be an integer of at least 1, or Infinity, not ${max}`)
    this.maxInFlight = max
  }

  /** The limiter every connection uses unless given another; made on first use. */
  static shared(): HandshakeLimiter {
    shared ??= new HandshakeLimiter()
    return shared
  }

  /** Handshakes in flight now. */
  get inFlight(): number {
    return this.running
  }

  /** Attempts waiting for a slot now. */
  get waiting(): number {
    let count = 0
    for (let i = this.queueHead; i < this.queue.length; i++)
      if (this.queue[i]?.start !== undefined) count++
    return count
  }

  /**
   * Runs `start` once a slot is free (at once when one is), and returns the function that gives
   * the slot back, or withdraws the attempt if it is still waiting. Calling it again does nothing.
   *
   * @internal
   */
  acquire(start: () => void): () => void {
    const entry: { start: (() => void) | undefined } = { start }
    let state: 'waiting' | 'running' | 'done' = 'waiting'
    entry.start = () => {
      state = 'running'
      start()
    }
    this.queue.push(entry)
    this.grant()
    return () => {
      if (state === 'done') return
      if (state === 'waiting') entry.start = undefined
      else {
        this.running--
        this.grant()
      }
      state = 'done'
    }
  }

  /** Starts waiting attempts while slots are free; a release during a start only frees its slot. */
  private grant(): void {
    if (this.granting) return
    this.granting = true
    try {
      while (this.running < this.maxInFlight && this.queueHead < this.queue.length) {
        const entry = this.queue[this.queueHead++] as { start: (() => void) | undefined }
        const start = entry.start
        if (start === undefined) continue
        entry.start = undefined
        this.running++
        start()
      }
      if (this.queueHead === this.queue.length) {
        this.queue.length = 0
        this.queueHead = 0
      } else if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead)
        this.queueHead = 0
      }
    } finally {
      this.granting = false
    }
  }
}
