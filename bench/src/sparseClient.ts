import { createInterface } from 'node:readline'
import { decodeRoomMessage } from '@org/file-events-codec'
import { connectRoom } from '@org/file-events-stream/node'
import { WebSocket } from 'ws'
import { type SparseKind, SPARSE_KINDS } from './sparseKinds'

/**
 * One kind of client of the sparse fleet benchmark, in a process of its own: `rooms` connections
 * to the sparse host. Prints `{"readyMs":T}` once all are ready, then answers lines on stdin:
 * `{"op":"idle","ms":M}` (its CPU over M idle milliseconds), `{"op":"start"}` and `{"op":"stop"}`
 * (its CPU and the frames it received in between), each with one JSON line.
 */
const [kindArg, url, roomsArg] = process.argv.slice(2)
const kind = kindArg as SparseKind
if (!SPARSE_KINDS.includes(kind)) throw new Error(`unknown client kind ${String(kindArg)}`)
const rooms = Number(roomsArg)
let received = 0
/** What the `streamRead` client reads of each state. */
let read = 0

/** Opens one room; resolves when it is ready to receive events. */
const open = (): Promise<void> =>
  new Promise((resolve, reject) => {
    if (kind === 'raw' || kind === 'codec') {
      const socket = new WebSocket(`${url}/${kind}`)
      socket.on('open', () => resolve())
      socket.on('error', reject)
      socket.on(
        'message',
        kind === 'raw'
          ? (data) => {
              if ((JSON.parse(String(data)) as { method?: unknown }).method === 'event') received++
            }
          : (data) => {
              const decoded = decodeRoomMessage(String(data))
              if (decoded._tag === 'Right' && decoded.right.method === 'event') received++
            },
      )
      return
    }
    const connection = connectRoom({ wsUrl: `${url}/${kind}`, httpUrl: 'http://127.0.0.1:9' })
    connection.events$.subscribe(() => received++)
    if (kind === 'stream') connection.fileRequests$.subscribe(() => undefined)
    if (kind === 'streamRead')
      connection.fileRequests$.subscribe((state) => {
        read += state.activeCount
      })
    connection.state$.subscribe((state) => {
      if (state.status === 'ready') resolve()
      if (state.status === 'closed') reject(state.error)
    })
  })

const cpuMicros = (): number => {
  const usage = process.cpuUsage()
  return usage.user + usage.system
}

const main = async (): Promise<void> => {
  const started = performance.now()
  // In steps of 100, so that the benchmark measures a fleet, not how it copes with a herd.
  for (let opened = 0; opened < rooms; opened += 100)
    await Promise.all(Array.from({ length: Math.min(100, rooms - opened) }, open))
  process.stdout.write(`${JSON.stringify({ readyMs: performance.now() - started })}\n`)
  let from = { cpu: 0, received: 0, at: 0 }
  createInterface({ input: process.stdin }).on('line', (line) => {
    const command = JSON.parse(line) as { op: 'idle' | 'start' | 'stop'; ms?: number }
    if (command.op === 'idle') {
      const cpu = cpuMicros()
      const at = performance.now()
      setTimeout(() => {
        const reply = { cpuMicros: cpuMicros() - cpu, elapsedMs: performance.now() - at }
        process.stdout.write(`${JSON.stringify(reply)}\n`)
      }, command.ms)
    } else if (command.op === 'start') {
      from = { cpu: cpuMicros(), received, at: performance.now() }
      process.stdout.write('{}\n')
    } else {
      const reply = {
        cpuMicros: cpuMicros() - from.cpu,
        received: received - from.received,
        read,
        elapsedMs: performance.now() - from.at,
      }
      process.stdout.write(`${JSON.stringify(reply)}\n`)
    }
  })
  process.stdin.on('end', () => process.exit(0))
}

void main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
