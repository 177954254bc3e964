import { createInterface } from 'node:readline'
import { type RoomSimulator, startRoomSimulator } from '@org/room-simulator'
import { spreadPortsOf } from './spreadLayout'

/**
 * The rooms of the fleet benchmark, in a process of their own: `node fleetHost.js COUNT` starts
 * COUNT simulators on 127.0.0.1, port 0, and prints `{"webPorts":[...]}`. `node fleetHost.js COUNT
 * ADDRESS BASE` binds them to ADDRESS instead, room k on ports BASE + 3k to BASE + 3k + 2 (see
 * `fleet.ts` for why). Then it reads one command per line on stdin:
 * - `{"cmd":"transfer","rooms":[i,...],"everyMs":M}`: each of those rooms starts a file send every
 *   M ms (1,000 bytes over 400 ms, progress every 10 %), until `{"cmd":"quiet"}`;
 * - `{"cmd":"drop"}`: every room closes its client sockets at once, abruptly.
 * Prints `{"done":CMD}` after each command. SIGTERM closes every simulator (and its temporary folder).
 */
const count = Number(process.argv[2] ?? 1)
const address = process.argv[3] ?? '127.0.0.1'
const base = process.argv[4] === undefined ? undefined : Number(process.argv[4])
/** Room k's three ports: fixed ones from `base`, or 0 (free ones) without it. */
const portsOf = (k: number) => (base === undefined ? {} : spreadPortsOf(base, k))
const sims: RoomSimulator[] = []
let transfers: ReturnType<typeof setInterval> | undefined

const reply = (value: object): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}

const handle = (line: string): void => {
  const command = JSON.parse(line) as { cmd: string; rooms?: number[]; everyMs?: number }
  if (command.cmd === 'transfer') {
    const rooms = (command.rooms ?? []).flatMap((i) => (sims[i] === undefined ? [] : [sims[i]]))
    transfers = setInterval(() => {
      for (const sim of rooms) {
        sim
          .sendFile({
            fileName: 'fleet.bin',
            to: 'bob@simulator.local',
            size: 1_000,
            durationMs: 400,
            progressStep: 10,
          })
          .catch(() => undefined)
      }
    }, command.everyMs ?? 50)
  } else if (command.cmd === 'quiet') {
    clearInterval(transfers)
  } else if (command.cmd === 'drop') {
    for (const sim of sims) sim.disconnectClients()
  }
  reply({ done: command.cmd })
}

const main = async (): Promise<void> => {
  // In batches: thousands of listening sockets opened at once gain nothing and spike memory.
  for (let i = 0; i < count; i += 100) {
    const batch = Math.min(100, count - i)
    sims.push(
      ...(await Promise.all(
        Array.from({ length: batch }, (_, k) =>
          startRoomSimulator({ seed: i + k + 1, host: address, ...portsOf(i + k) }),
        ),
      )),
    )
  }
  reply({ webPorts: sims.map((s) => Number(new URL(s.urls.web).port)) })
  createInterface({ input: process.stdin }).on('line', handle)
}

process.on('SIGTERM', () => {
  clearInterval(transfers)
  void Promise.allSettled(sims.map((s) => s.close())).then(() => process.exit(0))
})
main().catch((error: unknown) => {
  process.stderr.write(`fleetHost: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
