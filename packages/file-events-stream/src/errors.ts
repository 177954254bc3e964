import type { DecodeFailure } from '@org/file-events-codec'
import { defineError, guard, redactUrl } from './RoomClientError'

export { RoomClientError, isRoomClientError, redactUrl } from './RoomClientError'
/** @internal */
export { ERROR_KINDS, hasCode, isErrorLike, messageOf, scrubError } from './RoomClientError'
export type { RoomClientErrorCode, RoomClientErrorOptions } from './RoomClientError'

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
export class ConnectionError extends defineError<{
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
  when: 'The socket could not open, dropped, took longer than `connectTimeoutMs`, carried a frame over twice `maxFrameBytes`, or stopped answering the keep-alive; requests in flight fail with it. `reason` says which (`open-failed`, `closed`, `timeout`, `too-large`, `unresponsive`, `send-failed`, `handshake`, `credentials`, `reconnect`).',
  fields: ['reason', 'url', 'closeCode', 'closeReason'],
  message: (f) => f.detail,
}) {}
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
export class RetriesExhaustedError extends defineError<{
  /** The connection attempts made in a row, all failed (the first one included). */
  readonly attempts: number
  readonly lastError: unknown
}>()({
  name: 'RetriesExhaustedError',
  code: 'ERR_RETRIES_EXHAUSTED',
  when: '`maxRetries + 1` connection attempts failed in a row (a session that did not stay ready `minUptimeMs` counts as failed); ends the streams. `lastError` is also the `cause`.',
  fields: ['attempts', 'lastError'],
  message: (f) =>
    `gave up after ${f.attempts} failed connection attempt${f.attempts === 1 ? '' : 's'}`,
  cause: (f) => f.lastError,
}) {}
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
export class AuthenticationError extends defineError<{
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
}) {}
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
export class RequestTimeoutError extends defineError<{
  readonly method: string
  readonly requestId: string
  readonly timeoutMs: number
}>()({
  name: 'RequestTimeoutError',
  code: 'ERR_REQUEST_TIMEOUT',
  when: 'No reply within the timeout.',
  fields: ['method', 'requestId', 'timeoutMs'],
  message: (f) => `no reply to ${f.method} (requestId ${f.requestId}) within ${f.timeoutMs} ms`,
}) {}
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
export class CommandFailedError extends defineError<{
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
  message: (f) =>
    `${f.method} failed` +
    (f.serverError !== undefined ? `: ${f.serverError}` : ' (no error given)'),
}) {}
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
export class ReplyDecodeError extends defineError<{
  readonly method: string
  readonly requestId: string
  readonly failure: DecodeFailure
}>()({
  name: 'ReplyDecodeError',
  code: 'ERR_REPLY_DECODE',
  when: 'The reply to a request did not match its codec (the report is at most 20 lines and 16 KiB).',
  fields: ['method', 'requestId', 'failure'],
  message: (f) => `the reply to ${f.method} did not decode: ${f.failure.messages.join('; ')}`,
}) {}
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
export class ConnectionClosedError extends defineError<{ readonly detail?: string } | undefined>()({
  name: 'ConnectionClosedError',
  code: 'ERR_CLOSED',
  when: 'A request, upload or download made, pending or running when `close()` is called, or made after it.',
  fields: [],
  message: (f) => f?.detail ?? 'the connection was closed',
}) {}
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
export class RequestQueueFullError extends defineError<{
  readonly method: string
  readonly maxQueuedRequests: number
}>()({
  name: 'RequestQueueFullError',
  code: 'ERR_QUEUE_FULL',
  when: 'A request made while disconnected found `maxQueuedRequests` requests already waiting.',
  fields: ['method', 'maxQueuedRequests'],
  message: (f) =>
    `${f.method} was not queued: ${f.maxQueuedRequests} requests already wait for the connection (maxQueuedRequests)`,
}) {}
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
export type DiscoveryFailureReason =
  'timeout' | 'unreachable' | 'http-status' | 'too-large' | 'invalid' | 'destination' | 'redirect'

/**
 * The discovery document (`config.json`) could not be read, was too large, did not decode, or
 * named a port or host that cannot be used.
 *
 * @category errors
 * @since 0.1.0
 */
export class DiscoveryError extends defineError<{
  readonly reason: DiscoveryFailureReason
  /** The discovery URL. */
  readonly url: string
  readonly detail: string
}>()({
  name: 'DiscoveryError',
  code: 'ERR_DISCOVERY',
  when: '`config.json` unreachable, too slow (`timeoutMs`), over 64 KiB, invalid, redirected to another origin, or naming a malformed host or a port outside 1..65535 (`reason`: `timeout`, `unreachable`, `http-status`, `too-large`, `invalid`, `redirect`, `destination`). Raised when `discoveryFallback` is off, and by `discoverRoom`.',
  fields: ['reason', 'url'],
  message: (f) => `discovery at ${redactUrl(f.url)} ${f.detail}`,
}) {}
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
export class HttpError extends defineError<{
  readonly method: string
  /** The URL, with the token redacted. */
  readonly url: string
  /** The HTTP status, or `undefined` when no response arrived. */
  readonly status?: number | undefined
  readonly detail: string
}>()({
  name: 'HttpError',
  code: 'ERR_HTTP',
  when: 'The HTTP server answered non-2xx (after one token refresh on 401/403), could not be reached (the message gives the reason, such as `ECONNREFUSED`, and in a browser that CORS may be why), stayed silent for `httpTimeoutMs` (no piece of a body taken or given, or no answer), redirected a download to another origin (not followed) or answered an upload with any redirect; an upload answer without `FileId`.',
  fields: ['method', 'url', 'status'],
  message: (f) => f.detail,
}) {}
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
export class DownloadError extends defineError<{
  readonly reason: DownloadFailureReason
  readonly fileId: number | string
  readonly detail: string
}>()({
  name: 'DownloadError',
  code: 'ERR_DOWNLOAD',
  when: 'A download failed; no partial file is left. `reason`: `too-large`, `truncated`, `io`, `aborted` (its `signal`, even one aborted before the call), `no-body`.',
  fields: ['reason', 'fileId'],
  message: (f) => f.detail,
}) {}
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
export class ConfigurationError extends defineError<{ readonly detail: string }>()({
  name: 'ConfigurationError',
  code: 'ERR_CONFIGURATION',
  when: 'Thrown by `connectRoom` itself for options that could never work: no `host`/`wsUrl`, a URL or `host:port` as `host`, a `wsUrl`/`httpUrl` that does not parse or has the wrong scheme, a `webPort` out of range, an empty `pin`, a count that is not a whole number. Later: no WebSocket class (Node 20 without `ws`), no `fetch`, a `path` that is not a readable file, an empty `fileName`.',
  fields: [],
  message: (f) => f.detail,
}) {}
/**
 * Whether `u` is a {@link ConfigurationError} (by `code`).
 *
 * @category errors
 * @since 0.1.0
 */
export const isConfigurationError = guard<ConfigurationError>('ERR_CONFIGURATION')
