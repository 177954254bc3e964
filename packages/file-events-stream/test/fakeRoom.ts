import { VirtualTimeScheduler } from 'rxjs'
import type { WebSocketConstructor } from '../src/index'

type Frame = Record<string, unknown> & { method: string; requestId?: string }

/** What the fake room does with a frame: the reply's fields, or `undefined` for no reply. */
export type FakeAnswer = (frame: Frame, socket: FakeSocket) => Record<string, unknown> | undefined

/** A WebSocket double that lives in virtual time: every event it raises is scheduled on `scheduler`. */
export class FakeSocket {
  binaryType = ''
  onopen: ((e: unknown) => void) | null = null
  onclose: ((e: { code?: number; reason?: string }) => void) | null = null
  onerror: ((e: unknown) => void) | null = null
  onmessage: ((e: { data: unknown }) => void) | null = null
  readonly sent: Frame[] = []
  closed = false

  constructor(
    readonly url: string,
    private readonly room: FakeRoom,
  ) {}

  send(data: string): void {
    const frame = JSON.parse(data) as Frame
    this.sent.push(frame)
    const reply = this.room.answer(frame, this)
    if (reply !== undefined)
      this.later(0, () =>
        this.deliver({ method: frame.method, requestId: frame.requestId ?? '', ...reply }),
      )
  }

  close(): void {
    this.closed = true
  }

  deliver(message: unknown): void {
    if (!this.closed)
      this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) })
  }

  /** The room drops the socket. */
  drop(code = 1006, reason = ''): void {
    if (this.closed) return
    this.closed = true
    this.onclose?.({ code, reason })
  }

  later(ms: number, what: () => void): void {
    this.room.scheduler.schedule(what, ms)
  }
}

/**
 * A scripted room in virtual time: `Ctor` opens sockets that connect after `openAfterMs` (or never,
 * with `Infinity`, or fail), and answer `auth` and the lists; `answer` scripts the rest.
 */
export class FakeRoom {
  readonly scheduler = new VirtualTimeScheduler()
  readonly sockets: FakeSocket[] = []
  openAfterMs = 1
  refuse = false
  /** The reply to `auth`; a successful one by default. */
  auth: (frame: Frame) => Record<string, unknown> | undefined = () => ({
    result: true,
    token: 'session-secret',
    tokenForHttpServer: 'http-secret',
  })
  /** Called after the resync's last reply is sent: a flapping room drops the socket here. */
  afterResync: (socket: FakeSocket) => void = () => undefined
  other: FakeAnswer = (frame) =>
    frame.method === 'getFileTransferAvailability'
      ? { result: true, availability: 3 }
      : frame.method === 'getAppState'
        ? { result: true, appState: 3 }
        : { result: true }

  readonly Ctor: WebSocketConstructor = ((room: FakeRoom) =>
    class {
      constructor(url: string) {
        const socket = new FakeSocket(url, room)
        room.sockets.push(socket)
        if (room.refuse) {
          socket.later(1, () => {
            socket.onerror?.({ error: new Error('connect ECONNREFUSED') })
            socket.drop(1006)
          })
        } else if (Number.isFinite(room.openAfterMs))
          socket.later(room.openAfterMs, () => socket.onopen?.({}))
        return socket
      }
    })(this) as unknown as WebSocketConstructor

  answer(frame: Frame, socket: FakeSocket): Record<string, unknown> | undefined {
    switch (frame.method) {
      case 'auth':
        return this.auth(frame)
      case 'getIncomingFilesRequests':
        return { result: true, incomingFilesRequests: [] }
      case 'getOutgoingFilesRequests':
        return { result: true, outgoingFilesRequests: [] }
      case 'getFileTransferHistory':
        socket.later(0, () => socket.later(0, () => this.afterResync(socket)))
        return { result: true, filesRequests: [] }
      default:
        return this.other(frame, socket)
    }
  }

  /** Runs virtual time up to `ms` from now. */
  advance(ms: number): void {
    const scheduler = this.scheduler
    const until = scheduler.frame + ms
    scheduler.maxFrames = until
    scheduler.flush()
    // The clock stands where it was asked to, not at the last action it ran.
    scheduler.frame = until
  }
}
