import type { DecodeFailure } from '@org/file-events-codec'

/**
 * Removes secrets from a URL before it goes into an error: the `token` query parameter (the HTTP
 * server's token) and any user info are replaced with `***`.
 *
 * @category errors
 * @since 0.1.0
 */
export const redactUrl = (url: string): string =>
  url.replace(/([?&](?:token|credentials|pin)=)[^&#]*/gi, '$1***').replace(/\/\/[^/@?#]*@/, '//***@')

/**
 * The second argument of every error's constructor.
 *
 * @category errors
 * @since 0.1.0
 */
export interface RoomClientErrorOptions {
  /** What caused it; kept as a copy with URL secrets removed (see the README's "Errors"). */
  readonly cause?: unknown
}

/**
 * The `code` of every {@link RoomClientError}: a `switch` over it can be exhaustive.
 *
 * @category errors
 * @since 0.1.0
 */
export type RoomClientErrorCode =
  | 'ERR_CONNECTION'
  | 'ERR_RETRIES_EXHAUSTED'
  | 'ERR_AUTHENTICATION'
  | 'ERR_REQUEST_TIMEOUT'
  | 'ERR_COMMAND_FAILED'
  | 'ERR_REPLY_DECODE'
  | 'ERR_CLOSED'
  | 'ERR_QUEUE_FULL'
  | 'ERR_DISCOVERY'
  | 'ERR_HTTP'
  | 'ERR_DOWNLOAD'
  | 'ERR_CONFIGURATION'

const CODES: { readonly [C in RoomClientErrorCode]: true } = {
  ERR_CONNECTION: true,
  ERR_RETRIES_EXHAUSTED: true,
  ERR_AUTHENTICATION: true,
  ERR_REQUEST_TIMEOUT: true,
  ERR_COMMAND_FAILED: true,
  ERR_REPLY_DECODE: true,
  ERR_CLOSED: true,
  ERR_QUEUE_FULL: true,
  ERR_DISCOVERY: true,
  ERR_HTTP: true,
  ERR_DOWNLOAD: true,
  ERR_CONFIGURATION: true,
}
const KNOWN_CODES: ReadonlySet<string> = new Set(Object.keys(CODES))

/**
 * Base class of every error this package raises: an `Error` with a stable `code`.
 *
 * @category errors
 * @since 0.1.0
 */
export abstract class RoomClientError extends Error {
  /** A stable string naming the kind of failure; see the README's error table. */
  abstract readonly code: RoomClientErrorCode
  constructor(message: string, options?: RoomClientErrorOptions) {
    // A cause from fetch or a socket can quote a URL with its token: it is kept as a scrubbed copy.
    super(message, options?.cause === undefined ? undefined : { cause: scrubError(options.cause, redactUrl) })
  }
}

/** How deep a chain of causes is followed. */
const MAX_CAUSES = 4
/** Fields of Node system errors worth keeping on a scrubbed copy. */
const SYSTEM_FIELDS = ['code', 'errno', 'syscall', 'address', 'port', 'hostname'] as const

/** The standard error classes, whose prototypes a plain copy can take without breaking anything. */
const STANDARD_PROTOTYPES: ReadonlySet<object> = new Set(
  [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError].map((c) => c.prototype as object),
)

/** A property read that a throwing getter cannot turn into an exception. */
const read = (o: object, key: string): unknown => {
  try {
    return (o as Record<string, unknown>)[key]
  } catch {
    return undefined
  }
}

/**
 * A copy of an error and of its chain of causes, with `redact` applied to every message, stack and
 * string field, so that printing it whole (`console.error`, `util.inspect`) shows no secret. The
 * copy is a plain `Error` that keeps the name (and the prototype of the standard classes, so that
 * `instanceof TypeError` still holds), the system-error fields (`code`, `errno`, `syscall`, ...),
 * and an `AggregateError`'s `errors`, scrubbed too. Other classes are not imitated: their
 * prototypes may have getters that only work on real instances (`DOMException`'s `code`, say).
 * Throwing getters are read as absent. This package's own errors are scrubbed when made and are
 * returned as they are.
 *
 * @internal
 */
export const scrubError = (u: unknown, redact: (text: string) => string, depth = 0): unknown => {
  if (typeof u === 'string') return redact(u)
  // This package's errors, from this copy or another one loaded beside it (ESM and CommonJS).
  if (u instanceof RoomClientError || !isErrorLike(u) || KNOWN_CODES.has(read(u, 'code') as string)) return u
  const message = read(u, 'message')
  const proto = Object.getPrototypeOf(u) as object | null
  // A real Error (printers check for one), given the standard prototype the original had.
  const copy: object = new Error(typeof message === 'string' ? redact(message) : '')
  if (proto !== null && STANDARD_PROTOTYPES.has(proto)) Object.setPrototypeOf(copy, proto)
  const define = (key: string, value: unknown, enumerable = false): void => {
    Object.defineProperty(copy, key, { value, writable: true, configurable: true, enumerable })
  }
  const name = read(u, 'name')
  if (typeof name === 'string' && name !== read(copy, 'name')) define('name', redact(name))
  const stack = read(u, 'stack')
  define('stack', typeof stack === 'string' ? redact(stack) : `${String(read(copy, 'name'))}: ${String(read(copy, 'message'))}`)
  for (const key of SYSTEM_FIELDS) {
    const value = read(u, key)
    if (typeof value === 'string') define(key, redact(value), true)
    else if (typeof value === 'number') define(key, value, true)
  }
  if (depth < MAX_CAUSES) {
    const cause = read(u, 'cause')
    if (cause !== undefined) define('cause', scrubError(cause, redact, depth + 1))
    const errors = read(u, 'errors')
    if (Array.isArray(errors)) define('errors', errors.slice(0, 16).map((e: unknown) => scrubError(e, redact, depth + 1)))
  }
  return copy
}

/**
 * Errors may come from another realm (a worker, a VM context), where `instanceof Error` is false.
 *
 * @internal
 */
export const isErrorLike = (u: unknown): u is { readonly message: string } =>
  typeof u === 'object' && u !== null && typeof read(u, 'message') === 'string'

const hasCode = (u: unknown, code: string): boolean => isErrorLike(u) && read(u, 'code') === code

/**
 * The message of anything thrown, for another error's message.
 *
 * @internal
 */
export const messageOf = (u: unknown): string => {
  if (!isErrorLike(u)) {
    if (typeof u === 'string') return u
    try {
      return String(u)
    } catch {
      return Object.prototype.toString.call(u)
    }
  }
  // fetch says only "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND, ...) in `cause`;
  // when every address of a host was refused, that is an AggregateError with no message of its own.
  let message = u.message
  let cause = read(u, 'cause')
  for (let depth = 0; depth < MAX_CAUSES && isErrorLike(cause); depth++) {
    const reason = ownReason(cause)
    if (reason !== '' && !message.includes(reason)) message += `: ${reason}`
    cause = read(cause, 'cause')
  }
  return message
}

/** An error's message, else its inner errors' messages, else its `code`. */
const ownReason = (error: { readonly message: string }): string => {
  if (error.message !== '') return error.message
  const errors = read(error, 'errors')
  if (Array.isArray(errors)) {
    const messages = [...new Set(errors.filter(isErrorLike).map((e) => e.message).filter((m) => m !== ''))]
    if (messages.length > 0) return messages.slice(0, 3).join('; ')
  }
  const code = read(error, 'code')
  return typeof code === 'string' ? code : ''
}


/**
 * One error kind, declared once: the class, its guard and the README's error table are made from
 * this. `fields` are the public fields (copied from the constructor's argument, in this order);
 * the message is derived from the whole argument, which may carry a `detail` not kept as a field.
 */
interface ErrorSpec<N extends string, C extends RoomClientErrorCode, F, K extends keyof F> {
  readonly name: N
  readonly code: C
  /** When it is raised: the README table's second column. */
  readonly when: string
  readonly fields: ReadonlyArray<K>
  readonly message: (fields: F) => string
  /** The cause to keep when the caller gives none (a field that is one, say). */
  readonly cause?: (fields: F) => unknown
}

/** The class {@link defineError} makes: `new X(fields, options?)`. */
type ErrorClass<N extends string, C extends RoomClientErrorCode, F, K extends keyof F> = {
  new (...args: undefined extends F ? [fields?: F, options?: RoomClientErrorOptions] : [fields: F, options?: RoomClientErrorOptions]): DeclaredError<N, C, F, K>
  readonly prototype: DeclaredError<N, C, F, K>
}

/** An instance of a declared error kind. */
type DeclaredError<N extends string, C extends RoomClientErrorCode, F, K extends keyof F> = RoomClientError & {
  readonly name: N
  readonly code: C
} & Readonly<Pick<F, K>>

/**
 * Every declared error kind, in the order of the README's table.
 *
 * @internal
 */
export const ERROR_KINDS: Array<{ readonly name: string; readonly code: RoomClientErrorCode; readonly when: string; readonly fields: ReadonlyArray<string> }> = []

const defineError =
  <F>() =>
  <const N extends string, const C extends RoomClientErrorCode, const K extends keyof F & string>(spec: ErrorSpec<N, C, F, K>): ErrorClass<N, C, F, K> => {
    class Declared extends RoomClientError {
      override readonly name: N = spec.name
      readonly code: C = spec.code
      constructor(fields: F, options?: RoomClientErrorOptions) {
        const cause = options?.cause ?? spec.cause?.(fields)
        super(spec.message(fields), cause === undefined ? undefined : { cause })
        for (const key of spec.fields) {
          const value = fields[key]
          // A URL field may come with its token: it is kept redacted.
          ;(this as unknown as Record<string, unknown>)[key] = key === 'url' && typeof value === 'string' ? redactUrl(value) : value
        }
      }
    }
    Object.defineProperty(Declared, 'name', { value: spec.name })
    ERROR_KINDS.push({ name: spec.name, code: spec.code, when: spec.when, fields: spec.fields })
    return Declared as unknown as ErrorClass<N, C, F, K>
  }

/** Whether `u` has this code, from this copy of the package, another one, or another realm. */
const guard =
  <T>(code: RoomClientErrorCode) =>
  (u: unknown): u is T =>
    hasCode(u, code)

/**
 * Why a connection attempt failed or a socket ended.
 *
 * - `open-failed`: the socket could not be opened;
 * - `closed`: the socket closed (by the room, or the network);
 * - `timeout`: discovery, opening the socket and `auth` took longer than `connectTimeoutMs`;
 * - `too-large`: the room sent a frame over `maxFrameBytes` (close code 1009);
 * - `unresponsive`: the keep-alive probe got no reply (a half-open socket);
 * - `send-failed`: a frame could not be sent;
 * - `handshake`: `auth`, `setUsedApiVersion` or the resync failed (timeout, bad reply);
 * - `credentials`: the `pin` function failed;
 * - `reconnect`: the caller asked for a new socket with `reconnect()`.
 *
 * @category errors
 * @since 0.1.0
 */
export type ConnectionFailureReason =
  | 'open-failed'
  | 'closed'
  | 'timeout'
  | 'too-large'
  | 'unresponsive'
  | 'send-failed'
  | 'handshake'
  | 'credentials'
  | 'reconnect'

/**
 * The socket could not be opened, or closed while in use. Pending requests fail with it when the
 * connection drops; the streams only end with it inside a {@link RetriesExhaustedError}.
 *
 * @category errors
 * @since 0.1.0
 */
export const ConnectionError = defineError<{
  readonly reason: ConnectionFailureReason
  /** The WebSocket URL (secrets redacted), or `''` before one was known. */
  readonly url: string
  /** The WebSocket close code, when the socket closed. */
  readonly closeCode?: number | undefined
  /** The WebSocket close reason, when one was given (secrets redacted). */
  readonly closeReason?: string | undefined
  /** What happened, in words (secrets redacted). */
  readonly detail: string
}>()({
  name: 'ConnectionError',
  code: 'ERR_CONNECTION',
  when: 'The socket could not open, dropped, timed out (`connectTimeoutMs`), got an oversized frame, or stopped answering; pending requests fail with it.',
  fields: ['reason', 'url', 'closeCode', 'closeReason'],
  message: (f) => f.detail,
})
/** @category errors @since 0.1.0 */
export type ConnectionError = InstanceType<typeof ConnectionError>
/**
 * Whether `u` is a {@link ConnectionError}. It checks the `code`, so an error from another copy of
 * this package, or from another realm, counts too.
 *
 * @category errors
 * @since 0.1.0
 */
export const isConnectionError = guard<ConnectionError>('ERR_CONNECTION')

/**
 * Reconnecting gave up: `maxRetries` reconnects failed after the first attempt, so `attempts`
 * (`maxRetries + 1`) connection attempts were made in a row; `lastError` is why the last one failed.
 *
 * @category errors
 * @since 0.1.0
 */
export const RetriesExhaustedError = defineError<{
  /** The connection attempts made in a row, all failed (the first one included). */
  readonly attempts: number
  readonly lastError: unknown
}>()({
  name: 'RetriesExhaustedError',
  code: 'ERR_RETRIES_EXHAUSTED',
  when: '`maxRetries + 1` connection attempts failed in a row (a session that did not stay up `minUptimeMs` counts as failed); ends the streams.',
  fields: ['attempts', 'lastError'],
  message: (f) => `gave up after ${f.attempts} failed connection attempt${f.attempts === 1 ? '' : 's'}`,
  cause: (f) => f.lastError,
})
/** @category errors @since 0.1.0 */
export type RetriesExhaustedError = InstanceType<typeof RetriesExhaustedError>
/**
 * Whether `u` is a {@link RetriesExhaustedError} (by `code`).
 *
 * @category errors
 * @since 0.1.0
 */
export const isRetriesExhaustedError = guard<RetriesExhaustedError>('ERR_RETRIES_EXHAUSTED')

/**
 * The room refused `auth` (a wrong PIN, or a PIN required). Terminal: the connection does not retry.
 * The PIN is never part of the message.
 *
 * @category errors
 * @since 0.1.0
 */
export const AuthenticationError = defineError<{
  /** `secured` (a PIN was sent) or `unsecured`. */
  readonly authType: 'secured' | 'unsecured'
  /** The room's `resultCode`, when it sent one (3 on a wrong PIN). */
  readonly resultCode?: number | undefined
  /** The room's `error` string, when it sent one (secrets redacted). */
  readonly serverError?: string | undefined
}>()({
  name: 'AuthenticationError',
  code: 'ERR_AUTHENTICATION',
  when: '`auth` refused (wrong PIN, or a PIN required); terminal, no retry; ends the streams once.',
  fields: ['authType', 'resultCode', 'serverError'],
  message: (f) =>
    `the room refused ${f.authType} authentication` +
    (f.serverError !== undefined ? `: ${f.serverError}` : '') +
    (f.authType === 'secured' ? ' (check the PIN)' : ' (the room may require a PIN)'),
})
/** @category errors @since 0.1.0 */
export type AuthenticationError = InstanceType<typeof AuthenticationError>
/**
 * Whether `u` is an {@link AuthenticationError} (by `code`).
 *
 * @category errors
 * @since 0.1.0
 */
export const isAuthenticationError = guard<AuthenticationError>('ERR_AUTHENTICATION')

/**
 * No reply to a command within its timeout.
 *
 * @category errors
 * @since 0.1.0
 */
export const RequestTimeoutError = defineError<{ readonly method: string; readonly requestId: string; readonly timeoutMs: number }>()({
  name: 'RequestTimeoutError',
  code: 'ERR_REQUEST_TIMEOUT',
  when: 'No reply within the timeout.',
  fields: ['method', 'requestId', 'timeoutMs'],
  message: (f) => `no reply to ${f.method} (requestId ${f.requestId}) within ${f.timeoutMs} ms`,
})
/** @category errors @since 0.1.0 */
export type RequestTimeoutError = InstanceType<typeof RequestTimeoutError>
/**
 * Whether `u` is a {@link RequestTimeoutError} (by `code`).
 *
 * @category errors
 * @since 0.1.0
 */
export const isRequestTimeoutError = guard<RequestTimeoutError>('ERR_REQUEST_TIMEOUT')

/**
 * The room answered a command with `result: false`.
 *
 * @category errors
 * @since 0.1.0
 */
export const CommandFailedError = defineError<{
  readonly method: string
  readonly requestId: string
  /** The room's `error` string, when it sent one (secrets redacted). */
  readonly serverError?: string | undefined
  readonly resultCode?: number | undefined
}>()({
  name: 'CommandFailedError',
  code: 'ERR_COMMAND_FAILED',
  when: 'The reply had `result: false`.',
  fields: ['method', 'requestId', 'serverError', 'resultCode'],
  message: (f) => `${f.method} failed` + (f.serverError !== undefined ? `: ${f.serverError}` : ' (no error given)'),
})
/** @category errors @since 0.1.0 */
export type CommandFailedError = InstanceType<typeof CommandFailedError>
/**
 * Whether `u` is a {@link CommandFailedError} (by `code`).
 *
 * @category errors
 * @since 0.1.0
 */
export const isCommandFailedError = guard<CommandFailedError>('ERR_COMMAND_FAILED')

/**
 * The reply to a command did not match its codec.
 *
 * @category errors
 * @since 0.1.0
 */
export const ReplyDecodeError = defineError<{ readonly method: string; readonly requestId: string; readonly failure: DecodeFailure }>()({
  name: 'ReplyDecodeError',
  code: 'ERR_REPLY_DECODE',
  when: 'The reply to a request did not match its codec (the report is at most 20 lines and 16 KiB).',
  fields: ['method', 'requestId', 'failure'],
  message: (f) => `the reply to ${f.method} did not decode: ${f.failure.messages.join('; ')}`,
})
/** @category errors @since 0.1.0 */
export type ReplyDecodeError = InstanceType<typeof ReplyDecodeError>
/**
 * Whether `u` is a {@link ReplyDecodeError} (by `code`).
 *
 * @category errors
 * @since 0.1.0
 */
export const isReplyDecodeError = guard<ReplyDecodeError>('ERR_REPLY_DECODE')

/**
 * The connection was closed by the caller (`close()`); raised by requests made or pending then.
 *
 * @category errors
 * @since 0.1.0
 */
export const ConnectionClosedError = defineError<{ readonly detail?: string } | undefined>()({
  name: 'ConnectionClosedError',
  code: 'ERR_CLOSED',
  when: '`close()` was called; pending and later requests and file actions fail with it.',
  fields: [],
  message: (f) => f?.detail ?? 'the connection was closed',
})
/** @category errors @since 0.1.0 */
export type ConnectionClosedError = InstanceType<typeof ConnectionClosedError>
/**
 * Whether `u` is a {@link ConnectionClosedError} (by `code`).
 *
 * @category errors
 * @since 0.1.0
 */
export const isConnectionClosedError = guard<ConnectionClosedError>('ERR_CLOSED')

/**
 * A request was made while disconnected with `maxQueuedRequests` requests already waiting.
 *
 * @category errors
 * @since 0.1.0
 */
export const RequestQueueFullError = defineError<{ readonly method: string; readonly maxQueuedRequests: number }>()({
  name: 'RequestQueueFullError',
  code: 'ERR_QUEUE_FULL',
  when: 'A request made while disconnected found `maxQueuedRequests` requests already waiting.',
  fields: ['method', 'maxQueuedRequests'],
  message: (f) => `${f.method} was not queued: ${f.maxQueuedRequests} requests already wait for the connection (maxQueuedRequests)`,
})
/** @category errors @since 0.1.0 */
export type RequestQueueFullError = InstanceType<typeof RequestQueueFullError>
/**
 * Whether `u` is a {@link RequestQueueFullError} (by `code`).
 *
 * @category errors
 * @since 0.1.0
 */
export const isRequestQueueFullError = guard<RequestQueueFullError>('ERR_QUEUE_FULL')

/**
 * Why discovery failed.
 *
 * @category errors
 * @since 0.1.0
 */
export type DiscoveryFailureReason = 'unreachable' | 'http-status' | 'too-large' | 'invalid' | 'destination' | 'redirect'

/**
 * The discovery document (`config.json`) could not be read, was too large, did not decode, or
 * named a port or host that cannot be used.
 *
 * @category errors
 * @since 0.1.0
 */
export const DiscoveryError = defineError<{
  readonly reason: DiscoveryFailureReason
  /** The discovery URL. */
  readonly url: string
  readonly detail: string
}>()({
  name: 'DiscoveryError',
  code: 'ERR_DISCOVERY',
  when: '`config.json` could not be read, was over 64 KiB, did not decode, redirected elsewhere, or named a bad port or host.',
  fields: ['reason', 'url'],
  message: (f) => `discovery at ${redactUrl(f.url)} ${f.detail}`,
})
/** @category errors @since 0.1.0 */
export type DiscoveryError = InstanceType<typeof DiscoveryError>
/**
 * Whether `u` is a {@link DiscoveryError} (by `code`).
 *
 * @category errors
 * @since 0.1.0
 */
export const isDiscoveryError = guard<DiscoveryError>('ERR_DISCOVERY')

/**
 * The room's HTTP server answered with an unexpected status, redirected to another origin, or
 * could not be reached.
 *
 * @category errors
 * @since 0.1.0
 */
export const HttpError = defineError<{
  readonly method: string
  /** The URL, with the token redacted. */
  readonly url: string
  /** The HTTP status, or `undefined` when no response arrived. */
  readonly status?: number | undefined
  readonly detail: string
}>()({
  name: 'HttpError',
  code: 'ERR_HTTP',
  when: 'The HTTP server could not be reached, answered a non-2xx status, or redirected to another origin.',
  fields: ['method', 'url', 'status'],
  message: (f) => f.detail,
})
/** @category errors @since 0.1.0 */
export type HttpError = InstanceType<typeof HttpError>
/**
 * Whether `u` is an {@link HttpError} (by `code`).
 *
 * @category errors
 * @since 0.1.0
 */
export const isHttpError = guard<HttpError>('ERR_HTTP')

/**
 * Why a download failed.
 *
 * @category errors
 * @since 0.1.0
 */
export type DownloadFailureReason = 'too-large' | 'truncated' | 'io' | 'aborted' | 'no-body'

/**
 * A download did not complete; no partial file was left behind.
 *
 * @category errors
 * @since 0.1.0
 */
export const DownloadError = defineError<{ readonly reason: DownloadFailureReason; readonly fileId: number | string; readonly detail: string }>()({
  name: 'DownloadError',
  code: 'ERR_DOWNLOAD',
  when: 'A download did not complete (`reason`: `too-large`, `truncated`, `io`, `aborted`, `no-body`); no partial file is left.',
  fields: ['reason', 'fileId'],
  message: (f) => f.detail,
})
/** @category errors @since 0.1.0 */
export type DownloadError = InstanceType<typeof DownloadError>
/**
 * Whether `u` is a {@link DownloadError} (by `code`).
 *
 * @category errors
 * @since 0.1.0
 */
export const isDownloadError = guard<DownloadError>('ERR_DOWNLOAD')

/**
 * The options cannot work: no WebSocket constructor, no host or URL, a file that cannot be read.
 *
 * @category errors
 * @since 0.1.0
 */
export const ConfigurationError = defineError<{ readonly detail: string }>()({
  name: 'ConfigurationError',
  code: 'ERR_CONFIGURATION',
  when: 'Options that cannot work (thrown by `connectRoom`), no WebSocket class, a refused `apiVersion`, a file that cannot be read.',
  fields: [],
  message: (f) => f.detail,
})
/** @category errors @since 0.1.0 */
export type ConfigurationError = InstanceType<typeof ConfigurationError>
/**
 * Whether `u` is a {@link ConfigurationError} (by `code`).
 *
 * @category errors
 * @since 0.1.0
 */
export const isConfigurationError = guard<ConfigurationError>('ERR_CONFIGURATION')
