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

type ErrorOptions = { readonly cause?: unknown }

/**
 * The `code` of every {@link RoomClientError}: a `switch` over it can be exhaustive.
 *
 * @category errors
 * @since 0.1.0
 */
export type RoomClientErrorCode = (typeof ROOM_CLIENT_ERROR_CODES)[number]

const ROOM_CLIENT_ERROR_CODES = [
  'ERR_CONNECTION',
  'ERR_RETRIES_EXHAUSTED',
  'ERR_AUTHENTICATION',
  'ERR_REQUEST_TIMEOUT',
  'ERR_COMMAND_FAILED',
  'ERR_REPLY_DECODE',
  'ERR_CLOSED',
  'ERR_DISCOVERY',
  'ERR_HTTP',
  'ERR_DOWNLOAD',
  'ERR_CONFIGURATION',
] as const
const KNOWN_CODES: ReadonlySet<string> = new Set(ROOM_CLIENT_ERROR_CODES)

/**
 * Base class of every error this package raises: an `Error` with a stable `code`.
 *
 * @category errors
 * @since 0.1.0
 */
export abstract class RoomClientError extends Error {
  /** A stable string naming the kind of failure; see the README's error table. */
  abstract readonly code: RoomClientErrorCode
  constructor(message: string, options?: ErrorOptions) {
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
 * The socket could not be opened, or closed while in use. Pending requests fail with it when the
 * connection drops; the stream itself only errors with it when reconnecting is off.
 *
 * @category errors
 * @since 0.1.0
 */
export class ConnectionError extends RoomClientError {
  override readonly name = 'ConnectionError'
  readonly code = 'ERR_CONNECTION'
  /** The WebSocket URL (secrets redacted). */
  readonly url: string
  /** The WebSocket close code, when the socket closed. */
  readonly closeCode: number | undefined
  /** The WebSocket close reason, when one was given. */
  readonly closeReason: string | undefined
  constructor(
    message: string,
    fields: { url: string; closeCode?: number | undefined; closeReason?: string | undefined },
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.url = redactUrl(fields.url)
    this.closeCode = fields.closeCode
    this.closeReason = fields.closeReason
  }
}
/**
 * Whether `u` is a {@link ConnectionError}. It checks the `code`, so an error from another copy of this
 * package, or from another realm, counts too.
 *
 * @category errors
 * @since 0.1.0
 */
export const isConnectionError = (u: unknown): u is ConnectionError => hasCode(u, 'ERR_CONNECTION')

/**
 * Reconnecting gave up: `maxRetries` reconnects failed after the first attempt, so `attempts`
 * (`maxRetries + 1`) connection attempts were made in a row; `lastError` is why the last one failed.
 *
 * @category errors
 * @since 0.1.0
 */
export class RetriesExhaustedError extends RoomClientError {
  override readonly name = 'RetriesExhaustedError'
  readonly code = 'ERR_RETRIES_EXHAUSTED'
  /** The connection attempts made in a row, all failed (the first one included). */
  readonly attempts: number
  readonly lastError: unknown
  constructor(attempts: number, lastError: unknown) {
    super(`gave up after ${attempts} failed connection attempt${attempts === 1 ? '' : 's'}`, { cause: lastError })
    this.attempts = attempts
    this.lastError = lastError
  }
}
/**
 * Whether `u` is a {@link RetriesExhaustedError}. It checks the `code`, so an error from another copy of this
 * package, or from another realm, counts too.
 *
 * @category errors
 * @since 0.1.0
 */
export const isRetriesExhaustedError = (u: unknown): u is RetriesExhaustedError => hasCode(u, 'ERR_RETRIES_EXHAUSTED')

/**
 * The room refused `auth` (a wrong PIN, or a PIN required). Terminal: the connection does not retry.
 * The PIN is never part of the message.
 *
 * @category errors
 * @since 0.1.0
 */
export class AuthenticationError extends RoomClientError {
  override readonly name = 'AuthenticationError'
  readonly code = 'ERR_AUTHENTICATION'
  /** `secured` (a PIN was sent) or `unsecured`. */
  readonly authType: 'secured' | 'unsecured'
  /** The room's `resultCode`, when it sent one (3 on a wrong PIN). */
  readonly resultCode: number | undefined
  /** The room's `error` string, when it sent one. */
  readonly serverError: string | undefined
  constructor(fields: { authType: 'secured' | 'unsecured'; resultCode?: number | undefined; serverError?: string | undefined }) {
    super(
      `the room refused ${fields.authType} authentication` +
        (fields.serverError !== undefined ? `: ${fields.serverError}` : '') +
        (fields.authType === 'secured' ? ' (check the PIN)' : ' (the room may require a PIN)'),
    )
    this.authType = fields.authType
    this.resultCode = fields.resultCode
    this.serverError = fields.serverError
  }
}
/**
 * Whether `u` is a {@link AuthenticationError}. It checks the `code`, so an error from another copy of this
 * package, or from another realm, counts too.
 *
 * @category errors
 * @since 0.1.0
 */
export const isAuthenticationError = (u: unknown): u is AuthenticationError => hasCode(u, 'ERR_AUTHENTICATION')

/**
 * No reply to a command within its timeout.
 *
 * @category errors
 * @since 0.1.0
 */
export class RequestTimeoutError extends RoomClientError {
  override readonly name = 'RequestTimeoutError'
  readonly code = 'ERR_REQUEST_TIMEOUT'
  readonly method: string
  readonly requestId: string
  readonly timeoutMs: number
  constructor(fields: { method: string; requestId: string; timeoutMs: number }) {
    super(`no reply to ${fields.method} (requestId ${fields.requestId}) within ${fields.timeoutMs} ms`)
    this.method = fields.method
    this.requestId = fields.requestId
    this.timeoutMs = fields.timeoutMs
  }
}
/**
 * Whether `u` is a {@link RequestTimeoutError}. It checks the `code`, so an error from another copy of this
 * package, or from another realm, counts too.
 *
 * @category errors
 * @since 0.1.0
 */
export const isRequestTimeoutError = (u: unknown): u is RequestTimeoutError => hasCode(u, 'ERR_REQUEST_TIMEOUT')

/**
 * The room answered a command with `result: false`.
 *
 * @category errors
 * @since 0.1.0
 */
export class CommandFailedError extends RoomClientError {
  override readonly name = 'CommandFailedError'
  readonly code = 'ERR_COMMAND_FAILED'
  readonly method: string
  readonly requestId: string
  /** The room's `error` string, when it sent one. */
  readonly serverError: string | undefined
  readonly resultCode: number | undefined
  constructor(fields: { method: string; requestId: string; serverError?: string | undefined; resultCode?: number | undefined }) {
    super(`${fields.method} failed` + (fields.serverError !== undefined ? `: ${fields.serverError}` : ' (no error given)'))
    this.method = fields.method
    this.requestId = fields.requestId
    this.serverError = fields.serverError
    this.resultCode = fields.resultCode
  }
}
/**
 * Whether `u` is a {@link CommandFailedError}. It checks the `code`, so an error from another copy of this
 * package, or from another realm, counts too.
 *
 * @category errors
 * @since 0.1.0
 */
export const isCommandFailedError = (u: unknown): u is CommandFailedError => hasCode(u, 'ERR_COMMAND_FAILED')

/**
 * The reply to a command did not match its codec.
 *
 * @category errors
 * @since 0.1.0
 */
export class ReplyDecodeError extends RoomClientError {
  override readonly name = 'ReplyDecodeError'
  readonly code = 'ERR_REPLY_DECODE'
  readonly method: string
  readonly requestId: string
  readonly failure: DecodeFailure
  constructor(fields: { method: string; requestId: string; failure: DecodeFailure }) {
    super(`the reply to ${fields.method} did not decode: ${fields.failure.messages.join('; ')}`)
    this.method = fields.method
    this.requestId = fields.requestId
    this.failure = fields.failure
  }
}
/**
 * Whether `u` is a {@link ReplyDecodeError}. It checks the `code`, so an error from another copy of this
 * package, or from another realm, counts too.
 *
 * @category errors
 * @since 0.1.0
 */
export const isReplyDecodeError = (u: unknown): u is ReplyDecodeError => hasCode(u, 'ERR_REPLY_DECODE')

/**
 * The connection was closed by the caller (`close()`); raised by requests made or pending then.
 *
 * @category errors
 * @since 0.1.0
 */
export class ConnectionClosedError extends RoomClientError {
  override readonly name = 'ConnectionClosedError'
  readonly code = 'ERR_CLOSED'
  constructor(message = 'the connection was closed') {
    super(message)
  }
}
/**
 * Whether `u` is a {@link ConnectionClosedError}. It checks the `code`, so an error from another copy of this
 * package, or from another realm, counts too.
 *
 * @category errors
 * @since 0.1.0
 */
export const isConnectionClosedError = (u: unknown): u is ConnectionClosedError => hasCode(u, 'ERR_CLOSED')

/**
 * The discovery document (`config.json`) could not be read or did not decode.
 *
 * @category errors
 * @since 0.1.0
 */
export class DiscoveryError extends RoomClientError {
  override readonly name = 'DiscoveryError'
  readonly code = 'ERR_DISCOVERY'
  readonly url: string
  constructor(message: string, url: string, options?: ErrorOptions) {
    super(message, options)
    this.url = redactUrl(url)
  }
}
/**
 * Whether `u` is a {@link DiscoveryError}. It checks the `code`, so an error from another copy of this
 * package, or from another realm, counts too.
 *
 * @category errors
 * @since 0.1.0
 */
export const isDiscoveryError = (u: unknown): u is DiscoveryError => hasCode(u, 'ERR_DISCOVERY')

/**
 * The room's HTTP server answered with an unexpected status, or could not be reached.
 *
 * @category errors
 * @since 0.1.0
 */
export class HttpError extends RoomClientError {
  override readonly name = 'HttpError'
  readonly code = 'ERR_HTTP'
  readonly method: string
  /** The URL, with the token redacted. */
  readonly url: string
  /** The HTTP status, or `undefined` when no response arrived. */
  readonly status: number | undefined
  constructor(message: string, fields: { method: string; url: string; status?: number | undefined }, options?: ErrorOptions) {
    super(message, options)
    this.method = fields.method
    this.url = redactUrl(fields.url)
    this.status = fields.status
  }
}
/**
 * Whether `u` is a {@link HttpError}. It checks the `code`, so an error from another copy of this
 * package, or from another realm, counts too.
 *
 * @category errors
 * @since 0.1.0
 */
export const isHttpError = (u: unknown): u is HttpError => hasCode(u, 'ERR_HTTP')

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
export class DownloadError extends RoomClientError {
  override readonly name = 'DownloadError'
  readonly code = 'ERR_DOWNLOAD'
  readonly reason: DownloadFailureReason
  readonly fileId: number | string
  constructor(message: string, fields: { reason: DownloadFailureReason; fileId: number | string }, options?: ErrorOptions) {
    super(message, options)
    this.reason = fields.reason
    this.fileId = fields.fileId
  }
}
/**
 * Whether `u` is a {@link DownloadError}. It checks the `code`, so an error from another copy of this
 * package, or from another realm, counts too.
 *
 * @category errors
 * @since 0.1.0
 */
export const isDownloadError = (u: unknown): u is DownloadError => hasCode(u, 'ERR_DOWNLOAD')

/**
 * The options cannot work: no WebSocket constructor, no host or URL, a file that cannot be read.
 *
 * @category errors
 * @since 0.1.0
 */
export class ConfigurationError extends RoomClientError {
  override readonly name = 'ConfigurationError'
  readonly code = 'ERR_CONFIGURATION'
}
/**
 * Whether `u` is a {@link ConfigurationError}. It checks the `code`, so an error from another copy of this
 * package, or from another realm, counts too.
 *
 * @category errors
 * @since 0.1.0
 */
export const isConfigurationError = (u: unknown): u is ConfigurationError => hasCode(u, 'ERR_CONFIGURATION')
