import {
  type CommandMethod,
  type CommandReply,
  type DecodeFailure,
  type FileEvent,
  type FileEventOf,
  type SuccessReplyOf,
  fileIdToNumber,
  isCommandMethod,
  isFileEvent,
  isReply,
} from '@org/file-events-codec'
import { BehaviorSubject, type Observable, ReplaySubject, Subject, type Subscription, defer, filter } from 'rxjs'
import { type Command, type ConnectRoomOptions, type ConnectionLogEntry, type PinSource, type RequestOptions, type ResolvedOptions, resolveConnectOptions } from './connectOptions'
import { type Decoded, decodeFrame } from './decodeFrames'
import type { RoomEndpoints } from './discoverRoom'
import { CommandFailedError, ConfigurationError, ConnectionClosedError, ConnectionError, ReplyDecodeError, RetriesExhaustedError } from './errors'
import { type FileRequestsAction, type FileRequestsState, initialFileRequestsState } from './fileRequestsReducer'
import { TrackerDriver } from './internal/TrackerDriver'
import { Redactor } from './Redactor'
import { RequestManager } from './RequestManager'
import { RoomHttp } from './RoomHttp'
import { RoomSession, type SessionEnd, type SessionHost } from './RoomSession'

/**
 * The connection's state, as `state$` emits it.
 *
 * - `connecting`: discovering and opening the socket (attempt 0 is the first connect);
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

type RawCommand = { readonly method: string; readonly [key: string]: unknown }

/**
 * A connection to a room: one WebSocket at a time, authenticated, resynchronized and reconnected as
 * needed, shared by every subscriber and request. It connects on the first subscription to one of
 * its streams or the first request, and stays up (reconnecting) until {@link RoomConnection.close}.
 * Each socket's life is a `RoomSession`; this class holds the reconnect policy, the outputs and the
 * actions. Create it with {@link connectRoom}.
 *
 * @category connection
 * @since 0.1.0
 */
export class RoomConnection {
  private readonly o: ResolvedOptions
  private readonly redactor = new Redactor()
  private readonly requests: RequestManager
  private readonly http: RoomHttp
  private readonly tracker: TrackerDriver
  private readonly stateSubject = new ReplaySubject<ConnectionState>(1)
  private readonly messageSubject = new Subject<Decoded>()
  // Their own subjects rather than filters over messages$: no operator chain per frame and subscriber.
  private readonly eventSubject = new Subject<FileEvent>()
  private readonly failureSubject = new Subject<DecodeFailure>()
  private readonly trackerSubject: BehaviorSubject<FileRequestsState>
  private phase: 'idle' | 'running' | 'closed' = 'idle'
  private session: RoomSession | undefined
  private endpoints: RoomEndpoints | undefined
  /** Attempts in a row that failed (a session that did not stay up `minUptimeMs` included). */
  private attempt = 0
  private connects = 0
  private reconnectTimer: Subscription | undefined
  private uptimeTimer: Subscription | undefined
  /** Why the connection ended, unless the caller closed it. */
  private terminalError: unknown
  /** Aborted by the end of the connection: HTTP requests and downloads in flight stop with it. */
  private readonly ended = new AbortController()
  /** Asked on every attempt; a closure, so that no inspection of the connection reaches the PIN. */
  private readonly credentials: () => PinSource | undefined

  /** The connection's state; replays the current one to a new subscriber. */
  readonly state$: Observable<ConnectionState>
  /** Every frame, decoded (replies, events, failures), secrets redacted. */
  readonly messages$: Observable<Decoded>
  /** The file events. */
  readonly events$: Observable<FileEvent>
  /** Frames that did not decode (the stream goes on). */
  readonly decodeFailures$: Observable<DecodeFailure>
  /** The tracker's state after every burst of file events and every resync; replays the current one. */
  readonly fileRequests$: Observable<FileRequestsState>

  constructor(options: ConnectRoomOptions) {
    this.o = resolveConnectOptions(options)
    const pin = options.pin
    this.credentials = () => pin
    const o = this.o
    this.requests = new RequestManager({
      scheduler: o.scheduler,
      requestTimeoutMs: o.requestTimeoutMs,
      maxQueuedRequests: o.maxQueuedRequests,
      sendFailed: (method, error) =>
        new ConnectionError({ url: this.endpoints?.wsUrl ?? '', reason: 'send-failed', detail: `could not send ${method}: ${this.redactor.describe(error)}` }, { cause: this.redactor.scrub(error) }),
    })
    this.http = new RoomHttp({
      fetch: o.fetch,
      scheduler: o.scheduler,
      httpTokenMaxAgeMs: o.httpTokenMaxAgeMs,
      redactor: this.redactor,
      baseUrl: () => this.endpoints?.httpUrl ?? o.httpUrl,
      freshToken: async () => {
        const reply = await this.request({ method: 'getTokenForHttpServer' })
        this.redactor.learn(reply.token)
        return reply.token
      },
      ended: this.ended.signal,
      endedWith: () => this.endedWith(),
    })
    this.trackerSubject = new BehaviorSubject(initialFileRequestsState(o.tracker))
    this.tracker = new TrackerDriver(this.trackerSubject.getValue(), {
      scheduler: o.scheduler,
      batch: true,
      emit: (state) => this.trackerSubject.next(state),
      fail: (error) => this.trackerSubject.error(error),
    })
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
        this.tracker.flush()
        return this.trackerSubject.asObservable()
      }),
    )
  }

  /** The tracker's current state. */
  get fileRequests(): FileRequestsState {
    return this.tracker.state
  }

  /** The URLs in use, once known (after discovery). */
  get urls(): RoomEndpoints | undefined {
    return this.endpoints
  }

  /**
   * Sends a command and resolves with its successful reply. Rejects with `CommandFailedError`
   * (`result: false`), `RequestTimeoutError`, `ReplyDecodeError`, `ConnectionError` (the socket
   * dropped while waiting), `RequestQueueFullError`, the signal's reason when `signal` aborts,
   * `ConnectionClosedError` (after `close()`), or the error that ended the connection. Made while
   * disconnected, it waits for the connection (its timeout running).
   */
  request<M extends CommandMethod>(command: Command<M> & { method: M }, options?: RequestOptions): Promise<SuccessReplyOf<M>> {
    return this.send(command, options) as Promise<SuccessReplyOf<M>>
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
  requestRaw(command: RawCommand, options?: RequestOptions): Promise<CommandReply> {
    if (isCommandMethod(command.method) || command.method === 'event') {
      return Promise.reject(new ConfigurationError({ detail: `${command.method} is not for requestRaw: use request(), which types the command and its reply` }))
    }
    return this.send(command, options) as Promise<CommandReply>
  }

  /** Accepts an inbound file request. */
  async acceptFile(fileRequestId: string): Promise<void> {
    await this.request({ method: 'acceptIncomingFileRequest', fileRequestId })
  }

  /** Declines an inbound file request. */
  async rejectFile(fileRequestId: string): Promise<void> {
    await this.request({ method: 'rejectIncomingFileRequest', fileRequestId })
    this.tracker.push({ type: 'rejected', fileRequestId, at: this.tracker.now() })
  }

  /**
   * Uploads bytes to the room's HTTP server and resolves with the new `fileId`. Rejects with
   * `HttpError`, a `ConfigurationError` for an empty `fileName`, or, once the connection has
   * ended, the error that ended it (`ConnectionClosedError` after `close()`).
   */
  uploadFile(data: Blob | Uint8Array | string, fileName: string): Promise<number> {
    return this.http.upload(data, fileName)
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
    return this.http.download(fileId, signal)
  }

  /**
   * Drops the current socket, if any, and connects again now, without waiting for a backoff delay:
   * for a network change the caller knows about. Requests in flight fail with a `ConnectionError`
   * (reason `reconnect`); queued ones wait for the new socket. Does nothing once closed.
   */
  reconnect(): void {
    if (this.phase === 'closed') return
    if (this.phase === 'idle') {
      this.start()
      return
    }
    const session = this.session
    this.session = undefined
    session?.stop()
    this.reconnectTimer?.unsubscribe()
    this.uptimeTimer?.unsubscribe()
    const url = this.endpoints?.wsUrl ?? ''
    this.requests.close(new ConnectionError({ url, reason: 'reconnect', detail: 'the caller asked for a new connection (reconnect())' }))
    this.log('info', 'reconnect', 'reconnecting at the caller’s request')
    this.attempt = 0
    this.open()
  }

  /**
   * Ends the connection for good: the socket closes, discovery and HTTP requests in flight are
   * aborted, the streams complete, pending requests reject with `ConnectionClosedError`.
   */
  close(): void {
    if (this.phase === 'closed') return
    this.finish({ status: 'closed', reason: 'closed-by-caller' }, undefined)
  }

  /**
   * The error that ended the connection (`ConnectionClosedError` after `close()`), or undefined
   * while it is open: what an action started or running after the end rejects with.
   */
  protected endedWith(): unknown {
    return this.phase === 'closed' ? (this.terminalError ?? new ConnectionClosedError()) : undefined
  }

  // The walk of one frame: decode, redact, answer a request, track, fan out.
  private receive(data: unknown): void {
    const text = typeof data === 'string' ? data : undefined
    const raw = decodeFrame(typeof data === 'string' || data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? data : String(data), { maxFrameBytes: this.o.maxFrameBytes })
    if (raw._tag === 'Message' && isReply(raw.message)) {
      const message = raw.message
      // The `auth` reply's tokens are read before redaction, which would hide them.
      if (message.method === 'auth' && message.result !== false) this.secretsOf(message as { readonly token?: unknown; readonly tokenForHttpServer?: unknown })
      this.requests.answer(message.method, message.requestId, (method, requestId) =>
        message.result === false
          ? {
              error: new CommandFailedError({
                method,
                requestId,
                serverError: typeof message.error === 'string' ? this.redactor.redact(message.error, 1000) : undefined,
                resultCode: typeof message.resultCode === 'number' ? message.resultCode : undefined,
              }),
              reply: undefined,
            }
          : { error: undefined, reply: message },
      )
    }
    const decoded = this.redactor.decoded(withoutTokens(raw), text)
    if (decoded._tag === 'DecodeFailure' && decoded.event === undefined && (decoded.requestId !== undefined || decoded.method !== undefined)) {
      const named = this.requests.match(decoded.method, decoded.requestId)
      if (named !== undefined && (decoded.method === undefined || decoded.method === named.method)) {
        this.requests.answer(decoded.method, decoded.requestId, (method, requestId) => ({ error: new ReplyDecodeError({ method, requestId, failure: decoded }), reply: undefined }))
      }
    }
    const event = decoded._tag === 'Message' && isFileEvent(decoded.message) ? decoded.message : undefined
    if (event !== undefined) this.tracker.push({ type: 'event', event, at: this.tracker.now() })
    this.messageSubject.next(decoded)
    if (event !== undefined) this.eventSubject.next(event)
    else if (decoded._tag === 'DecodeFailure') this.failureSubject.next(decoded)
  }

  private secretsOf(reply: { readonly token?: unknown; readonly tokenForHttpServer?: unknown }): void {
    if (typeof reply.token === 'string') this.redactor.learn(reply.token)
    if (typeof reply.tokenForHttpServer === 'string') this.redactor.learn(reply.tokenForHttpServer)
  }

  private send(command: RawCommand, options: RequestOptions | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const ended = this.endedWith()
      if (ended !== undefined) {
        reject(ended)
        return
      }
      this.requests.send(command, { timeoutMs: options?.timeoutMs, signal: options?.signal }, (error, reply) => (error === undefined ? resolve(reply) : reject(error)))
      this.start()
    })
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

  // The reconnect policy.

  private start(): void {
    if (this.phase !== 'idle') return
    this.phase = 'running'
    this.open()
  }

  private open(): void {
    this.reconnectTimer = undefined
    const session: RoomSession = new RoomSession(this.sessionHost(() => this.session === session), this.attempt)
    this.session = session
    session.start()
  }

  /** What a session reports; `current` says whether it is still the connection's session. */
  private sessionHost(current: () => boolean): SessionHost {
    const attempt = this.attempt
    const host: SessionHost = {
      options: this.o,
      redactor: this.redactor,
      requests: this.requests,
      pin: this.credentials,
      connecting: (url) => {
        if (!current()) return
        this.log('debug', 'connecting', `connecting (attempt ${attempt})`)
        this.stateSubject.next({ status: 'connecting', attempt, url: this.endpoints?.wsUrl ?? url })
      },
      discovered: (endpoints, ignoredHosts, failure) => {
        if (!current()) return
        this.endpoints = endpoints
        if (failure !== undefined) this.log('warn', 'discovery-failed', `${failure}; trying the default ports`)
        if (ignoredHosts.length > 0) {
          this.log('warn', 'discovery-host-ignored', `config.json named ${ignoredHosts.join(', ')}, not the host given; connecting to the host given (trustDiscoveredHosts is off)`)
        }
      },
      authenticating: (url) => {
        if (!current()) return
        this.log('debug', 'open', `socket open at ${url}`)
        this.stateSubject.next({ status: 'authenticating', attempt, url })
      },
      authenticated: (reply) => {
        if (!current()) return
        this.secretsOf(reply)
        this.http.authenticated(reply.tokenForHttpServer)
        this.log('debug', 'authenticated', 'the room accepted auth')
      },
      resynced: ({ incoming, outgoing, history }) => {
        if (!current()) return
        const action: FileRequestsAction = {
          type: 'snapshot',
          incoming: incoming.incomingFilesRequests,
          outgoing: outgoing.outgoingFilesRequests,
          history: history.filesRequests,
          at: this.o.scheduler.now(),
        }
        this.tracker.push(action)
      },
      ready: (url, send, resyncError) => {
        if (!current()) return
        this.connects++
        this.log('info', 'ready', `ready at ${url} (connection ${this.connects})`)
        this.stateSubject.next(resyncError === undefined ? { status: 'ready', url, connects: this.connects } : { status: 'ready', url, connects: this.connects, resyncError })
        // The backoff starts over only once a session has stayed up: a room that drops every
        // session right after auth is retried ever more slowly.
        this.uptimeTimer = this.o.scheduler.schedule(() => {
          this.attempt = 0
        }, this.o.minUptimeMs)
        this.requests.open(send)
      },
      frame: (data) => {
        if (current()) this.receive(data)
      },
      ended: (end) => {
        if (current()) this.sessionEnded(end)
      },
    }
    return host
  }

  private sessionEnded(end: SessionEnd): void {
    this.session = undefined
    this.uptimeTimer?.unsubscribe()
    if (end.kind === 'fatal') {
      this.finish({ status: 'closed', reason: end.reason, error: end.error }, end.error)
      return
    }
    const error = end.error
    const url = this.endpoints?.wsUrl ?? ''
    this.requests.close(
      typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_CONNECTION'
        ? error
        : new ConnectionError({ url, reason: 'closed', detail: `the connection was lost: ${this.redactor.describe(error)}` }, { cause: this.redactor.scrub(error) }),
    )
    // `attempt` numbers the attempts from 0: after this increment it counts the failed ones in a row.
    this.attempt++
    this.log('warn', 'dropped', `attempt failed or connection lost: ${this.redactor.describe(error)}`)
    if (this.attempt > this.o.maxRetries) {
      const exhausted = new RetriesExhaustedError({ attempts: this.attempt, lastError: error })
      this.finish({ status: 'closed', reason: 'retries-exhausted', error: exhausted }, exhausted)
      return
    }
    const delayMs = Math.max(0, this.o.backoff(this.attempt))
    this.log('info', 'reconnect-scheduled', `reconnecting in ${Math.round(delayMs)} ms (attempt ${this.attempt})`)
    this.stateSubject.next({ status: 'reconnecting', attempt: this.attempt, delayMs, lastError: error })
    this.reconnectTimer = this.o.scheduler.schedule(() => {
      if (this.phase === 'running' && this.session === undefined) this.open()
    }, delayMs)
  }

  private finish(state: Extract<ConnectionState, { status: 'closed' }>, error: unknown): void {
    this.phase = 'closed'
    this.terminalError = error
    this.ended.abort()
    this.reconnectTimer?.unsubscribe()
    this.uptimeTimer?.unsubscribe()
    const session = this.session
    this.session = undefined
    session?.stop()
    // Requests pending now fail with the same error as the ones made later, so one check covers both.
    this.requests.end(error ?? new ConnectionClosedError())
    this.log(error === undefined ? 'info' : 'error', 'closed', error === undefined ? 'closed by the caller' : `closed: ${this.redactor.describe(error)}`)
    this.stateSubject.next(state)
    this.tracker.stop()
    const subjects = [this.stateSubject, this.messageSubject, this.eventSubject, this.failureSubject, this.trackerSubject] as const
    for (const subject of subjects) {
      if (error === undefined) subject.complete()
      else subject.error(error)
    }
  }

  private log(level: ConnectionLogEntry['level'], event: string, message: string): void {
    const logger = this.o.logger
    if (logger === undefined) return
    try {
      logger({ level, event, message: this.redactor.redact(message, 2000), attempt: this.attempt })
    } catch {
      // A logger that throws must not break the connection.
    }
  }
}

const SECRET_REPLY_FIELDS = ['token', 'tokenForHttpServer'] as const

/**
 * The connection keeps the tokens of `auth` and `getTokenForHttpServer` replies to itself: what
 * `messages$` shows has them replaced with `***`, so logging the stream leaks nothing.
 */
const withoutTokens = (decoded: Decoded): Decoded => {
  if (decoded._tag !== 'Message') return decoded
  const message = decoded.message as { readonly method: string; readonly [key: string]: unknown }
  if (message.method !== 'auth' && message.method !== 'getTokenForHttpServer') return decoded
  const copy: Record<string, unknown> = { ...message }
  for (const key of SECRET_REPLY_FIELDS) if (typeof copy[key] === 'string') copy[key] = '***'
  return { _tag: 'Message', message: copy as unknown as typeof decoded.message }
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
