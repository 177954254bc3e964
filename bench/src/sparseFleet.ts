import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { distScript } from './distScript'
import { median } from './harness'
import { SPARSE_KINDS, type SparseKind } from './sparseKinds'

export interface SparseFleetOptions {
  /** @default 1000 */
  readonly rooms?: number
  /** Events a second over all the rooms. @default 2000 */
  readonly eventsPerSec?: number
  /** Events per client and round. @default 8000 */
  readonly eventsPerRound?: number
  /** @default 5 */
  readonly rounds?: number
  /** How long each client's idle CPU is read, before the rounds. @default 3000 */
  readonly idleMs?: number
}

export interface SparseFleetResult {
  readonly rooms: number
  readonly eventsPerSec: number
  readonly eventsPerRound: number
  readonly rounds: number
  /** Median CPU time of each client's process per event, idle CPU subtracted, in microseconds. */
  readonly cpuMicrosPerEvent: Readonly<Record<SparseKind, number>>
  /** Each client's events per CPU second as a share of the raw client's: medians of the per-round ratios. */
  readonly ratios: Readonly<Record<Exclude<SparseKind, 'raw'>, number>>
  /** Each client's idle CPU, as a share of one core (subtracted from its windows). */
  readonly idleCpuShare: Readonly<Record<SparseKind, number>>
}

/** A child process spoken to in JSON lines: one reply line per request line. */
class LineChild {
  private readonly waiting: Array<(line: string) => void> = []
  readonly exited: Promise<unknown>

  constructor(readonly child: ChildProcess) {
    const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> })
    lines.on('line', (line) => this.waiting.shift()?.(line))
    this.exited = once(child, 'exit')
  }

  /** The next line the child prints, as JSON (after sending `request`, if given). */
  async next<T>(request?: object): Promise<T> {
    const line = new Promise<string>((resolve) => this.waiting.push(resolve))
    if (request !== undefined) this.child.stdin?.write(`${JSON.stringify(request)}\n`)
    const gone = this.exited.then(() => {
      throw new Error(`a sparse fleet process exited (${this.child.spawnargs.slice(1).join(' ')})`)
    })
    return JSON.parse(await Promise.race([line, gone])) as T
  }

  async stop(): Promise<void> {
    this.child.stdin?.end()
    this.child.kill('SIGTERM')
    await this.exited
  }
}

const start = (script: string, args: string[]): LineChild =>
  new LineChild(
    spawn(process.execPath, [distScript(script), ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  )

/**
 * A sparse fleet: `rooms` rooms in one host process, each sending now and then, `eventsPerSec` in
 * all, round-robin, each event in a write of its own. Each client kind ({@link SPARSE_KINDS})
 * watches the same number of rooms of its own from a process of its own; in each round every kind
 * gets `eventsPerRound` events in turn (the order rotates), and its CPU over that window, less
 * its idle CPU for as long, is divided by the events sent to it.
 */
export const sparseFleetBenchmark = async (
  options: SparseFleetOptions = {},
): Promise<SparseFleetResult> => {
  const rooms = options.rooms ?? 1_000
  const eventsPerSec = options.eventsPerSec ?? 2_000
  const eventsPerRound = options.eventsPerRound ?? 8_000
  const rounds = options.rounds ?? 5
  const host = start('sparseHost.js', [])
  const clients: LineChild[] = []
  try {
    const { port } = await host.next<{ port: number }>()
    const url = `ws://127.0.0.1:${port}`
    for (const kind of SPARSE_KINDS) {
      const client = start('sparseClient.js', [kind, url, String(rooms)])
      clients.push(client)
      await client.next<{ readyMs: number }>()
    }
    const idle = await Promise.all(
      clients.map((c) =>
        c.next<{ cpuMicros: number; elapsedMs: number }>({
          op: 'idle',
          ms: options.idleMs ?? 3_000,
        }),
      ),
    )
    const idleRate = idle.map((x) => x.cpuMicros / x.elapsedMs)
    const window = async (i: number, count: number): Promise<number> => {
      const client = clients[i] as LineChild
      await client.next({ op: 'start' })
      const { sent } = await host.next<{ sent: number }>({
        kind: SPARSE_KINDS[i],
        count,
        rate: eventsPerSec,
      })
      // The last frames are on their way: let them arrive.
      await sleep(100)
      const r = await client.next<{ cpuMicros: number; received: number; elapsedMs: number }>({
        op: 'stop',
      })
      if (r.received < sent * 0.9)
        throw new Error(`${SPARSE_KINDS[i]} received ${r.received} of ${sent} events`)
      return (r.cpuMicros - (idleRate[i] as number) * r.elapsedMs) / sent
    }
    // A short round first, so that every client's code is compiled before it is measured.
    for (let i = 0; i < clients.length; i++) await window(i, Math.min(eventsPerRound, 2_000))
    const perEvent: number[][] = SPARSE_KINDS.map(() => [])
    for (let round = 0; round < rounds; round++) {
      for (let j = 0; j < clients.length; j++) {
        const i = (round + j) % clients.length
        ;(perEvent[i] as number[]).push(await window(i, eventsPerRound))
      }
    }
    const raw = perEvent[0] as number[]
    const ratioOf = (i: number): number =>
      median(raw.map((r, k) => r / ((perEvent[i] as number[])[k] as number)))
    const byKind = <T>(f: (i: number) => T): Record<SparseKind, T> =>
      Object.fromEntries(SPARSE_KINDS.map((kind, i) => [kind, f(i)])) as Record<SparseKind, T>
    return {
      rooms,
      eventsPerSec,
      eventsPerRound,
      rounds,
      cpuMicrosPerEvent: byKind((i) => median(perEvent[i] as number[])),
      ratios: {
        codec: ratioOf(1),
        stream: ratioOf(2),
        streamBare: ratioOf(3),
        streamRead: ratioOf(4),
      },
      idleCpuShare: byKind((i) => (idleRate[i] as number) / 1000),
    }
  } finally {
    await Promise.all([host, ...clients].map((c) => c.stop()))
  }
}
