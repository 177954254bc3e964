/**
 * The base of this package's errors and the means to declare one: each kind is declared once (name,
 * code, when, fields, message) in `errors.ts`, and its class, guard and README row follow from that.
 * Also the helpers that keep secrets out of what errors carry: URL redaction and scrubbed causes.
 */

/**
 * Removes secrets from a URL before it goes into an error: the `token` query parameter (the HTTP
 * server's token) and any user info are replaced with `***`.
 *
 * @category errors
 * @since 0.1.0
 */
export const redactUrl = (url: string): string =>
  url
    .replace(/([?&](?:token|credentials|pin)=)[^&#]*/gi, '$1***')
    .replace(/\/\/[^/@?#]*@/, '//***@')

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
    super(
      message,
      options?.cause === undefined ? undefined : { cause: scrubError(options.cause, redactUrl) },
    )
  }
}

/**
 * Whether `u` is one of this package's errors (any {@link RoomClientError}). It checks the `code`,
 * so an error from another copy of this package, or from another realm, counts too.
 *
 * @example
 * import { isRoomClientError } from '@org/file-events-stream'
 * try {
 *   // ... await room.acceptFile(id)
 * } catch (error) {
 *   if (isRoomClientError(error)) console.error(error.code, error.message)
 *   else throw error
 * }
 *
 * @category errors
 * @since 0.1.0
 */
export const isRoomClientError = (u: unknown): u is RoomClientError =>
  isErrorLike(u) && KNOWN_CODES.has(read(u, 'code') as string)

/** How deep a chain of causes is followed. */
const MAX_CAUSES = 4
/** Fields of Node system errors worth keeping on a scrubbed copy. */
const SYSTEM_FIELDS = ['code', 'errno', 'syscall', 'address', 'port', 'hostname'] as const

/** The standard error classes, whose prototypes a plain copy can take without breaking anything. */
const STANDARD_PROTOTYPES: ReadonlySet<object> = new Set(
  [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError].map(
    (c) => c.prototype as object,
  ),
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
  if (u instanceof RoomClientError || !isErrorLike(u) || KNOWN_CODES.has(read(u, 'code') as string))
    return u
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
  define(
    'stack',
    typeof stack === 'string'
      ? redact(stack)
      : `${String(read(copy, 'name'))}: ${String(read(copy, 'message'))}`,
  )
  for (const key of SYSTEM_FIELDS) {
    const value = read(u, key)
    if (typeof value === 'string') define(key, redact(value), true)
    else if (typeof value === 'number') define(key, value, true)
  }
  if (depth < MAX_CAUSES) {
    const cause = read(u, 'cause')
    if (cause !== undefined) define('cause', scrubError(cause, redact, depth + 1))
    const errors = read(u, 'errors')
    if (Array.isArray(errors))
      define(
        'errors',
        errors.slice(0, 16).map((e: unknown) => scrubError(e, redact, depth + 1)),
      )
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

/**
 * Whether `u` is an error with this `code`.
 *
 * @internal
 */
export const hasCode = (u: unknown, code: string): boolean =>
  isErrorLike(u) && read(u, 'code') === code

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
    const messages = [
      ...new Set(
        errors
          .filter(isErrorLike)
          .map((e) => e.message)
          .filter((m) => m !== ''),
      ),
    ]
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
  new (
    ...args: undefined extends F
      ? [fields?: F, options?: RoomClientErrorOptions]
      : [fields: F, options?: RoomClientErrorOptions]
  ): DeclaredError<N, C, F, K>
  readonly prototype: DeclaredError<N, C, F, K>
}

/** An instance of a declared error kind. */
type DeclaredError<
  N extends string,
  C extends RoomClientErrorCode,
  F,
  K extends keyof F,
> = RoomClientError & {
  readonly name: N
  readonly code: C
} & Readonly<Pick<F, K>>

/**
 * Every declared error kind, in the order of the README's table.
 *
 * @internal
 */
export const ERROR_KINDS: Array<{
  readonly name: string
  readonly code: RoomClientErrorCode
  readonly when: string
  readonly fields: ReadonlyArray<string>
}> = []

/**
 * Makes the class of one error kind from its declaration, and lists it in {@link ERROR_KINDS}.
 *
 * @internal
 */
export const defineError =
  <F>() =>
  <const N extends string, const C extends RoomClientErrorCode, const K extends keyof F & string>(
    spec: ErrorSpec<N, C, F, K>,
  ): ErrorClass<N, C, F, K> => {
    class Declared extends RoomClientError {
      override readonly name: N = spec.name
      readonly code: C = spec.code
      constructor(fields: F, options?: RoomClientErrorOptions) {
        const cause = options?.cause ?? spec.cause?.(fields)
        super(spec.message(fields), cause === undefined ? undefined : { cause })
        for (const key of spec.fields) {
          const value = fields[key]
          // A URL field may come with its token: it is kept redacted.
          ;(this as unknown as Record<string, unknown>)[key] =
            key === 'url' && typeof value === 'string' ? redactUrl(value) : value
        }
      }
    }
    Object.defineProperty(Declared, 'name', { value: spec.name })
    ERROR_KINDS.push({ name: spec.name, code: spec.code, when: spec.when, fields: spec.fields })
    return Declared as unknown as ErrorClass<N, C, F, K>
  }

/**
 * The `isX` guard of an error kind: whether `u` has its code, from this copy of the package,
 * another one, or another realm.
 *
 * @internal
 */
export const guard =
  <T>(code: RoomClientErrorCode) =>
  (u: unknown): u is T =>
    hasCode(u, code)
