/**
 * Runs timed steps on a virtual clock, paced against the real one by `timeScale`.
 *
 * Steps are ordered by (virtual due time, insertion order), never by when a real timer happens to
 * fire, so two concurrent transfers interleave the same way on every run. A step scheduled from
 * inside another step is timed from that step's due time; one scheduled from outside (a client
 * command) from the current real time mapped back to virtual time. `timeScale` 0 runs steps on the
 * next turns of the event loop, a few per turn, still in virtual order.
 *
 * A step may return a promise (a file write): no other step runs until it settles, and virtual time
 * stays at that step's due time meanwhile, so steps run in the same order as if it had been
 * synchronous.
 */
export interface Scheduler {
  /** Runs `task` `delayMs` virtual milliseconds from now. */
  schedule(delayMs: number, task: Task): void
  /** Steps not yet run. */
  readonly pending: number
  /** Resolves once no step is pending (at once when none is). */
  whenIdle(): Promise<void>
  /** Drops every pending step; later `schedule` calls are ignored. Waiters resolve at once, or when a step's pending promise settles. */
  stop(): void
}

/** A step; a returned promise holds every later step until it settles. */
export type Task = () => unknown

interface Entry {
  readonly due: number
  readonly seq: number
  readonly task: Task
}

const BATCH_AT_TIME_SCALE_0 = 16

export interface SchedulerOptions {
  readonly timeScale: number
  readonly onError?: (error: unknown) => void
  readonly now?: () => number
}

export const createScheduler = (options: SchedulerOptions): Scheduler => {
  const timeScale = options.timeScale
  const now = options.now ?? (() => performance.now())
  const origin = now()
  const queue: Entry[] = []
  let seq = 0
  let lastDue = 0
  let running: Entry | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let immediate: ReturnType<typeof setImmediate> | undefined
  let armedFor = Infinity
  let stopped = false
  /** A step's promise is pending: `running` stays set and nothing else runs. */
  let blocked = false
  let idleWaiters: Array<() => void> = []

  const realToVirtual = (): number => (timeScale > 0 ? (now() - origin) / timeScale : lastDue)
  const virtualNow = (): number =>
    running !== undefined ? running.due : Math.max(lastDue, realToVirtual())

  const insert = (entry: Entry): void => {
    let lo = 0
    let hi = queue.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const m = queue[mid] as Entry
      if (m.due < entry.due || (m.due === entry.due && m.seq < entry.seq)) lo = mid + 1
      else hi = mid
    }
    queue.splice(lo, 0, entry)
  }

  const run = (entry: Entry): void => {
    running = entry
    lastDue = Math.max(lastDue, entry.due)
    let result: unknown
    try {
      result = entry.task()
    } catch (error) {
      options.onError?.(error)
    }
    if (!(result instanceof Promise)) {
      running = undefined
      return
    }
    blocked = true
    result
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        blocked = false
        running = undefined
        arm()
        settle()
      })
  }

  const settle = (): void => {
    if (queue.length > 0 || running !== undefined) return
    const waiters = idleWaiters
    idleWaiters = []
    for (const w of waiters) w()
  }

  const fire = (): void => {
    timer = undefined
    immediate = undefined
    armedFor = Infinity
    if (stopped) return
    if (timeScale === 0) {
      // A small batch per turn: fast enough for benchmarks, short enough to let socket I/O in between.
      for (let n = 0; n < BATCH_AT_TIME_SCALE_0 && !stopped && !blocked && queue.length > 0; n++)
        run(queue.shift() as Entry)
    } else {
      const horizon = realToVirtual()
      while (!stopped && !blocked && queue.length > 0 && (queue[0] as Entry).due <= horizon)
        run(queue.shift() as Entry)
    }
    arm()
    settle()
  }

  const arm = (): void => {
    if (stopped || blocked || queue.length === 0) return
    const head = queue[0] as Entry
    if (timeScale === 0) {
      if (immediate === undefined) immediate = setImmediate(fire)
      return
    }
    if (timer !== undefined && armedFor <= head.due) return
    if (timer !== undefined) clearTimeout(timer)
    armedFor = head.due
    const delay = Math.max(0, head.due * timeScale - (now() - origin))
    // A timer can fire a little early; `fire` then finds nothing due and re-arms.
    timer = setTimeout(fire, Math.ceil(delay))
  }

  return {
    schedule(delayMs, task) {
      if (stopped) return
      insert({ due: virtualNow() + Math.max(0, delayMs), seq: seq++, task })
      if (running === undefined) arm()
    },
    get pending() {
      return queue.length
    },
    whenIdle() {
      if (queue.length === 0 && running === undefined) return Promise.resolve()
      return new Promise<void>((resolve) => idleWaiters.push(resolve))
    },
    stop() {
      stopped = true
      queue.length = 0
      if (timer !== undefined) clearTimeout(timer)
      if (immediate !== undefined) clearImmediate(immediate)
      timer = undefined
      immediate = undefined
      settle()
    },
  }
}
