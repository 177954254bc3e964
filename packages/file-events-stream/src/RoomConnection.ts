import {
  type CommandMethod,
  type CommandReply,
  type DecodeFailure,
  type FileEvent,
  type FileEventOf,
  type SuccessReplyOf,
  fileIdToNumber,
  isCommandMethod,
} from '@org/file-events-codec'
import { Observable } from 'rxjs'
import {
  type Command,
  type ConnectRoomOptions,
  type PinSource,
  type RequestOptions,
  type ResolvedOptions,
  resolveConnectOptions,
} from './connectOptions'
import type { Decoded } from './decodeFrames'
import type { RoomEndpoints } from './discoverRoom'
import {
  ConfigurationError,
  ConnectionClosedError,
  ConnectionError,
  RequestTimeoutError,
} from './errors'
import type { FileRequestsState } from './fileRequestsReducer'
import { ReconnectPolicy } from './ReconnectPolicy'
import { firstWhere } from './internal/firstWhere'
import { InFlight } from './internal/InFlight'
import { Redactor } from './Redactor'
import { RequestManager } from './RequestManager'
import { RoomHttp } from './RoomHttp'
import { type ConnectionState, RoomOutputs } from './RoomOutputs'
import type {
  FileActionOptions,
  ReadyOptions,
  SendFileOptions,
  UploadFileOptions,
} from './actionOptions'

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
  /** What the connection started and has not seen end: `close()` waits for it. */
  private readonly inFlight = new InFlight()
  /** The promise `close()` gave, once called. */
  private closing: Promise<void> | undefined
  private readonly requests: RequestManager
  private readonly http: RoomHttp
  private readonly out: RoomOutputs
  private readonly policy: ReconnectPolicy
  /** Asked on every attempt; a closure, so that no inspection of the connection reaches the PIN. */
  private readonly credentials: () => PinSource | undefined

  /** The connection's state; replays the current one to a new subscriber. */
  readonly state$: Observable<ConnectionState>
  /**
   * Every frame, decoded (replies, events, failures): messages as the room sent them with their
   * secret fields (`credentials`, `token`, `tokenForHttpServer`) masked, failures with their reports
   * redacted.
   */
  readonly messages$: Observable<Decoded>
  /** The file events. */
  readonly events$: Observable<FileEvent>
  /** Frames that did not decode (the stream goes on). */
  readonly decodeFailures$: Observable<DecodeFailure>
  /**
   * The tracker's state after every burst of file events and every resync; replays the current one.
   * A state is folded when first read (see `FileRequestsState`).
   */
  readonly fileRequests$: Observable<FileRequestsState>

  constructor(options: ConnectRoomOptions) {
    this.o = resolveConnectOptions(options)
    const pin = options.pin
    this.credentials = () => pin
    const o = this.o
    const ended = new AbortController()
    this.requests = new RequestManager({
      scheduler: o.scheduler,
      requestTimeoutMs: o.requestTimeoutMs,
      maxQueuedRequests: o.maxQueuedRequests,
      sendFailed: (method, error) =>
        new ConnectionError(
          {
            url: this.policy.urls?.wsUrl ?? '',
            reason: 'send-failed',
            detail: `could not send ${method}: ${this.redactor.describe(error)}`,
          },
          { cause: this.redactor.scrub(error) },
        ),
    })
    this.http = new RoomHttp({
      fetch: o.fetch,
      scheduler: o.scheduler,
      httpTokenMaxAgeMs: o.httpTokenMaxAgeMs,
      httpTimeoutMs: o.httpTimeoutMs,
      redactor: this.redactor,
      baseUrl: () => this.policy.urls?.httpUrl ?? o.httpUrl,
      freshToken: async () => {
        const reply = await this.request({ method: 'getTokenForHttpServer' })
        this.out.learnTokens(reply)
        return reply.token
      },
      ended: ended.signal,
      endedWith: () => this.endedWith(),
    })
    this.out = new RoomOutputs(o, this.redactor, this.requests)
    this.policy = new ReconnectPolicy({
      o,
      redactor: this.redactor,
      requests: this.requests,
      http: this.http,
      out: this.out,
      credentials: this.credentials,
      ended,
      inFlight: this.inFlight,
    })
    this.out.evictedActive = (state) => {
      const shown = state.evictedActive.slice(0, 5).map((r) => r.fileRequestId)
      this.policy.log(
        'warn',
        'tracker-evicted-active',
        `more than maxActive (${state.options.maxActive}) unfinished file requests: evicted the oldest${state.evictedActive.length > shown.length ? ` (${shown.join(', ')}, ...)` : ` (${shown.join(', ')})`}`,
      )
    }
    // A subscription starts the connection first (as `defer` would, without its conversions).
    const started = <T>(source: Observable<T>, first?: () => void): Observable<T> =>
      new Observable<T>((subscriber) => {
        this.policy.start()
        first?.()
        return source.subscribe(subscriber)
      })
    this.state$ = started(this.out.state.observable)
    this.messages$ = started(this.out.messages.observable)
    this.events$ = started(this.out.events.observable)
    this.decodeFailures$ = started(this.out.failures.observable)
    // A new subscriber gets the state with every event received so far folded in.
    this.fileRequests$ = started(this.out.fileRequests.observable, () => this.out.tracker.flush())
  }

  /** The tracker's current state. */
  get fileRequests(): FileRequestsState {
    return this.out.tracker.state
  }

  /** The URLs in use, once known (after discovery). */
  get urls(): RoomEndpoints | undefined {
    return this.policy.urls
  }

  /**
   * Sends a command and resolves with its successful reply. Rejects with `CommandFailedError`
   * (`result: false`), `RequestTimeoutError`, `ReplyDecodeError`, `ConnectionError` (the socket
   * dropped while waiting), `RequestQueueFullError`, the signal's reason when `signal` aborts,
   * `ConnectionClosedError` (after `close()`), or the error that ended the connection. Made while
   * disconnected, it waits for the connection (its timeout running).
   */
  request<M extends CommandMethod>(
    command: Command<M> & { method: M },
    options?: RequestOptions,
  ): Promise<SuccessReplyOf<M>> {
    return this.send(command, options) as Promise<SuccessReplyOf<M>>
  }

  /**
   * Sends a command this package does not model (`getSettings`, `getSystemInfo`, ...) and resolves
   * with its reply, decoded only as a `CommandReply` (every other field kept). Rejects as
   * {@link RoomConnection.request} does. A modelled command is refused here with a
   * `ConfigurationError`: `request` types both its sides.
   *
   * @example
   * import type { RoomConnection } from '@org/file-events-stream'
   * declare const room: RoomConnection
   * const settings = await room.requestRaw({ method: 'getSettings' })
   * console.log(settings.result)
   */
  requestRaw(command: RawCommand, options?: RequestOptions): Promise<CommandReply> {
    if (isCommandMethod(command.method) || command.method === 'event') {
      return Promise.reject(
        new ConfigurationError({
          detail: `${command.method} is not for requestRaw: use request(), which types the command and its reply`,
        }),
      )
    }
    return this.send(command, options) as Promise<CommandReply>
  }

  /** Accepts an inbound file request; rejects as {@link RoomConnection.request} does. */
  async acceptFile(fileRequestId: string, options?: FileActionOptions): Promise<void> {
    await this.request({ method: 'acceptIncomingFileRequest', fileRequestId }, options)
  }

  /** Declines an inbound file request; rejects as {@link RoomConnection.request} does. */
  async rejectFile(fileRequestId: string, options?: FileActionOptions): Promise<void> {
    await this.request({ method: 'rejectIncomingFileRequest', fileRequestId }, options)
    this.out.tracker.push({ type: 'rejected', fileRequestId, at: this.out.tracker.now() })
  }

  /**
   * Uploads bytes to the room's HTTP server and resolves with the new `fileId`. The body is
   * streamed (on Node a `Blob` from `fs.openAsBlob` is read only as the socket takes it) and never
   * sent on by a redirect: a 3xx answer is an `HttpError`. `httpTimeoutMs` cuts an upload only
   * when it stalls (no piece taken, or no answer once all is sent, for that long); bound its whole
   * time with `signal`. Rejects with `HttpError`, a `ConfigurationError` for an empty `fileName`,
   * the signal's reason when `signal` aborts, or, once the connection has ended, the error that
   * ended it (`ConnectionClosedError` after `close()`).
   *
   * @example
   * import type { RoomConnection } from '@org/file-events-stream'
   * declare const room: RoomConnection
   * declare const file: Blob
   * // At most ten minutes in all, however steadily the bytes move.
   * const fileId = await room.uploadFile(file, 'report.pdf', { signal: AbortSignal.timeout(600_000) })
   * console.log(fileId)
   */
  uploadFile(
    data: Blob | Uint8Array | string,
    fileName: string,
    options?: UploadFileOptions,
  ): Promise<number> {
    return this.inFlight.track(this.http.upload(data, fileName, options?.signal))
  }

  /**
   * Uploads a file, then sends it to a peer (`sendFile`) or to the conference
   * (`sendFileToConference`); resolves with the new outbound `fileRequestId`. `signal` aborts the
   * upload (see {@link RoomConnection.uploadFile}); aborted by the time it is done, no command is
   * sent.
   */
  async sendFile(options: SendFileOptions): Promise<string> {
    const signal = options.signal
    const fileId = await this.uploadFile(
      options.data,
      options.fileName,
      signal === undefined ? undefined : { signal },
    )
    if (signal?.aborted === true) throw signal.reason
    return this.sendUploaded(fileId, options.to, signal === undefined ? undefined : { signal })
  }

  /**
   * Sends a file already on the room's HTTP server; resolves with the new `fileRequestId`. Rejects
   * as {@link RoomConnection.request} does (with the signal's reason when `signal` aborts).
   */
  async sendUploaded(fileId: number, to: string, options?: FileActionOptions): Promise<string> {
    const signal = options?.signal
    if (to === 'conference') {
      const timeoutMs = this.o.requestTimeoutMs
      const method = 'outgoingFileRequestSentToConference'
      const sent = firstWhere(
        this.events$,
        (e): e is FileEventOf<typeof method> =>
          e.event === method && fileIdToNumber(e.fileId) === fileId,
        {
          ended: () => this.endedWith() ?? new ConnectionClosedError(),
          signal,
          timeout: {
            ms: timeoutMs,
            scheduler: this.o.scheduler,
            error: () => new RequestTimeoutError({ method, requestId: '', timeoutMs }),
          },
        },
      )
      // Waited for only when the reply has no id: a rejection of it must not go unhandled.
      sent.promise.catch(() => undefined)
      try {
        const reply = await this.request({ method: 'sendFileToConference', fileId }, options)
        if (reply.sentFileRequestId !== undefined) return reply.sentFileRequestId
        // The reply's payload is undocumented: without an id, the matching event names the request.
        const event = await sent.promise
        return event.fileRequestId
      } finally {
        sent.cancel()
      }
    }
    // The documentation names the target `callId`, TrueConf's own clients send `peerId`: send both.
    const reply = await this.request(
      { method: 'sendFile', fileId, peerId: to, callId: to },
      options,
    )
    return reply.sentFileRequestId
  }

  /**
   * Starts a download of a file from the room's HTTP server and resolves with the response
   * (a 2xx one; the body unread). Rejects with `HttpError`. The Node entry's `downloadFile` writes it
   * to disk safely. The end of the connection aborts the body's reading; with a `signal`, the
   * connection holds a listener on it until the signal aborts or the connection ends.
   */
  async openDownload(
    fileId: number | string,
    init?: { readonly signal?: AbortSignal },
  ): Promise<Response> {
    return (await this.openDownloadLinked(fileId, init?.signal)).response
  }

  /**
   * {@link RoomConnection.openDownload}, with the function that drops the links between the
   * caller's signal and the connection's, to call once the body has been read.
   */
  protected openDownloadLinked(
    fileId: number | string,
    signal: AbortSignal | undefined,
  ): Promise<{ response: Response; unlink: () => void }> {
    return this.inFlight.track(this.http.download(fileId, signal))
  }

  /**
   * Drops the current socket, if any, and connects again now, without waiting for a backoff delay:
   * for a network change the caller knows about. Requests in flight fail with a `ConnectionError`
   * (reason `reconnect`); queued ones wait for the new socket. Does nothing once closed.
   */
  reconnect(): void {
    this.policy.reconnect()
  }

  /**
   * Ends the connection for good: the socket closes, discovery and HTTP requests in flight are
   * aborted, the streams complete, pending requests reject with `ConnectionClosedError`. All of that
   * starts at once; the promise resolves when it is over: the socket closed (or given up on after
   * 2 s), every timer cleared, every request, upload and download settled (a download's partial file
   * removed). Calling it again gives the same promise.
   *
   * @example
   * import type { RoomConnection } from '@org/file-events-stream'
   * declare const room: RoomConnection
   * await room.close() // nothing of the connection is left running
   */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing
    if (this.policy.endedWith() === undefined)
      this.policy.finish({ status: 'closed', reason: 'closed-by-caller' }, undefined)
    this.closing = this.inFlight.settled()
    return this.closing
  }

  /**
   * `await using room = connectRoom(...)`: the connection is closed, and waited for, at the end of
   * the block.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  /**
   * Resolves with the next `ready` state (at once when the connection is ready now), connecting if
   * nothing has yet. Rejects with the error that ends the connection (`AuthenticationError`,
   * `RetriesExhaustedError`, ...; `ConnectionClosedError` after `close()`), or with the signal's
   * reason when `signal` aborts.
   *
   * @example
   * import type { RoomConnection } from '@org/file-events-stream'
   * declare const room: RoomConnection
   * const state = await room.ready({ signal: AbortSignal.timeout(30_000) })
   * console.log(`ready at ${state.url}`)
   */
  ready(options?: ReadyOptions): Promise<ReadyState> {
    // state$ replays the current state, or how the connection ended.
    return firstWhere(this.state$, isReady, {
      ended: () => this.endedWith() ?? new ConnectionClosedError(),
      signal: options?.signal,
    }).promise
  }

  /** Keeps `work` among what `close()` waits for; returns it. */
  protected tracked<T>(work: Promise<T>): Promise<T> {
    return this.inFlight.track(work)
  }

  /**
   * The error that ended the connection (`ConnectionClosedError` after `close()`), or undefined
   * while it is open: what an action started or running after the end rejects with.
   */
  protected endedWith(): unknown {
    return this.policy.endedWith()
  }

  private send(command: RawCommand, options: RequestOptions | undefined): Promise<unknown> {
    const sent = new Promise((resolve, reject) => {
      const ended = this.endedWith()
      if (ended !== undefined) {
        reject(ended)
        return
      }
      this.requests.send(
        command,
        { timeoutMs: options?.timeoutMs, signal: options?.signal },
        (error, reply) => (error === undefined ? resolve(reply) : reject(error)),
      )
      this.policy.start()
    })
    return this.inFlight.track(sent)
  }
}

type ReadyState = Extract<ConnectionState, { status: 'ready' }>
const isReady = (state: ConnectionState): state is ReadyState => state.status === 'ready'

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
export const connectRoom = (options: ConnectRoomOptions): RoomConnection =>
  new RoomConnection(options)
