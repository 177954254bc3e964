import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { connectRoom } from '@org/file-events-stream/node'
import { WebSocket } from 'ws'
import { type Comparison, median } from './harness'

interface Blaster {
  readonly url: string
  readonly stop: () => Promise<void>
}

const startBlaster = async (count: number): Promise<Blaster> => {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'blaster.js')
  const child = spawn(process.execPath, [script, String(count)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout })
  const [line] = (await once(lines, 'line')) as [string]
  const { port } = JSON.parse(line) as { port: number }
  return {
    url: `ws://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}

/** Milliseconds from the first event frame to the `benchDone` marker, for a raw `ws` client that only parses. */
const rawClient = (url: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    let start = 0
    socket.on('open', () => socket.send(JSON.stringify({ method: 'auth', type: 'unsecured' })))
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { method?: string; event?: string }
      if (start === 0 && message.method === 'event') start = performance.now()
      if (message.event === 'benchDone') {
        const elapsed = performance.now() - start
        socket.close()
        resolve(elapsed)
      }
    })
    socket.on('error', reject)
  })

/** The same for `connectRoom` from the stream package, with the tracker and event streams subscribed. */
const streamClient = (url: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const connection = connectRoom({
      wsUrl: url,
      httpUrl: 'http://127.0.0.1:9',
      requestTimeoutMs: 60_000,
    })
    let start = 0
    const subscriptions = [
      connection.events$.subscribe(() => undefined),
      connection.fileRequests$.subscribe(() => undefined),
      connection.messages$.subscribe((decoded) => {
        if (decoded._tag !== 'Message') return
        const message = decoded.message as { method?: string; event?: string }
        if (start === 0 && message.method === 'event') start = performance.now()
        if (message.event === 'benchDone') {
          const elapsed = performance.now() - start
          for (const s of subscriptions) s.unsubscribe()
          connection.close()
          resolve(elapsed)
        }
      }),
      connection.state$.subscribe((s) => {
        if (s.status === 'closed' && s.error !== undefined) reject(s.error)
      }),
    ]
  })

/**
 * The stream package end to end over loopback WebSocket against a raw `ws` client that only
 * parses: the same server process sends both the same `count` frames; rounds alternate.
 */
export const endToEndBenchmark = async (count = 100_000, rounds = 6): Promise<Comparison> => {
  const blaster = await startBlaster(count)
  try {
    await rawClient(blaster.url)
    await streamClient(blaster.url)
    const raw: number[] = []
    const stream: number[] = []
    const ratios: number[] = []
    for (let i = 0; i < rounds; i++) {
      const first = i % 2 === 0
      const r1 = first ? await rawClient(blaster.url) : 0
      const s = await streamClient(blaster.url)
      const r = first ? r1 : await rawClient(blaster.url)
      raw.push(r)
      stream.push(s)
      ratios.push(r / s)
    }
    const ratio = median(ratios)
    return {
      name: 'stream end to end over loopback WebSocket vs raw ws client that parses',
      ratio,
      target: 0.8,
      pass: ratio >= 0.8,
      baselineOpsPerSec: (count * 1000) / median(raw),
      candidateOpsPerSec: (count * 1000) / median(stream),
      detail: `${rounds} rounds of ${count.toLocaleString('en')} frames, ratios ${Math.min(...ratios).toFixed(3)}..${Math.max(...ratios).toFixed(3)}`,
    }
  } finally {
    await blaster.stop()
  }
}
