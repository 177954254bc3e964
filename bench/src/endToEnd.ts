import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { connectRoom } from '@org/file-events-stream/node'
import { WebSocket } from 'ws'
import { distScript } from './distScript'
import { type Comparison, type Measured, median } from './harness'
import { rxjsZodMapClient } from './peers/rxjsZodMapClient'
import { type ReferenceKey, codecClient } from './referenceClients'

interface Blaster {
  readonly url: string
  readonly stop: () => Promise<void>
}

/** The frame sender, in a process of its own (exported for the tests). */
export const startBlaster = async (count: number): Promise<Blaster> => {
  const script = distScript('blaster.js')
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

export interface EndToEndResult {
  readonly project: Comparison
  /** The client a user would write: rxjs `webSocket` + zod + a `Map`, against the same raw client. */
  readonly peer: Measured
  /** Raw clients that validate with the codec (and keep a `Map`): what the stream's extra work costs. */
  readonly references: Readonly<Record<ReferenceKey, Measured>>
}

/**
 * The stream package end to end over loopback WebSocket against a raw `ws` client that only
 * parses, with the peer client and the reference clients beside it: the same server process sends
 * each the same `count` frames; in every round every client runs, in an order that rotates.
 */
export const endToEndBenchmark = async (count = 100_000, rounds = 6): Promise<EndToEndResult> => {
  const blaster = await startBlaster(count)
  const clients = [
    () => rawClient(blaster.url),
    () => streamClient(blaster.url),
    async () => (await rxjsZodMapClient(blaster.url)).elapsedMs,
    async () => (await codecClient(blaster.url, false)).elapsedMs,
    async () => (await codecClient(blaster.url, true)).elapsedMs,
  ]
  try {
    for (const client of clients) await client()
    const times: number[][] = clients.map(() => [])
    for (let round = 0; round < rounds; round++) {
      for (let j = 0; j < clients.length; j++) {
        const index = (round + j) % clients.length
        ;(times[index] as number[]).push(await (clients[index] as () => Promise<number>)())
      }
    }
    const [raw, stream, peer, wsCodec, wsCodecMap] = times as [
      number[],
      number[],
      number[],
      number[],
      number[],
    ]
    const measured = (candidate: number[]): Measured => {
      const ratios = raw.map((r, i) => r / (candidate[i] as number))
      return {
        ratio: median(ratios),
        baselineOpsPerSec: (count * 1000) / median(raw),
        candidateOpsPerSec: (count * 1000) / median(candidate),
        detail: `${rounds} rounds of ${count.toLocaleString('en')} frames, ratios ${Math.min(...ratios).toFixed(3)}..${Math.max(...ratios).toFixed(3)}`,
      }
    }
    const project = measured(stream)
    return {
      project: {
        name: 'stream end to end over loopback WebSocket vs raw ws client that parses',
        target: 0.7,
        pass: project.ratio >= 0.7,
        ...project,
      },
      peer: measured(peer),
      references: { wsCodec: measured(wsCodec), wsCodecMap: measured(wsCodecMap) },
    }
  } finally {
    await blaster.stop()
  }
}
