import type * as t from 'io-ts'
import { wireLabelOf } from './internal/meta'

/**
 * Keys whose values are secrets: printed as `<redacted>` wherever they appear in a message.
 *
 * @category errors
 * @since 0.1.0
 */
export const SECRET_KEYS: ReadonlySet<string> = /*#__PURE__*/ new Set([
  'credentials',
  'token',
  'tokenForHttpServer',
])

/** Longest printed value, in characters. */
const MAX_VALUE = 80
const REDACTED = '<redacted>'

/**
 * A value as compact JSON, cut to `max` characters (with `…`), secrets redacted at any depth.
 * Never throws and never walks more of the value than it prints.
 *
 * @category errors
 * @since 0.1.0
 */
export const renderValue = (value: unknown, max: number = MAX_VALUE): string => {
  let out = ''
  const seen = new Set<object>()
  // Returns false once the budget is spent, so large values cost no more than `max` characters.
  const emit = (s: string): boolean => {
    out += s
    return out.length <= max
  }
  const walk = (v: unknown): boolean => {
    if (v === null || typeof v === 'boolean' || typeof v === 'number') return emit(String(v))
    if (typeof v === 'string') return emit(JSON.stringify(v.length > max ? v.slice(0, max + 1) : v))
    if (typeof v === 'undefined') return emit('undefined')
    if (typeof v === 'bigint') return emit(`${v}n`)
    if (typeof v !== 'object') return emit(`<${typeof v}>`)
    if (seen.has(v)) return emit('<circular>')
    seen.add(v)
    if (Array.isArray(v)) {
      if (!emit('[')) return false
      for (let i = 0; i < v.length; i++) if ((i > 0 && !emit(',')) || !walk(v[i])) return false
      return emit(']')
    }
    if (!emit('{')) return false
    let first = true
    for (const key of Object.keys(v)) {
      if (!first && !emit(',')) return false
      first = false
      if (!emit(`${JSON.stringify(key)}:`)) return false
      if (
        SECRET_KEYS.has(key)
          ? !emit(JSON.stringify(REDACTED))
          : !walk((v as Record<string, unknown>)[key])
      ) {
        return false
      }
    }
    return emit('}')
  }
  try {
    walk(value)
  } catch {
    return '<unprintable>'
  }
  return out.length > max ? `${out.slice(0, max - 1)}…` : out
}

/**
 * A context step that does not move into the data: an intersection or union member is validated
 * against the same value as its parent, under a numeric key.
 */
const isStructural = (entry: t.ContextEntry, parent: t.ContextEntry): boolean =>
  entry.actual === parent.actual && /^[0-9]+$/.test(entry.key)

/**
 * Limits of {@link formatDecodeErrors}: a hostile frame can hold a million bad list items, and
 * its report must not cost a million lines.
 *
 * @category errors
 * @since 0.1.0
 */
export interface FormatDecodeErrorsLimits {
  /**
   * Lines at most; past it, one last line counts the rest.
   *
   * @default 20
   */
  readonly maxLines?: number
  /**
   * Characters at most, all lines together; past it, one last line counts the rest.
   *
   * @default 16384
   */
  readonly maxChars?: number
}

/**
 * Defaults of {@link FormatDecodeErrorsLimits}.
 *
 * @category errors
 * @since 0.1.0
 */
export const FORMAT_DECODE_ERRORS_DEFAULTS: Readonly<Required<FormatDecodeErrorsLimits>> =
  /*#__PURE__*/ Object.freeze({
    maxLines: 20,
    maxChars: 16 * 1024,
  })

/**
 * One readable line per validation error: where (`fileRequestStatusChanged.status`), what was
 * expected (the codec's name), and the value received, cut to 80 characters. The values of
 * `credentials`, `token` and `tokenForHttpServer` are printed as `<redacted>`. A missing field
 * reads `missing`. Duplicate lines (a union's members failing at one place) are printed once.
 * At most `limits.maxLines` lines and `limits.maxChars` characters are printed (20 and 16 KiB by
 * default); the last line then says how many errors were left out
 * (`... and 1482 more errors`), and the errors past the limits are not formatted at all.
 *
 * @example
 * import { FileRequestStatusChanged, formatDecodeErrors } from '@org/file-events-codec'
 * const result = FileRequestStatusChanged.decode({ method: 'event', event: 'fileRequestStatusChanged' })
 * if (result._tag === 'Left') console.log(formatDecodeErrors(result.left).join('\n'))
 * // fileRequestStatusChanged.fileRequestId: expected FileRequestId, missing
 * // ...
 *
 * @category errors
 * @since 0.1.0
 */
export const formatDecodeErrors = (
  errors: t.Errors,
  limits?: FormatDecodeErrorsLimits,
): ReadonlyArray<string> => {
  const maxLines = Math.max(1, limits?.maxLines ?? FORMAT_DECODE_ERRORS_DEFAULTS.maxLines)
  const maxChars = Math.max(1, limits?.maxChars ?? FORMAT_DECODE_ERRORS_DEFAULTS.maxChars)
  const lines: string[] = []
  const seen = new Set<string>()
  let chars = 0
  for (let i = 0; i < errors.length; i++) {
    const line = formatError(errors[i] as t.ValidationError)
    if (seen.has(line)) continue
    if (lines.length === maxLines || chars + line.length > maxChars) {
      // The rest are counted, not formatted: duplicates among them are counted too.
      const rest = errors.length - i
      lines.push(`... and ${rest} more error${rest === 1 ? '' : 's'}`)
      break
    }
    seen.add(line)
    lines.push(line)
    chars += line.length
  }
  return lines
}

const formatError = (error: t.ValidationError): string => {
  const context = error.context
  const root = context[0]
  let path = root === undefined ? '' : (wireLabelOf(root.type) ?? root.type.name)
  let expected = root?.type.name ?? 'unknown'
  let secret = false
  for (let i = 1; i < context.length; i++) {
    const entry = context[i] as t.ContextEntry
    if (isStructural(entry, context[i - 1] as t.ContextEntry)) continue
    path += /^[0-9]+$/.test(entry.key) ? `[${entry.key}]` : `.${entry.key}`
    expected = entry.type.name
    if (SECRET_KEYS.has(entry.key)) secret = true
  }
  const where = path === '' ? '(root)' : path
  if (error.message !== undefined) return `${where}: ${error.message}`
  if (error.value === undefined) return `${where}: expected ${expected}, missing`
  return `${where}: expected ${expected}, received ${secret ? REDACTED : renderValue(error.value)}`
}
