/**
 * `reconnect()` called many times in a row, against the room simulator on real sockets: one new
 * attempt, not one discovery started and aborted per call.
 */
import { join } from 'node:path'
import { type RoomSimulator, startRoomSimulator } from '@org/room-simulator'
import { WebSocket } from 'ws'
import { type ConnectionLogEntry, type WebSocketConstructor, connectRoom } from '../src/index'
import { first, ready, runChild } from './helpers'

const Ctor = WebSocket as unknown as WebSocketConstructor
const PIN = '2468'

let sim: RoomSimulator | undefined
const closers: Array<() => unknown> = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
  await sim?.close()
  sim = undefined
})

const webPort = async (): Promise<number> => {
  sim = await startRoomSimulator({ pin: PIN, timeScale: 0 })
  return Number(new URL(sim.urls.web).port)
}

describe('reconnect() called many times in a row', () => {
  it('starts one discovery for 10,000 calls, logs one reconnect, and the connection is ready again', async () => {
    const port = await webPort()
    let discoveries = 0
    const counting: typeof fetch = (input, init) => {
      if (String(input).endsWith('/config.json')) discoveries++
      return fetch(input, init)
    }
    const logs: ConnectionLogEntry[] = []
    const room = connectRoom({
      host: '127.0.0.1',
      webPort: port,
      pin: PIN,
      WebSocketCtor: Ctor,
      fetch: counting,
      logger: (entry) => logs.push(entry),
    })
    closers.push(() => room.close())
    await ready(room)
    expect(discoveries).toBe(1)
    for (let i = 0; i < 10_000; i++) room.reconnect()
    await first(
      room.state$,
      (s) => s.status === 'ready' && s.connects === 2,
      'the connection to be ready again',
    )
    expect(discoveries).toBe(2)
    expect(logs.filter((e) => e.event === 'reconnect')).toHaveLength(1)
    // Calls spread over turns of the event loop each get a new attempt, as one call does.
    room.reconnect()
    await Promise.resolve()
    room.reconnect()
    await first(room.state$, (s) => s.status === 'ready' && s.connects === 3, 'ready a third time')
    expect(discoveries).toBe(4)
  })

  it('leaves nothing behind: heap growth after a GC stays under 4 MB (a child process, the built package)', async () => {
    const port = await webPort()
    const entry = join(__dirname, '..', 'dist', 'index.cjs')
    const script = `const { WebSocket } = require('ws')
const { connectRoom } = require(${JSON.stringify(entry)})
const room = connectRoom({ host: '127.0.0.1', webPort: ${port}, pin: ${JSON.stringify(PIN)}, WebSocketCtor: WebSocket })
const readyAt = (connects) => new Promise((resolve) => {
  const s = room.state$.subscribe({ next: (state) => { if (state.status === 'ready' && state.connects === connects) { resolve(); queueMicrotask(() => s.unsubscribe()) } }, error: () => undefined })
})
const settle = async () => { for (let i = 0; i < 3; i++) { global.gc(); await new Promise((r) => setTimeout(r, 50)) } }
const main = async () => {
  await readyAt(1)
  await settle()
  const before = process.memoryUsage().heapUsed
  const started = performance.now()
  for (let i = 0; i < 10000; i++) room.reconnect()
  const ms = performance.now() - started
  await readyAt(2)
  await settle()
  process.stdout.write(JSON.stringify({ ms, growth: process.memoryUsage().heapUsed - before }))
}
main().catch((e) => process.stdout.write(JSON.stringify({ error: String(e) }))).finally(() => room.close())`
    const result = await runChild<{ ms: number; growth: number }>(script)
    expect(result.error).toBeUndefined()
    process.stdout.write(
      `10,000 reconnect() calls: ${result.ms?.toFixed(1) ?? '?'} ms, heap growth after GC ${((result.growth ?? Infinity) / 1e6).toFixed(2)} MB\n`,
    )
    expect(result.growth ?? Infinity).toBeLessThan(4e6)
  }, 60_000)
})
