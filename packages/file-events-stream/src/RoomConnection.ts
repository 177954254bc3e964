import {
  type CommandMethod,
  type CommandReply,
  type DecodeFailure,
  DEFAULT_PORTS,
  type FileEvent,
  type FileEventOf,
  type RequestOf,
  type RoomMessage,
  type SuccessReplyOf,
  fileDownloadPath,
  fileIdToNumber,
  isCommandMethod,
  isFileEvent,
  isReply,
} from '@org/file-events-codec'
import {
  BehaviorSubject,
  type Observable,
  ReplaySubject,
  type SchedulerLike,
  Subject,
  type Subscription,
  asyncScheduler,
  defer,
  filter,
} from 'rxjs'
import { type Decoded, type DecodeFramesOptions, DECODE_DEFAULTS, decodeFrame } from './decodeFrames'
import {
  AuthenticationError,
  CommandFailedError,
  ConfigurationError,
  ConnectionClosedError,
  ConnectionError,
  HttpError,
  ReplyDecodeError,
  RequestTimeoutError,
  RetriesExhaustedError,
  isErrorLike,
  messageOf,
  redactUrl,
  scrubError,
} from './errors'
import { type BackoffDelay, exponentialBackoff } from './exponentialBackoff'
import {
  type FileRequestsAction,
  type FileRequestsState,
  type FileRequestsTrackerOptions,
  initialFileRequestsState,
  reduceFileRequestsAll,
} from './fileRequestsReducer'
import { FILE_UPLOAD_PATH, type FetchLike, type RoomEndpoints, discoverRoom, origin } from './http'

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

/**
 * The connection's state, as `state$` emits it.
 *
 * - `connecting`: opening the socket (attempt 0 is the first connect);
 * - `authenticating`: socket open, `auth` sent;
 * - `ready`: authenticated and resynchronized; `resyncError` is set when reading the lists failed;
 * - `reconnecting`: the socket dropped; the next attempt starts after `delayMs`;
 * - `closed`: for good; `error` is set unless the caller closed it.
 *
 * @category connection
 * @since 0.1.0
 */
export type ConnectionState =
  | { readonly status: 'connecting'; readonly attempt: number; readonly url: string | undefined }
  | { readonly status: 'authenticating'; readonly attempt: number; readonly url: string }
  | { readonly status: 'ready'; readonly url: string; readonly connects: number; readonly resyncError?: unknown }
  | { readonly status: 'reconnecting'; readonly attempt: number; readonly delayMs: number; readonly lastError: unknown }
  | {
      readonly status: 'closed'
      readonly reason: 'closed-by-caller' | 'authentication-failed' | 'retries-exhausted' | 'configuration'
      readonly error?: unknown
    }

/**
 * Options of {@link connectRoom}.
 *
 * @category connection
 * @since 0.1.0
 */
export interface ConnectRoomOptions extends DecodeFramesOptions {
  /**
   * The room's host name or address. With it, the ports are discovered through
   * `http://host:webPort/public/default/config.json`; set `wsUrl` and `httpUrl` instead to skip
   * discovery.
   */
  readonly host?: string
  /**
   * The web server port used for discovery.
   *
   * @default 80
   */
  readonly webPort?: number
  /** The WebSocket URL (`ws://host:8765`); skips discovery together with `httpUrl`. */
  readonly wsUrl?: string
  /** The built-in HTTP server's URL (`http://host:8766`). */
  readonly httpUrl?: string
  /**
   * Use `wss`/`https` for discovery and the derived URLs.
   *
   * @default false
   */
  readonly secure?: boolean
  /**
   * When discovery fails, fall back to the default ports (8765, 8766) instead of retrying it.
   *
   * @default true
   */
  readonly discoveryFallback?: boolean
  /** The room's PIN: `auth` is `secured` with it, `unsecured` without. Never logged or shown. */
  readonly pin?: string | undefined
  /**
   * The WebSocket class.
   *
   * @default globalThis.WebSocket (browsers, Node 22+); on Node 20 pass `WebSocket` from `ws`, or import from `@org/file-events-stream/node`
   */
  readonly WebSocketCtor?: WebSocketConstructor
  /**
   * Passed as the third constructor argument (the `ws` package's options: `ca`, `rejectUnauthorized`,
   * `headers`, ...). Ignored by browsers, which use the system's trust store.
   */
  readonly webSocketOptions?: object
  /**
   * The `fetch` used for discovery, upload and download (inject one with a custom CA on Node).
   *
   * @default globalThis.fetch
   */
  readonly fetch?: FetchLike
  /**
   * Delay before each reconnect attempt (attempt 1, 2, ...).
   *
   * @default exponentialBackoff() (500 ms doubling to 30 s, 50 % jitter)
   */
  readonly backoff?: BackoffDelay
  /**
   * Reconnect attempts in a row before giving up with `RetriesExhaustedError`; 0 disables
   * reconnecting.
   *
   * @default Infinity
   */
  readonly maxRetries?: number
  /**
   * Time allowed for each command's reply, in milliseconds.
   *
   * @default 10000
   */
  readonly requestTimeoutMs?: number
  /**
   * `setUsedApiVersion` is sent after `auth` with this version when set; a room that refuses it
   * ends the connection with its `CommandFailedError` (reason `configuration`).
   */
  readonly apiVersion?: string
  /**
   * Read the three request lists after every (re)connect and reconcile the tracker with them.
   *
   * @default true
   */
  readonly resync?: boolean
  /** Options of the file-request tracker behind `fileRequests$`. */
  readonly tracker?: FileRequestsTrackerOptions
  /**
   * HTTP tokens older than this are refreshed with `getTokenForHttpServer` before use (the room
   * lets them live 5 minutes); a 401/403 answer also refreshes and retries once.
   *
   * @default 240000
   */
  readonly httpTokenMaxAgeMs?: number
  /**
   * While ready, a cheap command (`getFileTransferAvailability`) is sent this often; when its reply
   * does not come within `requestTimeoutMs` the socket is taken for dead (a half-open connection
   * sends no close) and replaced. 0 turns it off.
   *
   * @default 30000
   */
  readonly keepAliveMs?: number
  /**
   * Scheduler of timers (reconnect delays, timeouts) and of the time stamped on tracked events.
   *
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike
}

/**
 * Defaults of {@link ConnectRoomOptions}.
 *
 * @category connection
 * @since 0.1.0
 */
export const CONNECT_DEFAULTS = Object.freeze({
  webPort: DEFAULT_PORTS.web,
  secure: false,
  discoveryFallback: true,
  maxRetries: Number.POSITIVE_INFINITY,
  requestTimeoutMs: 10_000,
  resync: true,
  httpTokenMaxAgeMs: 240_000,
  keepAliveMs: 30_000,
  maxFrameBytes: DECODE_DEFAULTS.maxFrameBytes,
} as const)

/**
 * A command as the caller gives it: the request without `requestId` (the connection sets it).
 *
 * @category connection
 * @since 0.1.0
 */
export type Command<M extends CommandMethod> = RequestOf<M> extends infer R ? (R extends unknown ? Omit<R, 'requestId'> : never) : never

/**
 * Per-request options.
 *
 * @category connection
 * @since 0.1.0
 */
export interface RequestOptions {
  /** Overrides `requestTimeoutMs` for this request. */
  readonly timeoutMs?: number
}

/**
 * What to send with {@link RoomConnection.sendFile}: the bytes and the name, and the receiver
 * (a peer's TrueConf ID, or `'conference'` for the ongoing group conference).
 *
 * @category files
 * @since 0.1.0
 */
export interface SendFileOptions {
  readonly data: Blob | Uint8Array | string
  readonly fileName: string
  readonly to: string
}

interface Pending {
  readonly method: string
  readonly requestId: string
  /** Emptied once sent: the `auth` frame holds the PIN. */
  frame: string
  readonly resolve: (reply: unknown) => void
  readonly reject: (error: unknown) => void
  timer: Subscription | undefined
  sent: boolean
  /** Internal requests belong to one socket and are never queued. */
  readonly internal: boolean
}

/**
 * What must never show: kept outside the instance, so that `util.inspect`, `console.log`,
 * `JSON.stringify` and any walk over the connection's properties cannot reach it.
 */
interface Secrets {
  readonly pin: string | undefined
  httpToken: { readonly value: string; readonly at: number } | undefined
  tokenRefresh: Promise<string> | undefined
  /** Every token the room handed out so far (the most recent ones), to redact from what it says. */
  readonly seen: string[]
}

/** Tokens remembered for redaction; older ones have long expired. */
const MAX_SEEN_TOKENS = 32

const secretsByConnection = new WeakMap<RoomConnection, Secrets>()

const secretsOf = (connection: RoomConnection): Secrets => {
  const found = secretsByConnection.get(connection)
  if (found === undefined) throw new Error('RoomConnection: not constructed by connectRoom')
  return found
}

type Phase = 'idle' | 'connecting' | 'authenticating' | 'syncing' | 'ready' | 'reconnecting' | 'closed'

const OPEN_FAILURE = 'the WebSocket could not be opened'

/**
 * A connection to a room: one WebSocket, authenticated, resynchronized and reconnected as needed,
 * shared by every subscriber and request. It connects on the first subscription to one of its
 * streams or the first request, and stays up (reconnecting) until {@link RoomConnection.close}.
 *
 * Create it with {@link connectRoom}.
 *
 * @category connection
 * @since 0.1.0
 */
export class RoomConnection {
  /** The options without `pin` (see {@link Secrets}). */
  private readonly opts: Omit<ConnectRoomOptions, 'pin'>
  private readonly scheduler: SchedulerLike
  private readonly backoff: BackoffDelay
  private readonly Ctor: WebSocketConstructor | undefined
  private readonly doFetch: FetchLike | undefined
  private readonly stateSubject = new ReplaySubject<ConnectionState>(1)
  private readonly messageSubject = new Subject<Decoded>()
  // Their own subjects rather than filters over messages$: no operator chain per frame and subscriber.
  private readonly eventSubject = new Subject<FileEvent>()
  private readonly failureSubject = new Subject<DecodeFailure>()
  private readonly trackerSubject: BehaviorSubject<FileRequestsState>
  private trackerQueue: FileRequestsAction[] = []
  private trackerFlushQueued = false
  private burstAt: number | undefined
  private phase: Phase = 'idle'
  private socket: WebSocketLike | undefined
  private endpoints: RoomEndpoints | undefined
  private attempt = 0
  private connects = 0
  private counter = 0
  private readonly pending = new Map<string, Pending>()
  private reconnectTimer: Subscription | undefined
  private keepAliveTimer: Subscription | undefined
  /** Why the connection ended, unless the caller closed it. */
  private terminalError: unknown
  /** Why discovery failed, when the default ports are being tried instead. */
  private discoveryFailure: string | undefined
  /** Aborted by the end of the connection: HTTP requests and downloads in flight stop with it. */
  private readonly ended = new AbortController()

  /** The connection's state; replays the current one to a new subscriber. */
  readonly state$: Observable<ConnectionState>
  /** Every frame, decoded (replies, events, failures). */
  readonly messages$: Observable<Decoded>
  /** The file events. */
  readonly events$: Observable<FileEvent>
  /** Frames that did not decode (the stream goes on). */
  readonly decodeFailures$: Observable<DecodeFailure>
  /** The tracker's state after every file event and resync; replays the current one. */
  readonly fileRequests$: Observable<FileRequestsState>

  constructor(options: ConnectRoomOptions) {
    const { pin, ...rest } = options
    this.opts = rest
    secretsByConnection.set(this, { pin, httpToken: undefined, tokenRefresh: undefined, seen: [] })
    this.scheduler = options.scheduler ?? asyncScheduler
    this.backoff = options.backoff ?? exponentialBackoff()
    this.Ctor = options.WebSocketCtor ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
    this.doFetch = options.fetch ?? (typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined)
    this.trackerSubject = new BehaviorSubject(initialFileRequestsState(options.tracker))
    checkEndpointOptions(options)
    const started = <T>(source: Observable<T>): Observable<T> =>
      defer(() => {
        this.start()
        return source
      })
    this.state$ = started(this.stateSubject.asObservable())
    this.messages$ = started(this.messageSubject.asObservable())
    this.events$ = started(this.eventSubject.asObservable())
    this.decodeFailures$ = started(this.failureSubject.asObservable())
    // A new subscriber gets the state with every event received so far folded in.
    this.fileRequests$ = started(
      defer(() => {
        this.flushTracker()
        return this.trackerSubject.asObservable()
      }),
    )
  }

  /** The tracker's current state. */
  get fileRequests(): FileRequestsState {
    this.flushTracker()
    return this.trackerSubject.getValue()
  }

  /** The URLs in use, once known (after discovery). */
  get urls(): RoomEndpoints | undefined {
    return this.endpoints
  }

  /**
   * Sends a command and resolves with its successful reply. Rejects with `CommandFailedError`
   * (`result: false`), `RequestTimeoutError`, `ReplyDecodeError`, `ConnectionError` (the socket
   * dropped while waiting), `ConnectionClosedError` (after `close()`), or the error that ended the
   * connection (`AuthenticationError`, `RetriesExhaustedError`, ...) whether it was pending then or
   * made later. Made while reconnecting, it waits for the
   * connection (its timeout running).
   */
  request<M extends CommandMethod>(command: Command<M> & { method: M }, options?: RequestOptions): Promise<SuccessReplyOf<M>> {
    return this.enqueue(command, false, options?.timeoutMs) as Promise<SuccessReplyOf<M>>
  }

  /**
   * Sends a command this package does not model (`getSettings`, `getSystemInfo`, ...) and resolves
   * with its reply, decoded only as a `CommandReply` (every other field kept). Rejects as
   * {@link RoomConnection.request} does. A modelled command is refused here with a
   * `ConfigurationError`: `request` types both its sides.
   *
   * @example
   * import { connectRoom } from '@org/file-events-stream'
   * declare const room: ReturnType<typeof connectRoom>
   * const settings = await room.requestRaw({ method: 'getSettings' })
   * console.log(settings.result)
   */
  requestRaw(command: { readonly method: string; readonly [key: string]: unknown }, options?: RequestOptions): Promise<CommandReply> {
    if (isCommandMethod(command.method) || command.method === 'event') {
      return Promise.reject(new ConfigurationError(`${command.method} is not for requestRaw: use request(), which types the command and its reply`))
    }
    return this.enqueue(command, false, options?.timeoutMs) as Promise<CommandReply>
  }

  /** Accepts an inbound file request. */
  async acceptFile(fileRequestId: string): Promise<void> {
    await this.request({ method: 'acceptIncomingFileRequest', fileRequestId })
  }

  /** Declines an inbound file request. */
  async rejectFile(fileRequestId: string): Promise<void> {
    await this.request({ method: 'rejectIncomingFileRequest', fileRequestId })
    this.track({ type: 'rejected', fileRequestId, at: this.scheduler.now() })
  }

  /**
   * Uploads bytes to the room's HTTP server and resolves with the new `fileId`. Rejects with
   * `HttpError`, a `ConfigurationError` for an empty `fileName`, or, once the connection has
   * ended, the error that ended it (`ConnectionClosedError` after `close()`).
   */
  async uploadFile(data: Blob | Uint8Array | string, fileName: string): Promise<number> {
    if (typeof fileName !== 'string' || fileName.trim() === '') {
      throw new ConfigurationError('a file to send needs a name: `fileName` is empty')
    }
    const blob = data instanceof Blob ? data : new Blob([data])
    const { response, unlink } = await this.http('POST', FILE_UPLOAD_PATH, () => {
      const form = new FormData()
      form.append('file', blob, fileName)
      return { body: form }
    })
    const header = response.headers.get('FileId')
    await response.body?.cancel().catch(() => undefined)
    unlink()
    if (header === null || !/^\d+$/.test(header.trim())) {
      throw new HttpError('the upload answer had no numeric FileId header', { method: 'POST', url: this.httpBase() + FILE_UPLOAD_PATH, status: response.status })
    }
    return Number(header.trim())
  }

  /**
   * Uploads a file, then sends it to a peer (`sendFile`) or to the conference
   * (`sendFileToConference`); resolves with the new outbound `fileRequestId`.
   */
  async sendFile(options: SendFileOptions): Promise<string> {
    const fileId = await this.uploadFile(options.data, options.fileName)
    return this.sendUploaded(fileId, options.to)
  }

  /** Sends a file already on the room's HTTP server; resolves with the new `fileRequestId`. */
  async sendUploaded(fileId: number, to: string): Promise<string> {
    if (to === 'conference') {
      const sent = this.awaitEvent(
        (e): e is FileEventOf<'outgoingFileRequestSentToConference'> =>
          e.event === 'outgoingFileRequestSentToConference' && fileIdToNumber(e.fileId) === fileId,
      )
      try {
        const reply = await this.request({ method: 'sendFileToConference', fileId })
        if (reply.sentFileRequestId !== undefined) return reply.sentFileRequestId
        // The reply's payload is undocumented: without an id, the matching event names the request.
        const event = await sent.promise
        return event.fileRequestId
      } finally {
        sent.cancel()
      }
    }
    // The documentation names the target `callId`, TrueConf's own clients send `peerId`: send both.
    const reply = await this.request({ method: 'sendFile', fileId, peerId: to, callId: to })
    return reply.sentFileRequestId
  }

  /**
   * Starts a download of a file from the room's HTTP server and resolves with the response
   * (a 2xx one; the body unread). Rejects with `HttpError`. The Node entry's `downloadFile` writes it
   * to disk safely. The end of the connection aborts the body's reading; with a `signal`, the
   * connection holds a listener on it until the signal aborts or the connection ends.
   */
  async openDownload(fileId: number | string, init?: { readonly signal?: AbortSignal }): Promise<Response> {
    return (await this.openDownloadLinked(fileId, init?.signal)).response
  }

  /**
   * {@link RoomConnection.openDownload}, with the function that drops the links between the
   * caller's signal and the connection's, to call once the body has been read.
   */
  protected openDownloadLinked(fileId: number | string, signal: AbortSignal | undefined): Promise<{ response: Response; unlink: () => void }> {
    return this.http('GET', fileDownloadPath(fileId), () => (signal === undefined ? {} : { signal }))
  }

  /**
   * Ends the connection for good: the socket closes, the streams complete, pending requests
   * reject with `ConnectionClosedError`.
   */
  close(): void {
    if (this.phase === 'closed') return
    this.finish({ status: 'closed', reason: 'closed-by-caller' }, undefined)
  }

  // ---------------------------------------------------------------------------------------------
  // Secrets

  private rememberToken(token: string | undefined): void {
    if (token === undefined || token === '') return
    const seen = secretsOf(this).seen
    if (seen.includes(token)) return
    seen.push(token)
    if (seen.length > MAX_SEEN_TOKENS) seen.shift()
  }

  /**
   * `text` with every known secret (the PIN, the HTTP token, any token seen so far) replaced with
   * `***`: the room may echo them in what it says (`"error": "bad credentials 1234"`).
   */
  private redact(text: string): string {
    const { pin, httpToken, seen } = secretsOf(this)
    const known = [pin, httpToken?.value, ...seen].filter((x): x is string => x !== undefined && x !== '')
    // Longest first, so that a secret containing another is replaced whole.
    known.sort((a, b) => b.length - a.length)
    let out = text
    for (const secret of known) out = out.split(secret).join('***')
    return out
  }

  private redactFailure(failure: DecodeFailure): DecodeFailure {
    const copy: { -readonly [K in keyof DecodeFailure]: DecodeFailure[K] } = { ...failure, messages: failure.messages.map((m) => this.redact(m)) }
    if (typeof failure.method === 'string') copy.method = this.redact(failure.method)
    if (typeof failure.event === 'string') copy.event = this.redact(failure.event)
    if (typeof failure.requestId === 'string') copy.requestId = this.redact(failure.requestId)
    return copy
  }

  /** A refusal's `error` string as `messages$` shows it: the room may echo a secret in it. */
  private redactRefusal(decoded: Decoded): Decoded {
    if (decoded._tag !== 'Message') return decoded
    const message = decoded.message as { readonly result?: unknown; readonly error?: unknown }
    if (message.result !== false || typeof message.error !== 'string') return decoded
    const error = this.redact(message.error)
    if (error === message.error) return decoded
    return { _tag: 'Message', message: { ...decoded.message, error } as unknown as RoomMessage }
  }

  /** An error's message for another error's message, with URL and known secrets removed. */
  private describe(error: unknown): string {
    return this.redact(redactUrl(messageOf(error)))
  }

  /** For an open failure on the default ports: they were only a guess, because discovery failed. */
  private fallbackNote(): string {
    return this.discoveryFailure === undefined
      ? ''
      : ` (the default WebSocket port was tried because ${this.discoveryFailure}; check \`host\` and \`webPort\`)`
  }

  /** An error to keep as a cause: a copy with URL and known secrets removed, causes included. */
  private scrub(error: unknown): unknown {
    return scrubError(error, (text) => this.redact(redactUrl(text)))
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  private start(): void {
    if (this.phase !== 'idle') return
    if (this.Ctor === undefined) {
      const error = new ConfigurationError(
        'no WebSocket implementation: pass `WebSocketCtor` (on Node 20: `import { WebSocket } from "ws"`), ' +
          'or import connectRoom from "@org/file-events-stream/node"',
      )
      this.finish({ status: 'closed', reason: 'configuration', error }, error)
      return
    }
    this.open()
  }

  private open(): void {
    this.reconnectTimer = undefined
    this.phase = 'connecting'
    this.stateSubject.next({ status: 'connecting', attempt: this.attempt, url: this.endpoints?.wsUrl ?? this.opts.wsUrl })
    this.resolveEndpoints().then(
      (endpoints) => {
        if (this.phase !== 'connecting') return
        this.endpoints = endpoints
        this.openSocket(endpoints.wsUrl)
      },
      (error: unknown) => {
        if (this.phase === 'connecting') this.dropped(error)
      },
    )
  }

  private async resolveEndpoints(): Promise<RoomEndpoints> {
    const { host, wsUrl, httpUrl } = this.opts
    const secure = this.opts.secure ?? CONNECT_DEFAULTS.secure
    if (wsUrl !== undefined) {
      if (httpUrl !== undefined) return { wsUrl, httpUrl: httpUrl.replace(/\/+$/, '') }
      // The HTTP server is on the same host, on its own port, at its root (whatever path wsUrl has).
      const ws = new URL(wsUrl)
      return { wsUrl, httpUrl: origin(ws.protocol === 'wss:' ? 'https' : 'http', ws.hostname, DEFAULT_PORTS.http) }
    }
    const h = host as string
    try {
      const found = await discoverRoom({
        host: h,
        webPort: this.opts.webPort ?? CONNECT_DEFAULTS.webPort,
        secure,
        ...(this.doFetch === undefined ? {} : { fetch: this.doFetch }),
      })
      this.discoveryFailure = undefined
      return httpUrl === undefined ? found : { wsUrl: found.wsUrl, httpUrl }
    } catch (error) {
      if (!(this.opts.discoveryFallback ?? CONNECT_DEFAULTS.discoveryFallback)) throw error
      this.discoveryFailure = this.describe(error)
      return {
        wsUrl: origin(secure ? 'wss' : 'ws', h, DEFAULT_PORTS.websocket),
        httpUrl: httpUrl ?? origin(secure ? 'https' : 'http', h, DEFAULT_PORTS.http),
      }
    }
  }

  private openSocket(url: string): void {
    let socket: WebSocketLike
    try {
      const Ctor = this.Ctor as unknown as new (url: string, protocols?: string[], options?: object) => WebSocketLike
      socket = this.opts.webSocketOptions === undefined ? new Ctor(url) : new Ctor(url, [], this.opts.webSocketOptions)
    } catch (error) {
      this.dropped(new ConnectionError(`${OPEN_FAILURE}: ${this.describe(error)}${this.fallbackNote()}`, { url }, { cause: this.scrub(error) }))
      return
    }
    this.socket = socket
    socket.binaryType = 'arraybuffer'
    let failure: unknown
    socket.onopen = () => {
      if (this.socket !== socket) return
      this.authenticate(socket, url)
    }
    socket.onerror = (event) => {
      failure ??= (event as { error?: unknown }).error ?? event
    }
    socket.onclose = (event) => {
      if (this.socket !== socket) return
      this.socket = undefined
      const code = event.code
      const reason = event.reason === '' || event.reason === undefined ? undefined : this.redact(event.reason)
      this.dropped(
        new ConnectionError(
          this.phase === 'connecting'
            ? `${OPEN_FAILURE} (${url})${isErrorLike(failure) ? `: ${this.describe(failure)}` : ''}${this.fallbackNote()}`
            : `the WebSocket closed (code ${code ?? 'unknown'}${reason !== undefined ? `, ${reason}` : ''})`,
          { url, closeCode: code, closeReason: reason },
          failure !== undefined ? { cause: this.scrub(failure) } : undefined,
        ),
      )
    }
    const emitter = socket as Partial<MessageEmitter>
    if (typeof emitter.on === 'function' && typeof emitter.removeAllListeners === 'function') {
      // `ws` on Node: its own listener API hands over each frame without building a MessageEvent.
      emitter.on('message', (data, isBinary) => {
        if (this.socket !== socket) return
        this.receive(isBinary ? data : String(data))
      })
    } else {
      socket.onmessage = (event) => {
        if (this.socket !== socket) return
        this.receive(event.data)
      }
    }
  }

  private authenticate(socket: WebSocketLike, url: string): void {
    this.phase = 'authenticating'
    this.stateSubject.next({ status: 'authenticating', attempt: this.attempt, url })
    const pin = secretsOf(this).pin
    const authType = pin === undefined ? 'unsecured' : 'secured'
    const auth = pin === undefined ? { method: 'auth' as const, type: 'unsecured' as const } : { method: 'auth' as const, type: 'secured' as const, credentials: pin }
    this.enqueue(auth, true)
      .then(async (reply) => {
        const tokens = reply as SuccessReplyOf<'auth'>
        this.rememberToken(tokens.token)
        this.rememberToken(tokens.tokenForHttpServer)
        secretsOf(this).httpToken = { value: tokens.tokenForHttpServer, at: this.scheduler.now() }
        if (this.opts.apiVersion !== undefined) await this.enqueue({ method: 'setUsedApiVersion', version: this.opts.apiVersion }, true)
        this.phase = 'syncing'
        let resyncError: unknown
        if (this.opts.resync ?? CONNECT_DEFAULTS.resync) {
          try {
            await this.resync()
          } catch (error) {
            if (this.socket !== socket) throw error
            resyncError = error
          }
        }
        if (this.socket !== socket) return
        this.phase = 'ready'
        this.attempt = 0
        this.connects++
        this.stateSubject.next(
          resyncError === undefined
            ? { status: 'ready', url, connects: this.connects }
            : { status: 'ready', url, connects: this.connects, resyncError },
        )
        this.flush()
        this.keepAlive(socket)
      })
      .catch((error: unknown) => {
        if (this.socket !== socket) return
        if (error instanceof CommandFailedError && error.method === 'auth') {
          const authError = new AuthenticationError({ authType, resultCode: error.resultCode, serverError: error.serverError })
          this.finish({ status: 'closed', reason: 'authentication-failed', error: authError }, authError)
        } else if (error instanceof CommandFailedError && error.method === 'setUsedApiVersion') {
          // The room refuses the version asked for: retrying would only be refused again.
          this.finish({ status: 'closed', reason: 'configuration', error }, error)
        } else {
          // A timeout or a bad reply during the handshake: start over on a new socket.
          this.socket = undefined
          closeQuietly(socket)
          this.dropped(error)
        }
      })
  }

  /** Probes the socket now and then; a probe without a reply replaces the socket. */
  private keepAlive(socket: WebSocketLike): void {
    const every = this.opts.keepAliveMs ?? CONNECT_DEFAULTS.keepAliveMs
    if (!(every > 0)) return
    this.keepAliveTimer?.unsubscribe()
    this.keepAliveTimer = this.scheduler.schedule(() => {
      if (this.socket !== socket || this.phase !== 'ready') return
      this.enqueue({ method: 'getFileTransferAvailability' }, true).then(
        () => this.keepAlive(socket),
        (error: unknown) => {
          if (this.socket !== socket) return
          if (!(error instanceof RequestTimeoutError)) {
            this.keepAlive(socket)
            return
          }
          this.socket = undefined
          closeQuietly(socket)
          const url = this.endpoints?.wsUrl ?? ''
          this.dropped(new ConnectionError(`no reply from the room for ${error.timeoutMs} ms: the connection is taken for dead`, { url }, { cause: error }))
        },
      )
    }, every)
  }

  private async resync(): Promise<void> {
    const [incoming, outgoing, history] = await Promise.all([
      this.enqueue({ method: 'getIncomingFilesRequests' }, true) as Promise<SuccessReplyOf<'getIncomingFilesRequests'>>,
      this.enqueue({ method: 'getOutgoingFilesRequests' }, true) as Promise<SuccessReplyOf<'getOutgoingFilesRequests'>>,
      this.enqueue({ method: 'getFileTransferHistory' }, true) as Promise<SuccessReplyOf<'getFileTransferHistory'>>,
    ])
    this.track({
      type: 'snapshot',
      incoming: incoming.incomingFilesRequests,
      outgoing: outgoing.outgoingFilesRequests,
      history: history.filesRequests,
      at: this.scheduler.now(),
    })
  }

  /** The socket dropped (or could not open): fail what was sent on it and schedule a retry. */
  private dropped(error: unknown): void {
    if (this.phase === 'closed') return
    this.keepAliveTimer?.unsubscribe()
    const sentError =
      error instanceof ConnectionError ? error : new ConnectionError(`the connection was lost: ${this.describe(error)}`, { url: this.endpoints?.wsUrl ?? '' }, { cause: this.scrub(error) })
    for (const p of [...this.pending.values()]) {
      if (p.sent || p.internal) this.settle(p, sentError, undefined)
    }
    const maxRetries = this.opts.maxRetries ?? CONNECT_DEFAULTS.maxRetries
    // `attempt` numbers the attempts from 0: after this increment it counts the ones made so far.
    this.attempt++
    if (this.attempt > maxRetries) {
      const exhausted = new RetriesExhaustedError(this.attempt, error)
      this.finish({ status: 'closed', reason: 'retries-exhausted', error: exhausted }, exhausted)
      return
    }
    const delayMs = Math.max(0, this.backoff(this.attempt))
    this.phase = 'reconnecting'
    this.stateSubject.next({ status: 'reconnecting', attempt: this.attempt, delayMs, lastError: error })
    this.reconnectTimer = this.scheduler.schedule(() => {
      if (this.phase === 'reconnecting') this.open()
    }, delayMs)
  }

  private finish(state: Extract<ConnectionState, { status: 'closed' }>, error: unknown): void {
    this.phase = 'closed'
    this.terminalError = error
    this.ended.abort()
    this.reconnectTimer?.unsubscribe()
    this.keepAliveTimer?.unsubscribe()
    const socket = this.socket
    this.socket = undefined
    if (socket !== undefined) closeQuietly(socket)
    // Requests pending now fail with the same error as the ones made later, so one check covers both.
    const pendingError = error ?? new ConnectionClosedError()
    for (const p of [...this.pending.values()]) this.settle(p, pendingError, undefined)
    this.stateSubject.next(state)
    this.flushTracker()
    if (error === undefined) {
      this.stateSubject.complete()
      this.messageSubject.complete()
      this.eventSubject.complete()
      this.failureSubject.complete()
      this.trackerSubject.complete()
    } else {
      this.stateSubject.error(error)
      this.messageSubject.error(error)
      this.eventSubject.error(error)
      this.failureSubject.error(error)
      this.trackerSubject.error(error)
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Requests

  private enqueue(command: { readonly method: string; readonly [key: string]: unknown }, internal: boolean, timeoutMs?: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.phase === 'closed') {
        reject(this.lastTerminalError())
        return
      }
      const requestId = String(++this.counter)
      const frame = JSON.stringify({ ...command, requestId })
      const p: Pending = { method: command.method, requestId, frame, resolve, reject, timer: undefined, sent: false, internal }
      this.pending.set(requestId, p)
      const timeout = timeoutMs ?? this.opts.requestTimeoutMs ?? CONNECT_DEFAULTS.requestTimeoutMs
      p.timer = this.scheduler.schedule(() => {
        this.settle(p, new RequestTimeoutError({ method: p.method, requestId, timeoutMs: timeout }), undefined)
      }, timeout)
      if (internal || this.phase === 'ready') this.transmit(p)
      else this.start()
    })
  }

  private lastTerminalError(): unknown {
    return this.terminalError ?? new ConnectionClosedError()
  }

  /**
   * The error that ended the connection (`ConnectionClosedError` after `close()`), or undefined
   * while it is open: what an action started or running after the end rejects with.
   */
  protected endedWith(): unknown {
    return this.phase === 'closed' ? this.lastTerminalError() : undefined
  }

  private transmit(p: Pending): void {
    const socket = this.socket
    if (socket === undefined) return
    try {
      socket.send(p.frame)
      p.sent = true
      p.frame = ''
    } catch (error) {
      this.settle(p, new ConnectionError(`could not send ${p.method}: ${this.describe(error)}`, { url: this.endpoints?.wsUrl ?? '' }, { cause: this.scrub(error) }), undefined)
    }
  }

  private flush(): void {
    for (const p of this.pending.values()) if (!p.sent && !p.internal) this.transmit(p)
  }

  private settle(p: Pending, error: unknown, reply: unknown): void {
    if (this.pending.get(p.requestId) !== p) return
    this.pending.delete(p.requestId)
    p.timer?.unsubscribe()
    if (error !== undefined) p.reject(error)
    else p.resolve(reply)
  }

  /** The pending request a reply answers: by `requestId`, else the oldest sent one of that method. */
  private match(method: string | undefined, requestId: string | undefined): Pending | undefined {
    if (requestId !== undefined && requestId !== '') {
      const p = this.pending.get(requestId)
      return p !== undefined && p.sent ? p : undefined
    }
    if (method === undefined) return undefined
    for (const p of this.pending.values()) if (p.sent && p.method === method) return p
    return undefined
  }

  private receive(data: unknown): void {
    const decoded = decodeFrame(
      typeof data === 'string' || data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? data : String(data),
      this.opts.maxFrameBytes === undefined ? undefined : { maxFrameBytes: this.opts.maxFrameBytes },
    )
    let fileEvent: FileEvent | undefined
    if (decoded._tag === 'Message') {
      const message: RoomMessage = decoded.message
      if (isReply(message)) {
        const p = this.match(message.method, message.requestId)
        if (p !== undefined) {
          if (message.result === false) {
            this.settle(
              p,
              new CommandFailedError({
                method: p.method,
                requestId: p.requestId,
                serverError: typeof message.error === 'string' ? this.redact(message.error) : undefined,
                resultCode: typeof message.resultCode === 'number' ? message.resultCode : undefined,
              }),
              undefined,
            )
          } else this.settle(p, undefined, message)
        }
      } else if (isFileEvent(message)) {
        fileEvent = message
        this.track({ type: 'event', event: message, at: this.burstTime() })
      }
    } else if (decoded.event === undefined && (decoded.requestId !== undefined || decoded.method !== undefined)) {
      const p = this.match(decoded.method, decoded.requestId)
      if (p !== undefined && (decoded.method === undefined || decoded.method === p.method)) {
        this.settle(p, new ReplyDecodeError({ method: p.method, requestId: p.requestId, failure: this.redactFailure(decoded) }), undefined)
      }
    }
    this.messageSubject.next(this.redactRefusal(withoutSecrets(decoded)))
    if (fileEvent !== undefined) this.eventSubject.next(fileEvent)
    else if (decoded._tag === 'DecodeFailure') this.failureSubject.next(decoded)
  }

  /**
   * Queues an action for the tracker. Frames arrive in bursts (one socket read holds many), so the
   * actions of a burst are folded together on the next microtask and `fileRequests$` emits once
   * with all of them applied; reads of `fileRequests` fold what is queued first, so they are never
   * behind.
   */
  private track(action: FileRequestsAction): void {
    this.trackerQueue.push(action)
    if (!this.trackerFlushQueued) {
      this.trackerFlushQueued = true
      queueMicrotask(this.flushTracker)
    }
  }

  /** The time of the current burst of frames: read once per burst, not once per frame. */
  private burstTime(): number {
    if (this.burstAt === undefined) this.burstAt = this.scheduler.now()
    return this.burstAt
  }

  private readonly flushTracker = (): void => {
    this.trackerFlushQueued = false
    this.burstAt = undefined
    const actions = this.trackerQueue
    if (actions.length === 0 || this.trackerSubject.closed || this.trackerSubject.isStopped) return
    this.trackerQueue = []
    let state: FileRequestsState
    try {
      state = reduceFileRequestsAll(this.trackerSubject.getValue(), actions)
    } catch (error) {
      // Only a defect gets here (the actions come from validated frames). It ends fileRequests$
      // with the error instead of throwing from a microtask, which would end the process.
      this.trackerSubject.error(error)
      return
    }
    this.trackerSubject.next(state)
  }

  /** Resolves with the first file event matching `predicate` from now on. */
  private awaitEvent<E extends FileEvent>(predicate: (event: FileEvent) => event is E): { promise: Promise<E>; cancel: () => void } {
    let subscription: Subscription | undefined
    const promise = new Promise<E>((resolve, reject) => {
      subscription = this.events$.pipe(filter(predicate)).subscribe({ next: resolve, error: reject })
    })
    promise.catch(() => undefined)
    return { promise, cancel: () => subscription?.unsubscribe() }
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP

  private httpBase(): string {
    const base = this.endpoints?.httpUrl ?? this.opts.httpUrl
    if (base === undefined) throw new ConfigurationError('the HTTP server URL is not known yet')
    return base.replace(/\/+$/, '')
  }

  /** A valid HTTP token: waits for the connection, refreshes an old token. */
  private async token(forceRefresh: boolean): Promise<string> {
    const maxAge = this.opts.httpTokenMaxAgeMs ?? CONNECT_DEFAULTS.httpTokenMaxAgeMs
    const secrets = secretsOf(this)
    const current = secrets.httpToken
    if (!forceRefresh && current !== undefined && this.scheduler.now() - current.at < maxAge) return current.value
    // Before the first auth this waits for the connection like any request; one refresh is shared.
    secrets.tokenRefresh ??= this.request({ method: 'getTokenForHttpServer' }).then((r) => {
      this.rememberToken(r.token)
      return r.token
    })
    const refresh = secrets.tokenRefresh
    try {
      const value = await refresh
      secrets.httpToken = { value, at: this.scheduler.now() }
      return value
    } finally {
      if (secrets.tokenRefresh === refresh) secrets.tokenRefresh = undefined
    }
  }

  /**
   * The signal a request runs under: aborted when the connection ends, or when the caller's
   * signal, if any, aborts. `unlink` drops the listeners that join them, once the
   * request and its body are done, so that a long-lived signal keeps nothing of finished requests.
   * (`AbortSignal.any` would do the joining, but on Node 20 a source keeps every signal made from
   * it for as long as it lives.)
   */
  private requestSignal(callers: AbortSignal | null | undefined): { signal: AbortSignal; unlink: () => void } {
    // Always a signal of the request's own: fetch leaves its listener on the signal it is given.
    const ended = this.ended.signal
    const either = new AbortController()
    const sources = callers === undefined || callers === null ? [ended] : [callers, ended]
    const aborted = sources.find((source) => source.aborted)
    if (aborted !== undefined) {
      either.abort(aborted.reason)
      return { signal: either.signal, unlink: () => undefined }
    }
    const links = new AbortController()
    for (const source of sources) source.addEventListener('abort', () => either.abort(source.reason), { once: true, signal: links.signal })
    return { signal: either.signal, unlink: () => links.abort() }
  }

  /** A 2xx response, and the function that unlinks its signal (see `requestSignal`). */
  private async http(method: string, path: string, init: () => RequestInit): Promise<{ response: Response; unlink: () => void }> {
    const doFetch = this.doFetch
    if (doFetch === undefined) throw new ConfigurationError('no fetch implementation: pass `fetch` in the options')
    let refreshed = false
    for (;;) {
      const token = await this.token(refreshed)
      const ended = this.endedWith()
      if (ended !== undefined) throw ended
      const base = this.httpBase()
      const url = `${base}${path}?token=${encodeURIComponent(token)}`
      const request = init()
      // The end of the connection aborts the request, and the reading of its body.
      const { signal, unlink } = this.requestSignal(request.signal)
      let response: Response
      try {
        response = await doFetch(url, { ...request, method, signal })
      } catch (error) {
        unlink()
        const endedNow = this.endedWith()
        if (endedNow !== undefined) throw endedNow
        throw new HttpError(`${method} ${path} failed: ${this.describe(error)}`, { method, url }, { cause: this.scrub(error) })
      }
      if ((response.status === 401 || response.status === 403) && !refreshed) {
        await response.body?.cancel().catch(() => undefined)
        unlink()
        refreshed = true
        continue
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined)
        unlink()
        throw new HttpError(`${method} ${path} answered HTTP ${response.status}`, { method, url, status: response.status })
      }
      return { response, unlink }
    }
  }
}

/**
 * Refuses, at once, options that could only fail later, and forever (every retry would build the
 * same broken address): a URL or a `host:port` given as `host`, a URL that does not parse or has
 * the wrong scheme, a port out of range, an empty PIN.
 */
const checkEndpointOptions = (o: ConnectRoomOptions): void => {
  if (o.host === undefined && o.wsUrl === undefined) {
    throw new ConfigurationError('connectRoom needs `host` (with discovery) or `wsUrl`')
  }
  // An empty PIN is a mistake (an empty environment variable, say), not a room without a PIN.
  if (o.pin === '') throw new ConfigurationError('`pin` is empty: give the PIN, or leave `pin` out for a room without one')
  const host: unknown = o.host
  if (host !== undefined) {
    // Quoted back only without what could be a secret: user info (`user:pin@`) and the PIN itself.
    const shown = (value: string): string => {
      const withoutUser = value.replace(/^([^@]*:\/\/)?[^@/]*@/, '$1***@')
      return JSON.stringify(typeof o.pin === 'string' && o.pin !== '' ? withoutUser.split(o.pin).join('***') : withoutUser)
    }
    const text = String(host)
    const hint = text.includes('://') ? ': for URLs, use `wsUrl` and `httpUrl`' : ''
    if (typeof host !== 'string' || host === '' || /[\s/?#@\\]/.test(host)) {
      throw new ConfigurationError(`\`host\` takes a host name or an IP address (such as 192.168.1.20), not ${shown(text)}${hint}`)
    }
    // `name:port` or `[v6]:port`; a bare IPv6 address has colons too, but more than one and no brackets.
    const withPort = /^([^:[\]]+|\[[^\]]*\]):(\d*)$/.exec(host)
    if (withPort !== null) {
      throw new ConfigurationError(`\`host\` takes no port: pass host ${shown(withPort[1] as string)}, and the web port as \`webPort\``)
    }
    // Whatever else URL parsing rejects, or reads differently, would fail on every attempt.
    let parsed: URL | undefined
    try {
      parsed = new URL(origin('http', host, 1))
    } catch {
      parsed = undefined
    }
    if (parsed === undefined || parsed.port !== '1' || parsed.hostname === '') {
      throw new ConfigurationError(`\`host\` takes a host name or an IP address (such as 192.168.1.20), not ${shown(text)}`)
    }
  }
  if (o.webPort !== undefined && !(Number.isInteger(o.webPort) && o.webPort >= 1 && o.webPort <= 65535)) {
    throw new ConfigurationError(`\`webPort\` must be an integer from 1 to 65535, not ${String(o.webPort)}`)
  }
  const urls: ReadonlyArray<readonly [string, unknown, ReadonlyArray<string>]> = [
    ['wsUrl', o.wsUrl, ['ws:', 'wss:']],
    ['httpUrl', o.httpUrl, ['http:', 'https:']],
  ]
  for (const [key, value, schemes] of urls) {
    if (value === undefined) continue
    let url: URL
    try {
      url = new URL(String(value))
    } catch {
      throw new ConfigurationError(`\`${key}\` is not a valid URL: ${JSON.stringify(redactUrl(String(value)))}`)
    }
    if (!schemes.includes(url.protocol)) {
      throw new ConfigurationError(`\`${key}\` must start with ${schemes.map((p) => `${p}//`).join(' or ')}, not ${url.protocol}//`)
    }
  }
}

const SECRET_REPLY_FIELDS = ['token', 'tokenForHttpServer'] as const

/**
 * The connection keeps the tokens of `auth` and `getTokenForHttpServer` replies to itself: what
 * `messages$` shows has them replaced with `***`, so logging the stream leaks nothing.
 */
const withoutSecrets = (decoded: Decoded): Decoded => {
  if (decoded._tag !== 'Message') return decoded
  const message = decoded.message as { readonly method: string; readonly [key: string]: unknown }
  if (message.method !== 'auth' && message.method !== 'getTokenForHttpServer') return decoded
  const copy: Record<string, unknown> = { ...message }
  for (const key of SECRET_REPLY_FIELDS) if (typeof copy[key] === 'string') copy[key] = '***'
  return { _tag: 'Message', message: copy as unknown as RoomMessage }
}


/** The Node `ws` listener API, used when the socket has it. */
interface MessageEmitter {
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown
  removeAllListeners(event: 'message'): unknown
}

const closeQuietly = (socket: WebSocketLike): void => {
  socket.onopen = null
  socket.onmessage = null
  const emitter = socket as Partial<MessageEmitter>
  if (typeof emitter.removeAllListeners === 'function') emitter.removeAllListeners('message')
  socket.onclose = null
  socket.onerror = () => undefined
  try {
    socket.close(1000)
  } catch {
    // Closing a socket that never opened throws in some implementations; it is gone either way.
  }
}

/**
 * Creates a {@link RoomConnection}. Nothing happens until the first subscription or request.
 *
 * @example
 * import { WebSocket } from 'ws'
 * import { connectRoom } from '@org/file-events-stream'
 * const room = connectRoom({ host: '192.168.1.20', pin: process.env.ROOM_PIN, WebSocketCtor: WebSocket })
 * // Every stream errors with the terminal error (a wrong PIN, ...): handle it on each.
 * room.state$.subscribe({ next: (s) => console.log(s.status), error: (e: unknown) => console.error(e) })
 * room.fileRequests$.subscribe({
 *   next: (state) => console.log(state.activeCount, 'active transfers'),
 *   error: (e: unknown) => console.error(e),
 * })
 *
 * @category connection
 * @since 0.1.0
 */
export const connectRoom = (options: ConnectRoomOptions): RoomConnection => new RoomConnection(options)
