import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface, type Interface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { CONNECT_DEFAULTS } from '@org/file-events-stream'
import { type NodeRoomConnection, connectRoom } from '@org/file-events-stream/node'
import { distScript } from './distScript'
import { SPREAD_BASE_PORT, spreadAddressesOf, spreadPortsOf } from './spreadLayout'
import { fullGc } from './harness'

export interface FleetOptions {
  readonly rooms: number
  /** Simulators per host process (each room holds 4 descriptors there: 3 listeners and its client). @default 1000 */
  readonly roomsPerHost?: number
  /** The window right after all rooms are ready (what connecting leaves to do). @default 5000 */
  readonly idleWindowMs?: number
  /**
   * The idle window, long enough to hold every room's keep-alive probe once; it starts as long
   * again after the window right after connecting.
   * @default CONNECT_DEFAULTS.keepAliveMs + 2000
   */
  readonly keepAliveWindowMs?: number
  /** @default 5000 */
  readonly busyWindowMs?: number
  /** Share of the rooms that transfer during the busy window (at least one room). @default 0.01 */
  readonly transferringShare?: number
  /** Longest wait for all rooms to be ready, at the start and after the mass drop. @default 60000 */
  readonly readyTimeoutMs?: number
  /**
   * Give each host process a loopback address of its own (127.0.0.2, 127.0.0.3, ...) and fixed
   * ports from `SPREAD_BASE_PORT` (`spreadLayout.ts`), below the ephemeral range, instead of free ports on
   * 127.0.0.1. On one address every room takes three listening ports from the ephemeral range,
   * which holds about 28,000 on Linux: the fleet stops near 7,000 rooms. Spread, the hosts reuse
   * the same 3,000 port numbers on their own addresses, and the ephemeral range is left to the
   * watching process's connections. Linux routes all of 127.0.0.0/8 to the loopback interface;
   * macOS does not, so this is off by default below 5,000 rooms.
   *
   * @default rooms > 5000
   */
  readonly spreadAddresses?: boolean
  /** The first fixed port of a spread fleet. @default SPREAD_BASE_PORT */
  readonly spreadBasePort?: number
}

/** Quantiles of a set of delays, in milliseconds. */
export interface Spread {
  readonly min: number
  readonly p10: number
  readonly p50: number
  readonly p90: number
  readonly max: number
}

export interface FleetResult {
  readonly rooms: number
  readonly hosts: number
  /** Whether each host had a loopback address of its own ({@link FleetOptions.spreadAddresses}). */
  readonly spreadAddresses?: boolean
  /** From the first `connectRoom` to the last room ready. */
  readonly readyMs: number
  /** After the idle window and a full GC, minus the same before connecting, per room. */
  readonly heapBytesPerRoom: number
  readonly rssBytesPerRoom: number
  /**
   * CPU time of the watching process while the fleet is idle, as a share of one core: over a window
   * that holds every room's keep-alive probe once, after the first round of probes.
   */
  readonly idleCpuShare: number
  /** The same over the window right after all rooms are ready (what connecting leaves to do). */
  readonly settleCpuShare?: number
  readonly busy: {
    readonly transferringRooms: number
    readonly eventsPerSec: number
    readonly cpuShare: number
    /** CPU time of the watching process per event received, in microseconds. */
    readonly cpuMicrosPerEvent: number
  }
  /** Every room's sockets closed at once by the rooms. */
  readonly reconnect: {
    /** From the drop to each room's first reconnect attempt. */
    readonly firstAttemptMs: Spread
    /** The most first attempts that fell in one 100 ms slot (all of them would, without jitter). */
    readonly peakAttemptsPer100Ms: number
    /** From the drop to the last room ready again. */
    readonly readyAgainMs: number
  }
  /**
   * Attempts that failed on a timeout (`connectTimeoutMs`, or a handshake request's), at the start
   * and after the drop: under a herd, work wasted and retried into the same herd.
   */
  readonly timedOutAttempts?: number
}

interface Host {
  readonly child: ChildProcess
  readonly lines: Interface
  readonly webPorts: number[]
  /** Where its rooms listen. */
  readonly address: string
  readonly send: (command: object) => Promise<void>
}

const startHost = async (
  rooms: number,
  address: string | undefined,
  basePort: number,
): Promise<Host> => {
  const args = address === undefined ? [] : [address, String(basePort)]
  const child = spawn(process.execPath, [distScript('fleetHost.js'), String(rooms), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> })
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(
      `a fleet host exited (code ${String(code)}) before it started its ${rooms} rooms`,
    )
  })
  const [line] = (await Promise.race([once(lines, 'line'), exited])) as [string]
  exited.catch(() => undefined)
  const { webPorts } = JSON.parse(line) as { webPorts: number[] }
  if (
    address !== undefined &&
    webPorts.some((port, k) => port !== spreadPortsOf(basePort, k).webPort)
  ) {
    child.kill('SIGTERM')
    throw new Error(`a fleet host on ${address} did not listen on the ports it was given`)
  }
  return {
    child,
    lines,
    webPorts,
    address: address ?? '127.0.0.1',
    send: async (command) => {
      const done = once(lines, 'line')
      child.stdin?.write(`${JSON.stringify(command)}\n`)
      await done
    },
  }
}

const stopHost = async (host: Host): Promise<void> => {
  if (host.child.exitCode !== null) return
  const exit = once(host.child, 'exit')
  host.child.kill('SIGTERM')
  await exit
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export const quantile = (sorted: ReadonlyArray<number>, q: number): number =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number)

export const spreadOf = (values: ReadonlyArray<number>): Spread => {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    min: quantile(sorted, 0),
    p10: quantile(sorted, 0.1),
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    max: quantile(sorted, 1),
  }
}

/** The largest number of values in one `width`-wide slot, slots starting at 0. */
export const peakPerSlot = (values: ReadonlyArray<number>, width: number): number => {
  const slots = new Map<number, number>()
  for (const v of values) {
    const slot = Math.floor(v / width)
    slots.set(slot, (slots.get(slot) ?? 0) + 1)
  }
  return Math.max(0, ...slots.values())
}

/** CPU time of this process over `ms`, as a share of one core. */
const cpuShareOver = async (ms: number): Promise<number> => {
  const start = process.cpuUsage()
  const t0 = performance.now()
  await sleep(ms)
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000 / (performance.now() - t0)
}

/** Rooms connected and closed before the memory is first read (see `warmUp`). */
export const WARM_UP_ROOMS = 20

/**
 * Connects to the first rooms, then closes them and waits `settleMs`. The first connections of a
 * process also pay for what every later one reuses (compiled code, modules loaded on first use,
 * rxjs' and `ws`'s shared state); done before the memory is first read, this leaves out of the
 * per-room figure what no further room costs. The wait lets the closed sockets and the discovery
 * requests' pooled HTTP sockets go, as the idle window does before the memory is read again.
 */
export const warmUp = async (
  endpoints: ReadonlyArray<{ readonly host: string; readonly webPort: number }>,
  timeoutMs: number,
  settleMs: number,
): Promise<void> => {
  const rooms = endpoints.map(({ host, webPort }) => connectRoom({ host, webPort }))
  const timers: Array<ReturnType<typeof setTimeout>> = []
  try {
    await Promise.all(
      rooms.map(
        (room) =>
          new Promise<void>((resolve, reject) => {
            room.events$.subscribe({ error: () => undefined })
            room.fileRequests$.subscribe({ error: () => undefined })
            const timer = setTimeout(
              () => reject(new Error(`warm-up: a room was not ready after ${timeoutMs} ms`)),
              timeoutMs,
            )
            timers.push(timer)
            const fail = (why: string): void => {
              clearTimeout(timer)
              reject(new Error(`warm-up: a room closed (${why})`))
            }
            room.state$.subscribe({
              next: (s) => {
                if (s.status === 'ready') {
                  clearTimeout(timer)
                  resolve()
                } else if (s.status === 'closed') fail(s.reason)
              },
              error: (error: unknown) => fail(String(error)),
            })
          }),
      ),
    )
  } finally {
    for (const timer of timers) clearTimeout(timer)
    for (const room of rooms) room.close()
  }
  await sleep(settleMs)
}

/** An attempt that ended on `connectTimeoutMs`, or on a handshake request that timed out. */
const timedOut = (error: unknown): boolean => {
  const e = error as { code?: unknown; reason?: unknown; cause?: { code?: unknown } } | undefined
  return (
    e?.code === 'ERR_CONNECTION' &&
    (e.reason === 'timeout' ||
      (e.reason === 'handshake' && e.cause?.code === 'ERR_REQUEST_TIMEOUT'))
  )
}

const memory = (): NodeJS.MemoryUsage => {
  fullGc()
  return process.memoryUsage()
}

/**
 * N simulated rooms in child processes, watched by this process with one `connectRoom` each
 * (`state$`, `events$` and `fileRequests$` subscribed, as a dashboard would): time until all are
 * ready, memory per room, CPU at idle, CPU and events/s with a share of the rooms transferring, and
 * a mass drop: how the first reconnect attempts spread, and when all are ready again.
 */
export const fleetBenchmark = async (options: FleetOptions): Promise<FleetResult> => {
  const n = options.rooms
  const perHost = options.roomsPerHost ?? 1000
  const timeoutMs = options.readyTimeoutMs ?? 60_000
  const hosts: Host[] = []
  const rooms: NodeRoomConnection[] = []
  try {
    const spread = options.spreadAddresses ?? n > 5_000
    const basePort = options.spreadBasePort ?? SPREAD_BASE_PORT
    const addresses = spread ? spreadAddressesOf(n, perHost, basePort) : []
    for (let left = n; left > 0; left -= perHost)
      hosts.push(await startHost(Math.min(perHost, left), addresses[hosts.length], basePort))
    const endpoints = hosts.flatMap((h) =>
      h.webPorts.map((webPort) => ({ host: h.address, webPort })),
    )

    let phase: 'connect' | 'reconnect' = 'connect'
    const readyAt = new Float64Array(n)
    const attemptAt = new Float64Array(n)
    const readyAgainAt = new Float64Array(n)
    let ready = 0
    let readyAgain = 0
    let events = 0
    let timedOutAttempts = 0
    const failures: string[] = []
    let allReady: () => void = () => undefined

    await warmUp(
      endpoints.slice(0, Math.min(WARM_UP_ROOMS, n)),
      timeoutMs,
      options.idleWindowMs ?? 5_000,
    )
    const before = memory()
    const t0 = performance.now()
    endpoints.forEach(({ host, webPort }, i) => {
      const room = connectRoom({ host, webPort })
      rooms.push(room)
      room.events$.subscribe(() => void events++)
      room.fileRequests$.subscribe(() => undefined)
      room.state$.subscribe({
        next: (s) => {
          if (s.status === 'ready') {
            if (phase === 'connect' && readyAt[i] === 0) {
              readyAt[i] = performance.now()
              if (++ready === n) allReady()
            } else if (phase === 'reconnect' && attemptAt[i] !== 0 && readyAgainAt[i] === 0) {
              readyAgainAt[i] = performance.now()
              if (++readyAgain === n) allReady()
            }
          } else if (
            s.status === 'connecting' &&
            phase === 'reconnect' &&
            s.attempt >= 1 &&
            attemptAt[i] === 0
          ) {
            attemptAt[i] = performance.now()
          } else if (s.status === 'reconnecting' && timedOut(s.lastError)) {
            timedOutAttempts++
          } else if (s.status === 'closed' && s.reason !== 'closed-by-caller')
            failures.push(`room ${i}: ${s.reason}`)
        },
        error: () => undefined,
      })
    })
    const waitAll = async (what: string, count: () => number): Promise<void> => {
      if (count() === n) return
      const done = new Promise<void>((resolve) => (allReady = resolve))
      const timer = new AbortController()
      const timeout = sleep(timeoutMs, 'timeout' as const, { signal: timer.signal }).catch(
        () => undefined,
      )
      const outcome = await Promise.race([done, timeout])
      timer.abort()
      if (outcome === 'timeout') {
        throw new Error(
          `${what}: ${count()} of ${n} rooms ready after ${timeoutMs} ms${failures.length > 0 ? ` (${failures.length} closed, first: ${failures[0]})` : ''}`,
        )
      }
    }
    await waitAll('connect', () => ready)
    const readyMs = Math.max(...readyAt) - t0

    // Memory is read after the idle windows: by then the discovery requests' pooled HTTP sockets
    // have timed out, and what is left is what an idle room costs. Right after connecting, the
    // process still collects what connecting left and closes those sockets, and V8 shrinks the heap
    // once the process goes quiet (about when the first keep-alive probes go out): that once-only
    // work is measured apart (`settleCpuShare`, the first window). Idle is measured after it, over a
    // whole keep-alive period (every room probes its socket once in it).
    const settleCpuShare = await cpuShareOver(options.idleWindowMs ?? 5_000)
    const keepAliveWindowMs = options.keepAliveWindowMs ?? CONNECT_DEFAULTS.keepAliveMs + 2_000
    await sleep(keepAliveWindowMs)
    const idleCpuShare = await cpuShareOver(keepAliveWindowMs)
    const after = memory()

    const transferring = Math.max(1, Math.round(n * (options.transferringShare ?? 0.01)))
    const step = Math.floor(n / transferring)
    const chosen = Array.from({ length: transferring }, (_, k) => k * step)
    await Promise.all(
      hosts.map((host, h) =>
        host.send({
          cmd: 'transfer',
          rooms: chosen.filter((i) => Math.floor(i / perHost) === h).map((i) => i % perHost),
          everyMs: 50,
        }),
      ),
    )
    const busyMs = options.busyWindowMs ?? 5_000
    await sleep(Math.min(500, busyMs / 2)) // the transfers reach their steady rate
    const eventsBefore = events
    const busyStart = performance.now()
    const busyCpuShare = await cpuShareOver(busyMs)
    const busyEvents = events - eventsBefore
    const busySeconds = (performance.now() - busyStart) / 1000
    await Promise.all(hosts.map((host) => host.send({ cmd: 'quiet' })))
    await sleep(Math.min(1_000, busyMs)) // the last transfers end

    phase = 'reconnect'
    const dropAt = performance.now()
    await Promise.all(hosts.map((host) => host.send({ cmd: 'drop' })))
    await waitAll('reconnect', () => readyAgain)
    const attempts = Array.from(attemptAt, (t) => t - dropAt)

    return {
      rooms: n,
      hosts: hosts.length,
      spreadAddresses: spread,
      readyMs,
      heapBytesPerRoom: (after.heapUsed - before.heapUsed) / n,
      rssBytesPerRoom: (after.rss - before.rss) / n,
      idleCpuShare,
      settleCpuShare,
      busy: {
        transferringRooms: transferring,
        eventsPerSec: busyEvents / busySeconds,
        cpuShare: busyCpuShare,
        cpuMicrosPerEvent:
          busyEvents === 0 ? Number.NaN : (busyCpuShare * busySeconds * 1e6) / busyEvents,
      },
      reconnect: {
        firstAttemptMs: spreadOf(attempts),
        peakAttemptsPer100Ms: peakPerSlot(attempts, 100),
        readyAgainMs: Math.max(...readyAgainAt) - dropAt,
      },
      timedOutAttempts,
    }
  } finally {
    for (const room of rooms) room.close()
    await Promise.all(hosts.map(stopHost))
  }
}
