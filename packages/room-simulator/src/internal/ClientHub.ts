import type { IncomingMessage } from 'node:http'
import type { WebSocket, WebSocketServer } from 'ws'
import type { FileEvent } from '@org/file-events-codec'
import { FAULT_DEFAULTS, type Fault } from '../Fault'
import { ClientConnection } from './ClientConnection'
import type { Prng } from './prng'

export interface ClientHubDeps {
  readonly prng: Prng
  readonly log: (line: string) => void
  readonly maxBufferedBytes: number
  /** A client that has not authenticated this long after connecting is closed (1008). */
  readonly authTimeoutMs: number
  /** A text frame from a client; a binary one is answered here. */
  readonly onFrame: (client: ClientConnection, frame: string) => void
}

const failureFrame = (error: string): string =>
  JSON.stringify({ method: '', requestId: '', result: false, error })

/** The connected WebSocket clients, the faults applied to what they are sent, and event delivery. */
export class ClientHub {
  private readonly clients = new Set<ClientConnection>()
  private active: Fault[] = []
  private stallUntil = 0
  private nextClientId = 1

  constructor(private readonly deps: ClientHubDeps) {}

  get size(): number {
    return this.clients.size
  }

  get faults(): ReadonlyArray<Fault> {
    return this.active
  }

  attach(wss: WebSocketServer): void {
    const { log } = this.deps
    wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
      const client = new ClientConnection(
        ws,
        this.nextClientId++,
        {
          faults: () => this.active,
          prng: this.deps.prng,
          stallUntil: () => this.stallUntil,
          log,
          maxBufferedBytes: this.deps.maxBufferedBytes,
        },
        request.socket.remoteAddress ?? '',
      )
      this.clients.add(client)
      client.requireAuthWithin(this.deps.authTimeoutMs)
      log(`client ${client.id}: connected (${this.clients.size} connected)`)
      ws.on('message', (data, isBinary) => {
        // A client being closed (a PIN guesser, a slow reader) gets nothing more checked.
        if (!client.open) return
        if (isBinary) {
          client.sendReply(failureFrame('binary frames are not supported: send JSON text frames'))
          return
        }
        const text = Array.isArray(data)
          ? Buffer.concat(data).toString('utf8')
          : Buffer.from(data as ArrayBuffer).toString('utf8')
        try {
          this.deps.onFrame(client, text)
        } catch (error) {
          // A handler's bug must not end the process that embeds the simulator.
          log(
            `client ${client.id}: a request failed: ${error instanceof Error ? error.message : String(error)}`,
          )
          client.sendReply(failureFrame('internal error'))
        }
      })
      ws.on('close', (code) => {
        this.clients.delete(client)
        client.dispose()
        log(`client ${client.id}: disconnected with code ${code} (${this.clients.size} connected)`)
      })
      ws.on('error', (error) => log(`client ${client.id}: socket error: ${error.message}`))
    })
  }

  /** Sends every event to every authenticated client. */
  emit(events: ReadonlyArray<FileEvent>): void {
    for (const event of events) {
      const frame = JSON.stringify(event)
      for (const client of this.clients) if (client.authenticated) client.sendEvent(frame)
    }
  }

  /** Makes `fault` the active one of its type; the argument has been checked. */
  inject(fault: Fault): void {
    this.active = [...this.active.filter((f) => f.type !== fault.type), fault]
    if (fault.type === 'closeAfterMessages') for (const c of this.clients) c.resetCloseCount()
    if (fault.type === 'stallReplies') this.stallUntil = Date.now() + fault.durationMs
    if (fault.type === 'oversizedFrame') {
      for (const c of this.clients)
        if (c.authenticated) c.sendOversized(fault.bytes ?? FAULT_DEFAULTS.oversizedFrameBytes)
    }
    this.deps.log(`fault injected: ${fault.type}`)
  }

  clear(): void {
    this.active = []
    this.stallUntil = 0
    for (const c of this.clients) c.flushHeld()
  }

  /** Closes every client socket: abruptly without a code, cleanly with one (checked by the caller). */
  disconnect(code?: number): void {
    for (const c of [...this.clients]) {
      if (code !== undefined) c.flushHeld()
      c.close(code)
    }
  }

  closeAll(): void {
    for (const c of this.clients) c.close()
    this.clients.clear()
  }
}
