import { DEFAULT_PORTS, type SuccessReplyOf } from '@org/file-events-codec'
import type { Subscription } from 'rxjs'
import type { PinSource, ResolvedOptions } from './connectOptions'
import { type RoomEndpoints, discoverRoom, origin } from './discoverRoom'
import {
  AuthenticationError,
  CommandFailedError,
  ConnectionError,
  type ConnectionFailureReason,
  ConfigurationError,
  isRequestTimeoutError,
} from './errors'
import type { Redactor } from './Redactor'
import type { RequestManager } from './RequestManager'
import { Socket, type SocketClosed, type SocketHandlers, closedError } from './webSocket'

/**
 * How a session ended. `retry`: the attempt failed or the socket dropped, and another attempt may
 * follow. `fatal`: retrying cannot help (a refused PIN or API version, no WebSocket class).
 *
 * @internal
 */
export type SessionEnd =
  | { readonly kind: 'retry'; readonly error: unknown }
  | {
      readonly kind: 'fatal'
      readonly reason: 'authentication-failed' | 'configuration'
      readonly error: unknown
    }

/**
 * What sessions report to the connection that runs them; one per connection, so every report
 * names its session (a stopped one is ignored).
 */
export interface SessionHost {
  readonly options: ResolvedOptions
  readonly redactor: Redactor
  readonly requests: RequestManager
  /** The PIN source, asked on every attempt (a function, so that inspecting the session shows no PIN). */
  readonly pin: () => PinSource | undefined
  connecting(session: RoomSession, url: string | undefined): void
  /** Discovery is done; `ignoredHosts` are hosts `config.json` named and that were not used. */
  discovered(
    session: RoomSession,
    endpoints: RoomEndpoints,
    ignoredHosts: ReadonlyArray<string>,
    failure: string | undefined,
  ): void
  authenticating(session: RoomSession, url: string): void
  /** The room accepted `auth`: its tokens, to keep (and to redact from now on). */
  authenticated(session: RoomSession, reply: SuccessReplyOf<'auth'>): void
  /** The room's three lists, read after `auth`. */
  resynced(
    session: RoomSession,
    lists: {
      incoming: SuccessReplyOf<'getIncomingFilesRequests'>
      outgoing: SuccessReplyOf<'getOutgoingFilesRequests'>
      history: SuccessReplyOf<'getFileTransferHistory'>
    },
  ): void
  ready(
    session: RoomSession,
    url: string,
    send: (frame: string) => void,
    resyncError: unknown,
  ): void
  frame(session: RoomSession, data: unknown): void
  /** Called once, unless the connection stopped the session itself. */
  ended(session: RoomSession, end: SessionEnd): void
  /** Work the session started that may outlive it (a discovery, a socket closing), to wait for at the end. */
  track(work: Promise<unknown>): void
}

type Step = 'discovery' | 'opening the socket' | 'auth' | 'setUsedApiVersion' | 'resync' | 'ready'

/**
 * One socket's whole life: discovery, open, `auth`, `setUsedApiVersion`, resync, keep-alive. Every
 * step runs under one abort scope, so `stop()` (or the end) leaves nothing running, and the steps up
 * to `auth` are bounded together by `connectTimeoutMs`. Timers come from the connection's
 * scheduler; the steps chain through callbacks, so virtual time drives a whole session.
 *
 * @internal
 */
export class RoomSession implements SocketHandlers {
  /** Discovery's abort scope, while it runs (the rest of the session needs none). */
  private discovery: AbortController | undefined
  private step: Step = 'discovery'
  private socket: Socket | undefined
  private url: string | undefined
  private discoveryFailure: string | undefined
  private connectTimer: Subscription | undefined
  private keepAliveTimer: Subscription | undefined
  /** Gives back the attempt's handshake slot (or withdraws it from the queue). */
  private handshake: (() => void) | undefined
  private over = false

  constructor(
    private readonly host: SessionHost,
    readonly attempt: number,
  ) {}

  start(): void {
    const o = this.host.options
    this.host.connecting(this, o.wsUrl)
    // What the host calls may close the connection (a subscriber's code runs there).
    if (this.over) return
    // The attempt waits for a handshake slot of the process; its timeout runs from when it has one.
    this.handshake = o.handshakeLimiter.acquire(() => this.begin())
  }

  /** The handshake, once it has a slot: discovery (unless `wsUrl` is given), then the socket. */
  private begin(): void {
    const o = this.host.options
    if (this.over) return
    this.connectTimer = o.scheduler.schedule(() => {
      this.fail(
        'timeout',
        `no connection within connectTimeoutMs (${o.connectTimeoutMs} ms): ${this.step} did not finish`,
      )
    }, o.connectTimeoutMs)
    if (o.wsUrl !== undefined) {
      // The HTTP server is on the same host, on its own port, at its root (whatever path wsUrl has).
      const ws = new URL(o.wsUrl)
      const httpUrl =
        o.httpUrl ??
        origin(ws.protocol === 'wss:' ? 'https' : 'http', ws.hostname, DEFAULT_PORTS.http)
      this.open({ wsUrl: o.wsUrl, httpUrl }, [])
      return
    }
    const host = o.host as string
    this.discovery = new AbortController()
    const discovery = discoverRoom({
      host,
      webPort: o.webPort,
      secure: o.secure,
      signal: this.discovery.signal,
      trustDiscoveredHosts: o.trustDiscoveredHosts,
      maxBytes: o.maxDiscoveryBytes,
      timeoutMs: o.connectTimeoutMs,
      ...(o.fetch === undefined ? {} : { fetch: o.fetch }),
    })
      .finally(() => {
        this.discovery = undefined
      })
      .then(
        (found) => {
          if (this.over) return
          this.open(
            o.httpUrl === undefined ? found : { wsUrl: found.wsUrl, httpUrl: o.httpUrl },
            found.ignoredHosts,
          )
        },
        (error: unknown) => {
          if (this.over) return
          if (!o.discoveryFallback) {
            this.end({ kind: 'retry', error })
            return
          }
          this.discoveryFailure = this.host.redactor.describe(error)
          this.open(
            {
              wsUrl: origin(o.secure ? 'wss' : 'ws', host, DEFAULT_PORTS.websocket),
              httpUrl: o.httpUrl ?? origin(o.secure ? 'https' : 'http', host, DEFAULT_PORTS.http),
            },
            [],
          )
        },
      )
    this.host.track(discovery)
  }

  /**
   * Whether the session is still running and has heard nothing back: its discovery or its socket
   * asked for, no answer yet.
   */
  get starting(): boolean {
    return !this.over && (this.step === 'discovery' || this.step === 'opening the socket')
  }

  /** Ends the session without reporting it (the connection closes, or replaces it). */
  stop(): void {
    this.finish()
  }

  private open(endpoints: RoomEndpoints, ignoredHosts: ReadonlyArray<string>): void {
    const o = this.host.options
    this.host.discovered(this, endpoints, ignoredHosts, this.discoveryFailure)
    if (this.over) return
    this.step = 'opening the socket'
    this.url = endpoints.wsUrl
    const Ctor = o.WebSocketCtor
    if (Ctor === undefined) {
      const detail =
        'no WebSocket implementation: pass `WebSocketCtor` (on Node 20: `import { WebSocket } from "ws"`), ' +
        'or import connectRoom from "@org/file-events-stream/node"'
      this.end({
        kind: 'fatal',
        reason: 'configuration',
        error: new ConfigurationError({ detail }),
      })
      return
    }
    try {
      this.socket = new Socket(Ctor, endpoints.wsUrl, o, this)
    } catch (error) {
      const detail = `the WebSocket could not be opened: ${this.host.redactor.describe(error)}${this.fallbackNote()}`
      this.end({
        kind: 'retry',
        error: new ConnectionError(
          { url: endpoints.wsUrl, reason: 'open-failed', detail },
          { cause: this.host.redactor.scrub(error) },
        ),
      })
    }
  }

  /** The socket opened: `auth` goes out (part of the socket's `SocketHandlers`). */
  opened(): void {
    this.authenticate()
  }

  /** A frame came: the connection walks it. */
  received(data: unknown): void {
    this.host.frame(this, data)
  }

  /** The socket closed: the session ends, saying why. */
  closed(event: SocketClosed): void {
    this.socket = undefined
    const opening = this.step === 'opening the socket'
    const error = closedError(event, {
      url: this.url as string,
      maxFrameBytes: this.host.options.maxFrameBytes,
      redactor: this.host.redactor,
      note: opening ? this.fallbackNote() : undefined,
    })
    this.end({ kind: 'retry', error })
  }

  /** Sends a request of this session's own, on its socket. */
  private send(
    command: { readonly method: string; readonly [key: string]: unknown },
    then: (reply: unknown) => void,
    failed: (error: unknown) => void,
  ): void {
    const socket = this.socket
    if (socket === undefined || this.over) return
    this.host.requests.send(command, { via: (frame) => socket.send(frame) }, (error, reply) => {
      if (this.over) return
      if (error !== undefined) failed(error)
      else then(reply)
    })
  }

  private authenticate(): void {
    this.step = 'auth'
    this.host.authenticating(this, this.url as string)
    if (this.over) return
    const source = this.host.pin()
    let pin: string | undefined | PromiseLike<string | undefined>
    try {
      pin = typeof source === 'function' ? source() : source
    } catch (error) {
      this.credentialsFailed(error)
      return
    }
    if (typeof pin === 'object' && pin !== null && typeof pin.then === 'function') {
      pin.then(
        (value) => {
          if (!this.over) this.sendAuth(value)
        },
        (error: unknown) => this.credentialsFailed(error),
      )
    } else this.sendAuth(pin as string | undefined)
  }

  private credentialsFailed(error: unknown): void {
    if (this.over) return
    const detail = `the \`pin\` function failed: ${this.host.redactor.describe(error)}`
    this.end({
      kind: 'retry',
      error: new ConnectionError(
        { url: this.url ?? '', reason: 'credentials', detail },
        { cause: this.host.redactor.scrub(error) },
      ),
    })
  }

  private sendAuth(pin: string | undefined): void {
    if (pin !== undefined && (typeof pin !== 'string' || pin === '')) {
      this.credentialsFailed(
        new TypeError('it gave no PIN (a non-empty string, or undefined for an unsecured room)'),
      )
      return
    }
    this.host.redactor.learn(pin, 'pin')
    const authType = pin === undefined ? 'unsecured' : 'secured'
    const auth =
      pin === undefined
        ? { method: 'auth', type: 'unsecured' }
        : { method: 'auth', type: 'secured', credentials: pin }
    this.send(
      auth,
      (reply) => {
        this.connectTimer?.unsubscribe()
        this.connectTimer = undefined
        this.host.authenticated(this, reply as SuccessReplyOf<'auth'>)
        if (this.over) return
        this.setApiVersion()
      },
      (error) => {
        if (error instanceof CommandFailedError) {
          const { resultCode, serverError } = error
          this.end({
            kind: 'fatal',
            reason: 'authentication-failed',
            error: new AuthenticationError({ authType, resultCode, serverError }),
          })
        } else this.handshakeFailed(error)
      },
    )
  }

  private setApiVersion(): void {
    const version = this.host.options.apiVersion
    if (version === undefined) {
      this.resync()
      return
    }
    this.step = 'setUsedApiVersion'
    this.send(
      { method: 'setUsedApiVersion', version },
      () => this.resync(),
      (error) => {
        // The room refuses the version asked for: retrying would only be refused again.
        if (error instanceof CommandFailedError)
          this.end({ kind: 'fatal', reason: 'configuration', error })
        else this.handshakeFailed(error)
      },
    )
  }

  private resync(): void {
    if (!this.host.options.resync) {
      this.ready(undefined)
      return
    }
    this.step = 'resync'
    const lists: Record<string, unknown> = {}
    let failure: unknown
    let left = 3
    const one = (method: string) => (reply: unknown) => {
      lists[method] = reply
      if (--left === 0) this.resynced(lists, failure)
    }
    const failed = (error: unknown): void => {
      failure ??= error
      if (--left === 0) this.resynced(lists, failure)
    }
    for (const method of [
      'getIncomingFilesRequests',
      'getOutgoingFilesRequests',
      'getFileTransferHistory',
    ])
      this.send({ method }, one(method), failed)
  }

  private resynced(lists: Record<string, unknown>, failure: unknown): void {
    if (failure === undefined) {
      this.host.resynced(this, {
        incoming: lists['getIncomingFilesRequests'] as SuccessReplyOf<'getIncomingFilesRequests'>,
        outgoing: lists['getOutgoingFilesRequests'] as SuccessReplyOf<'getOutgoingFilesRequests'>,
        history: lists['getFileTransferHistory'] as SuccessReplyOf<'getFileTransferHistory'>,
      })
    }
    this.ready(failure)
  }

  private ready(resyncError: unknown): void {
    const socket = this.socket
    if (socket === undefined || this.over) return
    this.step = 'ready'
    this.handshake?.()
    this.host.ready(this, this.url as string, (frame) => socket.send(frame), resyncError)
    if (this.over) return
    this.keepAlive()
  }

  /** Probes the socket now and then; a probe without a reply ends the session (a half-open socket). */
  private keepAlive(): void {
    const every = this.host.options.keepAliveMs
    if (!(every > 0) || this.over) return
    this.keepAliveTimer = this.host.options.scheduler.schedule(() => {
      this.send(
        { method: 'getFileTransferAvailability' },
        () => this.keepAlive(),
        (error) => {
          if (!isRequestTimeoutError(error)) {
            this.keepAlive()
            return
          }
          this.fail(
            'unresponsive',
            `no reply from the room for ${error.timeoutMs} ms: the connection is taken for dead`,
            error,
          )
        },
      )
    }, every)
  }

  /** A timeout or a bad reply during the handshake: the attempt fails, and another may follow. */
  private handshakeFailed(error: unknown): void {
    this.fail('handshake', `${this.step} failed: ${this.host.redactor.describe(error)}`, error)
  }

  private fail(reason: ConnectionFailureReason, detail: string, cause?: unknown): void {
    if (this.over) return
    const options = cause === undefined ? undefined : { cause: this.host.redactor.scrub(cause) }
    this.end({
      kind: 'retry',
      error: new ConnectionError({ url: this.url ?? '', reason, detail }, options),
    })
  }

  /** For an open failure on the default ports: they were only a guess, because discovery failed. */
  private fallbackNote(): string {
    return this.discoveryFailure === undefined
      ? ''
      : ` (the default WebSocket port was tried because ${this.discoveryFailure}; check \`host\` and \`webPort\`)`
  }

  private end(end: SessionEnd): void {
    if (this.over) return
    this.finish()
    this.host.ended(this, end)
  }

  private finish(): void {
    if (this.over) return
    this.over = true
    this.handshake?.()
    this.connectTimer?.unsubscribe()
    this.keepAliveTimer?.unsubscribe()
    this.discovery?.abort()
    const socket = this.socket
    this.socket = undefined
    if (socket !== undefined) this.host.track(socket.close())
  }
}
