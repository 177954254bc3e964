import {
  type DecodeFailure,
  type RoomMessage,
  SECRET_KEYS,
  decodeRoomMessage,
} from '@org/file-events-codec'
import type { Decoded } from './decodeFrames'
import { messageOf, redactUrl, scrubError } from './errors'

/** What replaces a secret. */
const MASK = '***'
/** Tokens remembered (the most recent; older ones have long expired). PINs are never forgotten. */
const MAX_TOKENS = 24
/** PINs remembered: a `pin` function may give a new one on every attempt. */
const MAX_PINS = 8
/**
 * A secret shorter than this is only matched as a word of its own (no letter, digit or `_` beside
 * it, and not inside a decimal number), not inside other text: a PIN of `1` must not turn `100`
 * into `***00`.
 */
const SHORT_SECRET = 8
const BEFORE = String.raw`(?<![\p{L}\p{N}_])(?<!\p{N}[.,])`
const AFTER = String.raw`(?![\p{L}\p{N}_])(?![.,]\p{N})`
// Escaped for a `u` pattern, where only syntax characters (and `/`) may be escaped.
const ESCAPE = /[.*+?^${}()|[\]\\/]/g

/** A secret as it may appear: as it is, JSON-escaped (`"` and `\`), URL-encoded. */
const formsOf = (secret: string): string[] => [
  ...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]),
]

/**
 * The pattern of the short forms: each only as a word of its own. Long forms need no pattern (a
 * plain search finds them), so most connections, whose secrets are long tokens, compile none.
 */
const patternOf = (short: ReadonlyArray<string>): RegExp | undefined =>
  short.length === 0
    ? undefined
    : new RegExp(
        short.map((form) => `${BEFORE}${form.replace(ESCAPE, '\\$&')}${AFTER}`).join('|'),
        'gu',
      )

/** A redactor's secrets: the lists, their forms (long ones longest first), the short ones' pattern. */
interface Secrets {
  pins: string[]
  tokens: string[]
  long: ReadonlyArray<string>
  short: ReadonlyArray<string>
  pattern: RegExp | undefined
}

/** Shared by every redactor until it learns a secret: a connection is small while idle. */
const NONE: ReadonlyArray<string> = Object.freeze([])

const holdsIn = (secrets: Secrets, text: string): boolean => {
  if (secrets.long.length === 0 && secrets.short.length === 0) return false
  // A frame with an escape (`\/`, `\u0031`) may spell a secret otherwise: it is taken as holding
  // one, and its decoded strings are searched.
  if (text.includes('\\')) return true
  for (const form of secrets.long) if (text.includes(form)) return true
  const pattern = secrets.pattern
  if (pattern === undefined || !secrets.short.some((form) => text.includes(form))) return false
  pattern.lastIndex = 0
  const found = pattern.test(text)
  pattern.lastIndex = 0
  return found
}

/**
 * Removes every secret the connection knows (its PINs, every token the room handed out in reply
 * to its requests) from text meant for people: error messages and causes, `decodeFailures$`
 * reports, the room's own error strings, log entries. Data is never rewritten: `messages$` masks
 * only the fields that carry secrets (see {@link Redactor.shown}). It redacts before it cuts (a cut cannot leave a secret's first characters), matches the
 * JSON-escaped and URL-encoded forms too, and matches a short secret only as a word of its own.
 *
 * @internal
 */
export class Redactor {
  /** A private field: no inspection or walk over a redactor (or what holds it) reaches it. */
  readonly #secrets: Secrets = {
    pins: NONE as string[],
    tokens: NONE as string[],
    long: NONE,
    short: NONE,
    pattern: undefined,
  }

  /**
   * Remembers a secret to redact from now on. PINs are kept for the connection's life; tokens, the
   * most recent {@link MAX_TOKENS} (seen again, a token counts as recent).
   */
  learn(secret: string | undefined, kind: 'pin' | 'token' = 'token'): void {
    if (secret === undefined || secret === '') return
    const secrets = this.#secrets
    if (secrets.pins === NONE && kind === 'pin') secrets.pins = []
    if (secrets.tokens === NONE && kind === 'token') secrets.tokens = []
    const list = kind === 'pin' ? secrets.pins : secrets.tokens
    const at = list.indexOf(secret)
    if (at === list.length - 1 && at >= 0) return
    if (at >= 0) list.splice(at, 1)
    list.push(secret)
    if (list.length > (kind === 'pin' ? MAX_PINS : MAX_TOKENS)) list.shift()
    const all = [...secrets.pins, ...secrets.tokens]
    // Longest first, so that a secret containing another is replaced whole.
    const forms = [...new Set(all.flatMap(formsOf))].sort((x, y) => y.length - x.length)
    secrets.long = forms.filter((form) => form.length >= SHORT_SECRET)
    secrets.short = forms.filter((form) => form.length < SHORT_SECRET)
    secrets.pattern = patternOf(secrets.short)
  }

  /** Whether `text` may hold a secret: it does, or it has an escape that could spell one. */
  holds(text: string): boolean {
    return holdsIn(this.#secrets, text)
  }

  /** `text` with every secret replaced by `***`, then cut to `max` characters. */
  redact(text: string, max = Number.POSITIVE_INFINITY): string {
    const secrets = this.#secrets
    let out = text
    for (const form of secrets.long) if (out.includes(form)) out = out.split(form).join(MASK)
    if (secrets.pattern !== undefined) out = out.replace(secrets.pattern, MASK)
    return out.length > max ? `${out.slice(0, Math.max(0, max - 1))}…` : out
  }

  /** A message of anything thrown, for another error's message: URL secrets and known secrets removed. */
  describe(error: unknown): string {
    return this.redact(redactUrl(messageOf(error)))
  }

  /** An error to keep as a cause: a copy with URL secrets and known secrets removed, causes included. */
  scrub(error: unknown): unknown {
    return scrubError(error, (text) => this.redact(redactUrl(text)))
  }

  /**
   * A decoded frame as `messages$` shows it. A message is the room's data, and stays as sent: only
   * the fields that carry secrets by definition ({@link SECRET_KEYS}: `credentials`, `token`,
   * `tokenForHttpServer`) are masked, in a copy. A PIN of `1234` leaves `invoice 1234.pdf` and a
   * request id holding `1234` as they are. A decode failure is a report for people: its text is
   * redacted (see {@link Redactor.failure}). `text` is the frame's text when known.
   */
  shown(decoded: Decoded, text: string | undefined): Decoded {
    if (decoded._tag === 'DecodeFailure') {
      const secrets = this.#secrets
      if (
        (secrets.long.length === 0 && secrets.short.length === 0) ||
        (text !== undefined && !holdsIn(secrets, text))
      )
        return decoded
      return this.failure(decoded, text)
    }
    const message = decoded.message as Readonly<Record<string, unknown>>
    let masked: Record<string, unknown> | undefined
    for (const key of SECRET_KEYS) {
      if (message[key] === undefined || message[key] === MASK) continue
      masked ??= { ...message }
      masked[key] = MASK
    }
    return masked === undefined
      ? decoded
      : { _tag: 'Message', message: masked as unknown as RoomMessage }
  }

  /**
   * A decode failure without secrets. A schema failure is formatted again from the frame with its
   * strings redacted, so that a secret is gone before the report cuts a value to 80 characters.
   */
  failure(failure: DecodeFailure, text: string | undefined): DecodeFailure {
    let messages = failure.messages
    if (failure.reason === 'schema' && text !== undefined && this.holds(text)) {
      try {
        const again = decodeRoomMessage(JSON.stringify(this.strings(JSON.parse(text))))
        if (again._tag === 'Left') messages = again.left.messages
      } catch {
        // The frame parsed once; if it does not now, the textual redaction below still applies.
      }
    }
    const copy: { -readonly [K in keyof DecodeFailure]: DecodeFailure[K] } = {
      ...failure,
      messages: messages.map((m) => this.redact(m)),
    }
    if (typeof failure.method === 'string') copy.method = this.redact(failure.method)
    if (typeof failure.event === 'string') copy.event = this.redact(failure.event)
    if (typeof failure.requestId === 'string') copy.requestId = this.redact(failure.requestId)
    return copy
  }

  /** A copy of a JSON value with every string (keys too) redacted; the value itself when none held a secret. */
  strings(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redact(value)
    if (typeof value !== 'object' || value === null || depth > 64) return value
    let changed = false
    if (Array.isArray(value)) {
      const out = value.map((item: unknown) => {
        const next = this.strings(item, depth + 1)
        if (next !== item) changed = true
        return next
      })
      return changed ? out : value
    }
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      const safeKey = this.redact(key)
      const next = this.strings(item, depth + 1)
      if (next !== item || safeKey !== key) changed = true
      out[safeKey] = next
    }
    return changed ? out : value
  }
}
