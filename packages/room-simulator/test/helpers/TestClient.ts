import { WebSocket } from 'ws'
import { type DecodeFailure, type RoomMessage, decodeRoomMessage } from '@org/file-events-codec'

type Json = Record<string, unknown>

/**
 * A promise-based raw client for tests: every frame it receives is kept as text and decoded with the
 * codec (failures kept apart), so tests can both wait for messages and assert on the whole stream.
 */
export class TestClient {
  readonly frames: string[] = []
  readonly messages: RoomMessage[] = []
  readonly failures: DecodeFailure[] = []
  readonly closed: Promise<{ code: number; reason: string }>
  private waiters: Array<() => void> = []
  private nextId = 1

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8')
      this.frames.push(text)
      const decoded = decodeRoomMessage(text)
      if (decoded._tag === 'Right') this.messages.push(decoded.right)
      else this.failures.push(decoded.left)
      this.notify()
    })
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() })
        this.notify()
      })
    })
  }

  static connect(url: string, options: { maxPayload?: number } = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { maxPayload: options.maxPayload ?? 64 * 1024 * 1024 })
      const client = new TestClient(ws)
      ws.once('open', () => resolve(client))
      ws.once('error', reject)
    })
  }

  /** Connects and authenticates (secured with `pin`, unsecured without). */
  static async authed(url: string, pin?: string): Promise<TestClient> {
    const client = await TestClient.connect(url)
    const reply = await client.auth(pin)
    if (reply.result !== true) throw new Error(`auth failed: ${String(reply.error)}`)
    return client
  }

  private notify(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w()
  }

  get events(): Array<RoomMessage & { event: string }> {
    return this.messages.filter((m): m is RoomMessage & { event: string } => m.method === 'event')
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }

  sendRaw(text: string): void {
    this.ws.send(text)
  }

  send(value: Json): void {
    this.ws.send(JSON.stringify(value))
  }

  /** Resolves with the first message (from index `from`) that matches; rejects on close or timeout. */
  waitFor<T extends RoomMessage = RoomMessage>(
    predicate: (m: RoomMessage) => boolean,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<T & Json> {
    const from = options.from ?? 0
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('timed out waiting for a message')),
        options.timeoutMs ?? 10_000,
      )
      const check = (): void => {
        for (let i = from; i < this.messages.length; i++) {
          const m = this.messages[i] as RoomMessage
          if (predicate(m)) {
            clearTimeout(timer)
            resolve(m as T & Json)
            return
          }
        }
        if (this.ws.readyState === WebSocket.CLOSED) {
          clearTimeout(timer)
          reject(new Error('socket closed while waiting for a message'))
          return
        }
        this.waiters.push(check)
      }
      check()
    })
  }

  /** Waits until `count` messages have arrived in total. */
  waitForCount(count: number, timeoutMs = 10_000): Promise<void> {
    return this.waitFor(() => this.messages.length >= count, { timeoutMs }).then(() => undefined)
  }

  waitForEvent(event: string, match: (m: Json) => boolean = () => true, from = 0): Promise<Json> {
    return this.waitFor((m) => m.method === 'event' && m.event === event && match(m as Json), {
      from,
    })
  }

  /** Sends a command with a fresh `requestId` (or the given one) and resolves with its reply. */
  request(method: string, params: Json = {}, requestId?: string): Promise<Json> {
    const id = requestId ?? `r${this.nextId++}`
    const from = this.messages.length
    this.send({ method, requestId: id, ...params })
    return this.waitFor((m) => m.method === method && !('event' in m) && m.requestId === id, {
      from,
    })
  }

  auth(pin?: string): Promise<Json> {
    return this.request(
      'auth',
      pin === undefined ? { type: 'unsecured' } : { type: 'secured', credentials: pin },
    )
  }

  close(code = 1000): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code)
    else if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate()
    return this.closed
  }
}
