import type { SuccessReplyOf } from '@org/file-events-codec'
import type { Subscription } from 'rxjs'
import type { ConnectionLogEntry, PinSource, ResolvedOptions } from './connectOptions'
import type { RoomEndpoints } from './discoverRoom'
import { ConnectionClosedError, ConnectionError, RetriesExhaustedError } from './errors'
import type { FileRequestsAction } from './fileRequestsReducer'
import type { Redactor } from './Redactor'
import type { RequestManager } from './RequestManager'
import type { RoomHttp } from './RoomHttp'
import type { ConnectionState, RoomOutputs } from './RoomOutputs'
import type { InFlight } from './internal/InFlight'
import { RoomSession, type SessionEnd, type SessionHost } from './RoomSession'

/** The parts of a connection the policy drives. */
export interface ConnectionParts {
  readonly o: ResolvedOptions
  readonly redactor: Redactor
  readonly requests: RequestManager
  readonly http: RoomHttp
  readonly out: RoomOutputs
  /** Aborted by the end of the connection: HTTP requests and downloads in flight stop with it. */
  readonly ended: AbortController
  /** Asked on every attempt; a closure, so that no inspection reaches the PIN. */
  readonly credentials: () => PinSource | undefined
  /** What the connection started and has not seen end, for `close()` to wait for. */
  readonly inFlight: InFlight
}

/**
 * The reconnect policy: one `RoomSession` at a time; after a session ends, the backoff delay, then
 * another, until `maxRetries` attempts in a row failed; the backoff starts over once a session stayed
 * ready `minUptimeMs`. It reports every state on `state$` and every event to the logger, and ends
 * the connection on a fatal session end, on exhausted retries, or on `close()`.
 *
 * @internal
 */
export class ReconnectPolicy implements SessionHost {
  private phase: 'idle' | 'running' | 'closed' = 'idle'
  private session: RoomSession | undefined
  /** The session opened in this turn of the event loop, if any: see `reconnect()`. */
  private fresh: RoomSession | undefined
  private endpoints: RoomEndpoints | undefined
  /** Attempts in a row that failed (a session that did not stay up `minUptimeMs` included). */
  private attempt = 0
  private connects = 0
  private reconnectTimer: Subscription | undefined
  private uptimeTimer: Subscription | undefined
  /** Why the connection ended, unless the caller closed it. */
  private terminalError: unknown

  constructor(private readonly parts: ConnectionParts) {}

  /** The URLs in use, once known. */
  get urls(): RoomEndpoints | undefined {
    return this.endpoints
  }

  /**
   * The error that ended the connection (`ConnectionClosedError` after `close()`), or undefined
   * while it is open.
   */
  endedWith(): unknown {
    return this.phase === 'closed' ? (this.terminalError ?? new ConnectionClosedError()) : undefined
  }

  /**
   * Drops the current socket, if any, and connects again now; does nothing once closed. Calls in a
   * row cost one attempt: while the attempt the last call started has heard nothing from the
   * network in the same turn of the event loop (its discovery or socket only just asked for), a
   * new one would start from exactly the same point, so the call returns at once instead of
   * starting and aborting another discovery.
   */
  reconnect(): void {
    if (this.phase === 'closed') return
    if (this.phase === 'idle') {
      this.start()
      return
    }
    if (this.fresh !== undefined && this.fresh === this.session && this.fresh.starting) {
      this.attempt = 0
      return
    }
    const session = this.session
    this.session = undefined
    session?.stop()
    this.reconnectTimer?.unsubscribe()
    this.uptimeTimer?.unsubscribe()
    const url = this.endpoints?.wsUrl ?? ''
    this.parts.requests.close(
      new ConnectionError({
        url,
        reason: 'reconnect',
        detail: 'the caller asked for a new connection (reconnect())',
      }),
    )
    this.log('info', 'reconnect', 'reconnecting at the caller’s request')
    this.attempt = 0
    this.open()
  }

  /** Connects, unless it already did (or is closed). */
  start(): void {
    if (this.phase !== 'idle') return
    this.phase = 'running'
    this.open()
  }

  private open(): void {
    this.reconnectTimer = undefined
    const session = new RoomSession(this, this.attempt)
    this.session = session
    session.start()
    // Until the next microtask, a reconnect() finds this attempt exactly as it began.
    this.fresh = session
    queueMicrotask(() => {
      if (this.fresh === session) this.fresh = undefined
    })
  }

  // What the sessions report (this is their `SessionHost`); a session that is no longer the current
  // one is not listened to.

  get options(): ResolvedOptions {
    return this.parts.o
  }

  get redactor(): Redactor {
    return this.parts.redactor
  }

  get requests(): RequestManager {
    return this.parts.requests
  }

  get pin(): () => PinSource | undefined {
    return this.parts.credentials
  }

  connecting(session: RoomSession, url: string | undefined): void {
    if (session !== this.session) return
    this.log('debug', 'connecting', `connecting (attempt ${session.attempt})`)
    this.parts.out.state.next({
      status: 'connecting',
      attempt: session.attempt,
      url: this.endpoints?.wsUrl ?? url,
    })
  }

  discovered(
    session: RoomSession,
    endpoints: RoomEndpoints,
    ignoredHosts: ReadonlyArray<string>,
    failure: string | undefined,
  ): void {
    if (session !== this.session) return
    // The URLs alone: what discovery found may carry more (the hosts it ignored).
    this.endpoints = { wsUrl: endpoints.wsUrl, httpUrl: endpoints.httpUrl }
    if (failure !== undefined)
      this.log('warn', 'discovery-failed', `${failure}; trying the default ports`)
    if (ignoredHosts.length > 0) {
      this.log(
        'warn',
        'discovery-host-ignored',
        `config.json named ${ignoredHosts.join(', ')}, not the host given; connecting to the host given (trustDiscoveredHosts is off)`,
      )
    }
  }

  authenticating(session: RoomSession, url: string): void {
    if (session !== this.session) return
    this.log('debug', 'open', `socket open at ${url}`)
    this.parts.out.state.next({ status: 'authenticating', attempt: session.attempt, url })
  }

  authenticated(session: RoomSession, reply: SuccessReplyOf<'auth'>): void {
    if (session !== this.session) return
    this.parts.out.learnTokens(reply)
    this.parts.http.authenticated(reply.tokenForHttpServer)
    this.log('debug', 'authenticated', 'the room accepted auth')
  }

  resynced(
    session: RoomSession,
    { incoming, outgoing, history }: Parameters<SessionHost['resynced']>[1],
  ): void {
    if (session !== this.session) return
    const action: FileRequestsAction = {
      type: 'snapshot',
      incoming: incoming.incomingFilesRequests,
      outgoing: outgoing.outgoingFilesRequests,
      history: history.filesRequests,
      at: this.parts.o.scheduler.now(),
    }
    this.parts.out.tracker.push(action)
  }

  ready(
    session: RoomSession,
    url: string,
    send: (frame: string) => void,
    resyncError: unknown,
  ): void {
    if (session !== this.session) return
    this.connects++
    // The backoff starts over only once a session has stayed up: a room that drops every
    // session right after auth is retried ever more slowly.
    this.uptimeTimer = this.parts.o.scheduler.schedule(() => {
      this.uptimeTimer = undefined
      this.attempt = 0
    }, this.parts.o.minUptimeMs)
    this.parts.requests.open(send)
    // Subscribers and the logger run last: they may close or reconnect from here.
    this.log('info', 'ready', `ready at ${url} (connection ${this.connects})`)
    if (session !== this.session) return
    this.parts.out.state.next(
      resyncError === undefined
        ? { status: 'ready', url, connects: this.connects }
        : { status: 'ready', url, connects: this.connects, resyncError },
    )
  }

  frame(session: RoomSession, data: unknown): void {
    if (session === this.session) this.parts.out.receive(data)
  }

  ended(session: RoomSession, end: SessionEnd): void {
    if (session === this.session) this.sessionEnded(end)
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
    this.parts.requests.close(
      typeof error === 'object' &&
        error !== null &&
        (error as { code?: unknown }).code === 'ERR_CONNECTION'
        ? error
        : new ConnectionError(
            {
              url,
              reason: 'closed',
              detail: `the connection was lost: ${this.parts.redactor.describe(error)}`,
            },
            { cause: this.parts.redactor.scrub(error) },
          ),
    )
    // `attempt` numbers the attempts from 0: after this increment it counts the failed ones in a row.
    this.attempt++
    this.log(
      'warn',
      'dropped',
      `attempt failed or connection lost: ${this.parts.redactor.describe(error)}`,
    )
    if (this.phase !== 'running' || this.session !== undefined) return
    if (this.attempt > this.parts.o.maxRetries) {
      const exhausted = new RetriesExhaustedError({ attempts: this.attempt, lastError: error })
      this.finish({ status: 'closed', reason: 'retries-exhausted', error: exhausted }, exhausted)
      return
    }
    const delayMs = Math.max(0, this.parts.o.backoff(this.attempt))
    this.reconnectTimer = this.parts.o.scheduler.schedule(() => {
      if (this.phase === 'running' && this.session === undefined) this.open()
    }, delayMs)
    // Subscribers and the logger run last: they may close or reconnect from here.
    this.log(
      'info',
      'reconnect-scheduled',
      `reconnecting in ${Math.round(delayMs)} ms (attempt ${this.attempt})`,
    )
    if (this.phase !== 'running' || this.session !== undefined) return
    this.parts.out.state.next({
      status: 'reconnecting',
      attempt: this.attempt,
      delayMs,
      lastError: error,
    })
  }

  track(work: Promise<unknown>): void {
    this.parts.inFlight.track(work)
  }

  /** Ends the connection for good (`error` undefined: closed by the caller). */
  finish(state: Extract<ConnectionState, { status: 'closed' }>, error: unknown): void {
    if (this.phase === 'closed') return
    this.phase = 'closed'
    this.terminalError = error
    this.parts.ended.abort()
    this.reconnectTimer?.unsubscribe()
    this.uptimeTimer?.unsubscribe()
    const session = this.session
    this.session = undefined
    session?.stop()
    // Requests pending now fail with the same error as the ones made later, so one check covers both.
    this.parts.requests.end(error ?? new ConnectionClosedError())
    this.log(
      error === undefined ? 'info' : 'error',
      'closed',
      error === undefined
        ? 'closed by the caller'
        : `closed: ${this.parts.redactor.describe(error)}`,
    )
    this.parts.out.end(state, error)
  }

  log(level: ConnectionLogEntry['level'], event: string, message: string): void {
    const logger = this.parts.o.logger
    if (logger === undefined) return
    try {
      logger({
        level,
        event,
        message: this.parts.redactor.redact(message, 2000),
        attempt: this.attempt,
      })
    } catch {
      // A logger that throws must not break the connection.
    }
  }
}
