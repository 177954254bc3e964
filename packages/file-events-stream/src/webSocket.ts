import { ConnectionError } from './errors'
import type { Redactor } from './Redactor'

/**
 * The part of the WebSocket interface the connection uses: the browser's `WebSocket` and the
 * `ws` package's class both have it.
 *
 * @category connection
 * @since 0.1.0
 */
export interface WebSocketLike {
  binaryType?: string
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onclose: ((event: { readonly code?: number; readonly reason?: string }) => void) | null
  onerror: ((event: unknown) => void) | null
  onmessage: ((event: { readonly data: unknown }) => void) | null
}

/**
 * A WebSocket class: `WebSocket` from the `ws` package on Node, `globalThis.WebSocket` in browsers.
 * The third argument (Node only) receives {@link ConnectRoomOptions.webSocketOptions}.
 *
 * @category connection
 * @since 0.1.0
 */
export type WebSocketConstructor = new (url: string, ...rest: never[]) => object

/** The Node `ws` listener API, used when the socket has it. */
interface MessageEmitter {
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown
  removeAllListeners(event: 'message'): unknown
}

export interface SocketClosed {
  readonly code: number | undefined
  readonly reason: string | undefined
  /** The last error event's error, if any. */
  readonly error: unknown
  /** `ws` refused a frame over `maxPayload`. */
  readonly tooLarge: boolean
}

/** What an open socket reports: each at most as described, and never after `close`. */
export interface SocketHandlers {
  opened(): void
  received(data: unknown): void
  /** Once. */
  closed(event: SocketClosed): void
}

/**
 * Why a socket ended, as the `ConnectionError` its session ends with: a frame over the cap, a
 * socket that never opened (`note` says why the port was a guess, when it was), or one that closed.
 * The room's close reason and the socket's error are redacted.
 *
 * @internal
 */
export const closedError = (
  event: SocketClosed,
  context: {
    readonly url: string
    readonly maxFrameBytes: number
    readonly redactor: Redactor
    readonly note: string | undefined
  },
): ConnectionError => {
  const { url, redactor } = context
  const reason = event.reason === undefined ? undefined : redactor.redact(event.reason, 200)
  const fields = { url, closeCode: event.code, closeReason: reason }
  const cause = event.error === undefined ? undefined : { cause: redactor.scrub(event.error) }
  if (event.tooLarge) {
    const detail = `the room sent a frame over twice maxFrameBytes (${2 * context.maxFrameBytes} bytes): the socket was closed (code 1009)`
    return new ConnectionError({ ...fields, reason: 'too-large', detail }, cause)
  }
  if (context.note !== undefined) {
    const why =
      typeof (event.error as { message?: unknown } | undefined)?.message === 'string'
        ? `: ${redactor.describe(event.error)}`
        : ''
    const detail = `the WebSocket could not be opened (${url})${why}${context.note}`
    return new ConnectionError({ ...fields, reason: 'open-failed', detail }, cause)
  }
  const detail = `the WebSocket closed (code ${event.code ?? 'unknown'}${reason !== undefined ? `, ${reason}` : ''})`
  return new ConnectionError({ ...fields, reason: 'closed', detail }, cause)
}

/** Close code of a frame too large to accept (RFC 6455). */
export const CLOSE_TOO_LARGE = 1009

/** How long a closing `ws` socket may wait for the peer's close frame. */
const CLOSE_GRACE_MS = 2_000

/** `ws`'s code for a frame over `maxPayload`. */
const WS_TOO_LARGE = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'

/**
 * One socket, opened at once, with its handlers. After `close()` no handler runs: the socket's
 * late events are for nobody.
 *
 * @internal
 */
export class Socket {
  private socket: WebSocketLike | undefined

  /** Throws what the constructor throws (a malformed URL, say). */
  constructor(
    Ctor: WebSocketConstructor,
    url: string,
    options: { readonly webSocketOptions: object | undefined; readonly maxFrameBytes: number },
    handlers: SocketHandlers,
  ) {
    const Open = Ctor as unknown as new (
      url: string,
      protocols?: string[],
      options?: object,
    ) => WebSocketLike
    // `ws` takes `maxPayload` and refuses a longer frame from its header, before buffering it, by
    // closing the socket (1009). Twice the decoder's cap: a frame a little over the cap is only
    // reported (`too-large`) and the socket kept; a huge one costs at most this much, then the
    // socket. Browsers ignore the argument (the decoder's cap still applies there).
    const socket = new Open(url, [], {
      maxPayload: 2 * options.maxFrameBytes,
      ...options.webSocketOptions,
    })
    this.socket = socket
    socket.binaryType = 'arraybuffer'
    let error: unknown
    socket.onopen = () => {
      if (this.socket === socket) handlers.opened()
    }
    socket.onerror = (event) => {
      error ??= (event as { error?: unknown }).error ?? event
    }
    socket.onclose = (event) => {
      if (this.socket !== socket) return
      this.socket = undefined
      const reason = event.reason === '' ? undefined : event.reason
      const tooLarge =
        event.code === CLOSE_TOO_LARGE ||
        (error as { code?: unknown } | undefined)?.code === WS_TOO_LARGE
      handlers.closed({ code: event.code, reason, error, tooLarge })
    }
    const emitter = socket as Partial<MessageEmitter>
    if (typeof emitter.on === 'function' && typeof emitter.removeAllListeners === 'function') {
      // `ws` on Node: its own listener API hands over each frame without building a MessageEvent.
      emitter.on('message', (data, isBinary) => {
        if (this.socket === socket) handlers.received(isBinary ? data : String(data))
      })
    } else {
      socket.onmessage = (event) => {
        if (this.socket === socket) handlers.received(event.data)
      }
    }
  }

  /** Sends a text frame; throws when the socket cannot take it. */
  send(frame: string): void {
    if (this.socket === undefined) throw new Error('the socket is closed')
    this.socket.send(frame)
  }

  /**
   * Closes the socket without reporting anything more; resolves once it is closed (its `close`
   * event, or a `ws` socket ended with `terminate`), or after the grace time in any case.
   */
  close(code = 1000, reason?: string): Promise<void> {
    const socket = this.socket
    if (socket === undefined) return Promise.resolve()
    this.socket = undefined
    socket.onopen = null
    socket.onmessage = null
    const emitter = socket as Partial<MessageEmitter>
    if (typeof emitter.removeAllListeners === 'function') emitter.removeAllListeners('message')
    socket.onerror = () => undefined
    let done!: () => void
    const closed = new Promise<void>((resolve) => {
      done = resolve
    })
    // A socket whose peer never answers, or that never reports its end, is given up on in time.
    const timer = setTimeout(() => {
      end()
      done()
    }, CLOSE_GRACE_MS) as ReturnType<typeof setTimeout> & { unref?: () => void }
    timer.unref?.()
    socket.onclose = () => {
      clearTimeout(timer)
      done()
    }
    const terminate = (socket as { terminate?: unknown }).terminate
    const end = (): void => {
      if (typeof terminate !== 'function') return
      try {
        ;(terminate as () => void).call(socket)
      } catch {
        // Already gone.
      }
    }
    // `ws` keeps a socket that is still connecting, or whose peer never answers the close frame,
    // open for up to 30 s: end it now, or soon, so that nothing is left holding the process.
    if (typeof terminate === 'function' && (socket as { readyState?: unknown }).readyState === 0) {
      end()
      return closed
    }
    try {
      socket.close(code, reason)
    } catch {
      // Closing a socket that never opened throws in some implementations; it is gone either way.
      clearTimeout(timer)
      done()
    }
    return closed
  }
}
