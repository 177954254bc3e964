import { type CommandMethod, DEFAULT_PORTS, type RequestOf } from '@org/file-events-codec'
import { type SchedulerLike, asyncScheduler } from 'rxjs'
import { DECODE_DEFAULTS, type DecodeFramesOptions } from './decodeFrames'
import { ConfigurationError } from './errors'
import { type BackoffDelay, exponentialBackoff } from './exponentialBackoff'
import type { FileRequestsTrackerOptions } from './fileRequestsReducer'
import type { FetchLike } from './discoverRoom'
import { HandshakeLimiter } from './HandshakeLimiter'
import type { WebSocketConstructor } from './webSocket'
import { checkEndpoints, checkNames } from './internal/checkConnectOptions'

/**
 * What the `logger` option receives: one entry per connection event. It never holds a secret.
 *
 * @category connection
 * @since 0.1.0
 */
export interface ConnectionLogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error'
  /** A stable name: `connecting`, `open`, `authenticated`, `ready`, `dropped`, `reconnect-scheduled`, `discovery-failed`, `discovery-host-ignored`, `reconnect`, `closed`, `tracker-evicted-active`. */
  readonly event: string
  /** The same in words (secrets redacted). */
  readonly message: string
  /** The attempt (0 for the first connect). */
  readonly attempt: number
}

/**
 * The room's PIN, or a function asked for it on every connection attempt (a credentials
 * provider: a vault, a prompt). `undefined` means an `unsecured` room.
 *
 * @category connection
 * @since 0.1.0
 */
export type PinSource = string | (() => string | undefined | PromiseLike<string | undefined>)

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
   * discovery. The PIN only ever goes to this host (see `trustDiscoveredHosts`).
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
  /**
   * Connect to a host that `config.json` names when it is not `host`. Off by default: the
   * discovery document comes over plain HTTP and would otherwise decide where the PIN goes.
   * A `hostname` that is `null`, empty or `host` itself always means `host`.
   *
   * @default false
   */
  readonly trustDiscoveredHosts?: boolean
  /**
   * The room's PIN (`auth` is `secured` with it, `unsecured` without), or a function asked for it
   * on every attempt. Never logged or shown.
   */
  readonly pin?: PinSource | undefined
  /**
   * The WebSocket class.
   *
   * @default globalThis.WebSocket (browsers, Node 22+); on Node 20 pass `WebSocket` from `ws`, or import from `@org/file-events-stream/node`
   */
  readonly WebSocketCtor?: WebSocketConstructor
  /**
   * Passed as the third constructor argument (the `ws` package's options: `ca`, `rejectUnauthorized`,
   * `headers`, ...). Ignored by browsers, which use the system's trust store. `maxPayload` is set
   * from `maxFrameBytes` unless given here.
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
   * reconnecting. A session that did not stay ready `minUptimeMs` counts as a failed attempt.
   *
   * @default Infinity
   */
  readonly maxRetries?: number
  /**
   * Time allowed for discovery, opening the socket and `auth`, together, in one attempt. When it
   * runs out the attempt fails (`ConnectionError`, reason `timeout`) and the backoff applies.
   *
   * @default 10000
   */
  readonly connectTimeoutMs?: number
  /**
   * The limit on handshakes in flight that this connection's attempts wait at. An attempt waits
   * for a slot before its `connectTimeoutMs` starts, and holds it until it is ready (resync
   * included) or over: connections that start or drop together are handshaken a few hundred at a
   * time instead of all timing out together. Pass a `HandshakeLimiter` of your own to give a group
   * of connections a limit apart from the rest of the process.
   *
   * @default HandshakeLimiter.shared() (one per process, 256 in flight)
   */
  readonly handshakeLimiter?: HandshakeLimiter
  /**
   * How long a session must stay ready before the backoff starts again from its first delay: a
   * room that drops every session right after `auth` is retried ever more slowly.
   *
   * @default 5000
   */
  readonly minUptimeMs?: number
  /**
   * Time allowed for each command's reply, in milliseconds.
   *
   * @default 10000
   */
  readonly requestTimeoutMs?: number
  /**
   * Requests made while disconnected wait for the connection; past this many, a request fails at
   * once with `RequestQueueFullError`.
   *
   * @default 1000
   */
  readonly maxQueuedRequests?: number
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
   * The longest silence of an upload or a download: the longest wait for the next piece of a body,
   * in either direction, and for the answer once an upload's body is sent; past it the request
   * fails with `HttpError`. It measures silence, not size: a transfer that keeps moving is never
   * cut, however long it takes. To bound a transfer's whole time, pass `signal`
   * (`AbortSignal.timeout(ms)`) to `uploadFile`, `sendFile`, `openDownload` or `downloadFile`. In a
   * browser, whose `fetch` shows no progress of an upload, it runs from an upload's start to its
   * answer.
   *
   * @default 30000
   */
  readonly httpTimeoutMs?: number
  /**
   * While ready, a cheap command (`getFileTransferAvailability`) is sent this often; when its reply
   * does not come within `requestTimeoutMs` the socket is taken for dead (a half-open connection
   * sends no close) and replaced. 0 turns it off.
   *
   * @default 30000
   */
  readonly keepAliveMs?: number
  /** Called with every connection event (never with a secret). */
  readonly logger?: (entry: ConnectionLogEntry) => void
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
  trustDiscoveredHosts: false,
  maxRetries: Number.POSITIVE_INFINITY,
  connectTimeoutMs: 10_000,
  minUptimeMs: 5_000,
  requestTimeoutMs: 10_000,
  maxQueuedRequests: 1_000,
  resync: true,
  httpTokenMaxAgeMs: 240_000,
  httpTimeoutMs: 30_000,
  keepAliveMs: 30_000,
  maxFrameBytes: DECODE_DEFAULTS.maxFrameBytes,
  /** The most of `config.json` that is read. */
  maxDiscoveryBytes: 64 * 1024,
} as const)

/**
 * A command as the caller gives it: the request without `requestId` (the connection sets it).
 *
 * @category connection
 * @since 0.1.0
 */
export type Command<M extends CommandMethod> =
  RequestOf<M> extends infer R ? (R extends unknown ? Omit<R, 'requestId'> : never) : never

/**
 * Per-request options.
 *
 * @category connection
 * @since 0.1.0
 */
export interface RequestOptions {
  /** Overrides `requestTimeoutMs` for this request. */
  readonly timeoutMs?: number
  /** Aborts the request: it rejects with the signal's reason, and its reply is ignored. */
  readonly signal?: AbortSignal
}

/**
 * The options with every default applied, as the parts of the connection read them. The PIN is
 * not here: it lives in a closure of the connection's.
 *
 * @internal
 */
export interface ResolvedOptions {
  readonly host: string | undefined
  readonly webPort: number
  readonly wsUrl: string | undefined
  readonly httpUrl: string | undefined
  readonly secure: boolean
  readonly discoveryFallback: boolean
  readonly trustDiscoveredHosts: boolean
  readonly WebSocketCtor: WebSocketConstructor | undefined
  readonly webSocketOptions: object | undefined
  readonly fetch: FetchLike | undefined
  readonly backoff: BackoffDelay
  readonly maxRetries: number
  readonly connectTimeoutMs: number
  readonly handshakeLimiter: HandshakeLimiter
  readonly minUptimeMs: number
  readonly requestTimeoutMs: number
  readonly maxQueuedRequests: number
  readonly apiVersion: string | undefined
  readonly resync: boolean
  readonly tracker: FileRequestsTrackerOptions | undefined
  readonly httpTokenMaxAgeMs: number
  readonly httpTimeoutMs: number
  readonly keepAliveMs: number
  readonly maxFrameBytes: number
  readonly maxDiscoveryBytes: number
  readonly logger: ((entry: ConnectionLogEntry) => void) | undefined
  readonly scheduler: SchedulerLike
}

/**
 * Checks the options and applies the defaults. Throws a `ConfigurationError`, at once, for options
 * that could only fail later and forever (every retry would build the same broken address).
 *
 * @internal
 */
export const resolveConnectOptions = (o: ConnectRoomOptions): ResolvedOptions => {
  checkNames(o)
  checkEndpoints(o)
  const d = CONNECT_DEFAULTS
  const count = (
    key: keyof ConnectRoomOptions,
    value: number | undefined,
    fallback: number,
    min: number,
  ): number => {
    if (value === undefined) return fallback
    // Only `maxRetries` may be unbounded: a timer of Infinity fires at once.
    const unbounded = key === 'maxRetries' && value === Number.POSITIVE_INFINITY
    if (!(typeof value === 'number' && (Number.isInteger(value) || unbounded) && value >= min)) {
      throw new ConfigurationError({
        detail: `\`${key}\` must be an integer of at least ${min}, not ${String(value)}`,
      })
    }
    return value
  }
  if (o.pin !== undefined && typeof o.pin !== 'string' && typeof o.pin !== 'function') {
    throw new ConfigurationError({
      detail: '`pin` must be a string or a function that returns one',
    })
  }
  if (o.logger !== undefined && typeof o.logger !== 'function')
    throw new ConfigurationError({ detail: '`logger` must be a function' })
  return {
    host: o.host,
    webPort: o.webPort ?? d.webPort,
    wsUrl: o.wsUrl,
    httpUrl: o.httpUrl?.replace(/\/+$/, ''),
    secure: o.secure ?? d.secure,
    discoveryFallback: o.discoveryFallback ?? d.discoveryFallback,
    trustDiscoveredHosts: o.trustDiscoveredHosts ?? d.trustDiscoveredHosts,
    WebSocketCtor:
      o.WebSocketCtor ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket,
    webSocketOptions: o.webSocketOptions,
    fetch:
      o.fetch ??
      (typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined),
    backoff: o.backoff ?? exponentialBackoff(),
    maxRetries: count('maxRetries', o.maxRetries, d.maxRetries, 0),
    connectTimeoutMs: count('connectTimeoutMs', o.connectTimeoutMs, d.connectTimeoutMs, 1),
    handshakeLimiter: handshakeLimiterOf(o.handshakeLimiter),
    minUptimeMs: count('minUptimeMs', o.minUptimeMs, d.minUptimeMs, 0),
    requestTimeoutMs: count('requestTimeoutMs', o.requestTimeoutMs, d.requestTimeoutMs, 1),
    maxQueuedRequests: count('maxQueuedRequests', o.maxQueuedRequests, d.maxQueuedRequests, 0),
    apiVersion: o.apiVersion,
    resync: o.resync ?? d.resync,
    tracker: o.tracker,
    httpTokenMaxAgeMs: o.httpTokenMaxAgeMs ?? d.httpTokenMaxAgeMs,
    httpTimeoutMs: count('httpTimeoutMs', o.httpTimeoutMs, d.httpTimeoutMs, 1),
    keepAliveMs: o.keepAliveMs ?? d.keepAliveMs,
    maxFrameBytes: count('maxFrameBytes', o.maxFrameBytes, d.maxFrameBytes, 1),
    maxDiscoveryBytes: d.maxDiscoveryBytes,
    logger: o.logger,
    scheduler: o.scheduler ?? asyncScheduler,
  }
}

/** Checked by shape, not `instanceof`: a limiter from the package's other build (ESM or CJS) will do. */
const handshakeLimiterOf = (limiter: unknown): HandshakeLimiter => {
  if (limiter === undefined) return HandshakeLimiter.shared()
  if (typeof (limiter as Partial<HandshakeLimiter> | null)?.acquire === 'function')
    return limiter as HandshakeLimiter
  throw new ConfigurationError({ detail: '`handshakeLimiter` must be a `HandshakeLimiter`' })
}
