import { type CommandMethod, type CommandReply, type DecodeFailure, type FileEvent, type FileEventOf, type SuccessReplyOf, fileIdToNumber, isCommandMethod } from '@org/file-events-codec'
import { type Observable, type Subscription, defer, filter } from 'rxjs'
import { type Command, type ConnectRoomOptions, type ConnectionLogEntry, type PinSource, type RequestOptions, type ResolvedOptions, resolveConnectOptions } from './connectOptions'
import type { Decoded } from './decodeFrames'
import type { RoomEndpoints } from './discoverRoom'
import { ConfigurationError, ConnectionClosedError, ConnectionError, RetriesExhaustedError } from './errors'
import type { FileRequestsAction, FileRequestsState } from './fileRequestsReducer'
import { Redactor } from './Redactor'
import { RequestManager } from './RequestManager'
import { RoomHttp } from './RoomHttp'
import { type ConnectionState, RoomOutputs } from './RoomOutputs'
import { RoomSession, type SessionEnd, type SessionHost } from './RoomSession'

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
  private readonly out: RoomOutputs
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
        this.out.learnTokens(reply)
        return reply.token
      },
      ended: this.ended.signal,
      endedWith: () => this.endedWith(),
    })
    this.out = new RoomOutputs(o, this.redactor, this.requests)
    const started = <T>(source: Observable<T>): Observable<T> =>
      defer(() => {
        this.start()
        return source
      })
    this.state$ = started(this.out.state.asObservable())
    this.messages$ = started(this.out.messages.asObservable())
    this.events$ = started(this.out.events.asObservable())
    this.decodeFailures$ = started(this.out.failures.asObservable())
    // A new subscriber gets the state with every event received so far folded in.
    this.fileRequests$ = started(
      defer(() => {
        this.out.tracker.flush()
        return this.out.fileRequests.asObservable()
      }),
    )
  }

  /** The tracker's current state. */
  get fileRequests(): FileRequestsState {
    return this.out.tracker.state
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
    this.out.tracker.push({ type: 'rejected', fileRequestId, at: this.out.tracker.now() })
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
        this.out.state.next({ status: 'connecting', attempt, url: this.endpoints?.wsUrl ?? url })
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
        this.out.state.next({ status: 'authenticating', attempt, url })
      },
      authenticated: (reply) => {
        if (!current()) return
        this.out.learnTokens(reply)
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
        this.out.tracker.push(action)
      },
      ready: (url, send, resyncError) => {
        if (!current()) return
        this.connects++
        this.log('info', 'ready', `ready at ${url} (connection ${this.connects})`)
        this.out.state.next(resyncError === undefined ? { status: 'ready', url, connects: this.connects } : { status: 'ready', url, connects: this.connects, resyncError })
        // The backoff starts over only once a session has stayed up: a room that drops every
        // session right after auth is retried ever more slowly.
        this.uptimeTimer = this.o.scheduler.schedule(() => {
          this.attempt = 0
        }, this.o.minUptimeMs)
        this.requests.open(send)
      },
      frame: (data) => {
        if (current()) this.out.receive(data)
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
    this.out.state.next({ status: 'reconnecting', attempt: this.attempt, delayMs, lastError: error })
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
    this.out.end(state, error)
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
