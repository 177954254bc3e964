import * as t from 'io-ts'
import { formatDecodeErrors, renderValue } from '@org/file-events-codec'

/**
 * Codecs that check a number's range: a number they refuse is out of range (`RangeError`), anything
 * else they refuse has the wrong type (`TypeError`).
 */
const rangeCodecs = new WeakSet<t.Decoder<unknown, unknown>>()

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * A codec that accepts what `is` accepts and whose failure says what was expected in words
 * (`expected FileSize: an integer >= 0, received -5`), so an error names the range, not just a type.
 */
export const described = <A>(
  name: string,
  is: (u: unknown) => u is A,
  expected: string,
  numeric = true,
): t.Type<A, A, unknown> => {
  const codec = new t.Type<A, A, unknown>(
    name,
    is,
    (u, c) =>
      is(u)
        ? t.success(u)
        : t.failure(
            u,
            c,
            `expected ${expected}, ${u === undefined ? 'missing' : `received ${renderValue(u)}`}`,
          ),
    t.identity,
  )
  if (numeric) rangeCodecs.add(codec)
  return codec
}

const isFiniteNumber = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u)

/** A finite number in `[min, max]`; `integer` also requires a safe integer. */
export const numberIn = (
  name: string,
  min: number,
  max: number,
  expected: string,
  integer = false,
): t.Type<number, number, unknown> =>
  described(
    name,
    (u): u is number =>
      isFiniteNumber(u) && u >= min && u <= max && (!integer || Number.isSafeInteger(u)),
    expected,
  )

/**
 * An object with the `required` and `optional` props and no other key. An unknown key (a typo such
 * as `sise`) is an error at its own path, listing the keys that are known there; io-ts's own
 * `exact` would drop it silently.
 */
export const closed = <R extends t.Props, O extends t.Props>(
  name: string,
  required: R,
  optional: O,
): t.Type<
  t.TypeOf<t.TypeC<R>> & t.TypeOf<t.PartialC<O>>,
  t.OutputOf<t.TypeC<R>> & t.OutputOf<t.PartialC<O>>,
  unknown
> => {
  const inner = t.intersection([t.type(required), t.partial(optional)])
  const keys = new Set([...Object.keys(required), ...Object.keys(optional)])
  const known = [...keys].join(', ')
  const unknownKey = new t.Type<never>(
    'unknown key',
    (_u): _u is never => false,
    t.failure,
    t.identity,
  )
  return new t.Type(
    name,
    (u): u is t.TypeOf<typeof inner> => inner.is(u) && Object.keys(u).every((k) => keys.has(k)),
    (u, c) => {
      if (!isRecord(u))
        return t.failure(u, c, `expected an object { ${known} }, received ${renderValue(u)}`)
      const extra: t.Errors = Object.keys(u)
        .filter((k) => !keys.has(k))
        .map((k) => ({
          value: u[k],
          context: t.appendContext(c, k, unknownKey, u[k]),
          message: `unknown key "${k}" (known keys: ${known})`,
        }))
      const result = inner.validate(u, c)
      if (result._tag === 'Left') return t.failures([...extra, ...result.left])
      return extra.length > 0 ? t.failures(extra) : result
    },
    inner.encode,
  )
}

/**
 * A union told apart by one key: the value of `key` (a tagged union such as a fault's `type`) picks
 * the only member whose errors are reported, instead of every member's.
 */
export const taggedBy = <A>(
  name: string,
  key: string,
  members: Readonly<Record<string, t.Mixed>>,
): t.Type<A, A, unknown> => {
  const tags = Object.keys(members)
  const tagCodec = new t.Type<never>(
    `one of ${tags.join(', ')}`,
    (_u): _u is never => false,
    t.failure,
    t.identity,
  )
  return new t.Type<A, A, unknown>(
    name,
    (u): u is A => {
      const tag = isRecord(u) ? u[key] : undefined
      return typeof tag === 'string' && Object.hasOwn(members, tag) && members[tag]?.is(u) === true
    },
    (u, c) => {
      if (!isRecord(u))
        return t.failure(
          u,
          c,
          `expected an object with "${key}": ${tags.join(' | ')}, received ${renderValue(u)}`,
        )
      const tag = u[key]
      const member =
        typeof tag === 'string' && Object.hasOwn(members, tag) ? members[tag] : undefined
      if (member === undefined) {
        const what = tag === undefined ? 'missing' : `received ${renderValue(tag)}`
        return t.failure(
          tag,
          t.appendContext(c, key, tagCodec, tag),
          `expected one of ${tags.join(', ')}, ${what}`,
        )
      }
      return member.validate(u, c) as t.Validation<A>
    },
    t.identity,
  )
}

/** `codec` under another name: the name is the first segment of every error path. */
export const named = <A, O>(codec: t.Type<A, O, unknown>, name: string): t.Type<A, O, unknown> => {
  const renamed = new t.Type<A, O, unknown>(name, codec.is, codec.validate, codec.encode)
  if (rangeCodecs.has(codec)) rangeCodecs.add(renamed)
  return renamed
}

/**
 * Checks one argument of a public method, before anything changes. Throws a `RangeError` for a number
 * out of range and a `TypeError` otherwise, naming the method, the argument's path, what was expected
 * and the value received: `room-simulator: offerFile: offer.size: expected FileSize: an integer >= 0, received -5`.
 */
export const checkArgument = <A, O>(
  method: string,
  argument: string,
  codec: t.Type<A, O, unknown>,
  value: unknown,
): A => {
  const decoded = named(codec, argument).decode(value)
  if (decoded._tag === 'Right') return decoded.right
  const first = decoded.left[0]
  const leaf = first?.context.at(-1)?.type
  const range = leaf !== undefined && rangeCodecs.has(leaf) && typeof first?.value === 'number'
  const message = `room-simulator: ${method}: ${formatDecodeErrors(decoded.left).slice(0, 5).join('; ')}`
  throw range ? new RangeError(message) : new TypeError(message)
}

/**
 * A union told apart by which of its action keys an object has (a scenario step's `offer`, `send`,
 * …): exactly one must be present, and only that member's errors are reported.
 */
export const oneActionOf = <A>(
  name: string,
  members: Readonly<Record<string, t.Mixed>>,
): t.Type<A, A, unknown> => {
  const actions = Object.keys(members)
  const present = (u: Record<string, unknown>): string[] =>
    actions.filter((k) => Object.hasOwn(u, k))
  return new t.Type<A, A, unknown>(
    name,
    (u): u is A => {
      if (!isRecord(u)) return false
      const keys = present(u)
      return keys.length === 1 && members[keys[0] as string]?.is(u) === true
    },
    (u, c) => {
      if (!isRecord(u))
        return t.failure(
          u,
          c,
          `expected an object with one of ${actions.join(', ')}, received ${renderValue(u)}`,
        )
      const keys = present(u)
      if (keys.length === 0)
        return t.failure(
          u,
          c,
          `expected one action key (${actions.join(', ')}), found none among ${renderValue(Object.keys(u))}`,
        )
      if (keys.length > 1)
        return t.failure(
          u,
          c,
          `expected one action per step, found ${keys.length}: ${keys.join(', ')}`,
        )
      return (members[keys[0] as string] as t.Mixed).validate(u, c) as t.Validation<A>
    },
    t.identity,
  )
}
