import * as t from 'io-ts'
import { guardOf } from './guard'
import { withMeta } from './meta'

/** A plain object (not null, not an array): what every JSON message must be. */
export const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * A non-transforming codec from a type guard: `decode` returns its input unchanged and `encode` is
 * `t.identity`, which keeps the codecs that contain it wire-faithful and lets io-ts skip copying.
 */
export const primitive = <A>(name: string, is: (u: unknown) => u is A): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(
    name,
    is,
    (u, c) => (is(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  )

/**
 * Partial props of which at least one must be present: the wire spells some fields two ways
 * (`fileSize` / `size`, `peerDisplayName` / `peerDn`). Each present key is checked with its codec;
 * when none is present the failure names the first key, with `name` as what was expected.
 */
export const atLeastOneOf = <P extends t.Props>(
  props: P,
  name: string,
): t.Type<t.TypeOf<t.PartialC<P>>, t.OutputOf<t.PartialC<P>>, unknown> => {
  const partial = t.partial(props)
  const keys = Object.keys(props)
  const first = keys[0] as string
  const missing = new t.Type<never>(name, (_u): _u is never => false, t.failure, t.identity)
  const present = (u: Record<string, unknown>): boolean => {
    for (const k of keys) if (u[k] !== undefined) return true
    return false
  }
  const codec = new t.Type(
    name,
    (u): u is t.TypeOf<t.PartialC<P>> => partial.is(u) && present(u as Record<string, unknown>),
    (u, c) => {
      const result = partial.validate(u, c)
      if (result._tag === 'Left' || present(result.right as Record<string, unknown>)) return result
      return t.failure(undefined, t.appendContext(c, first, missing, undefined))
    },
    partial.encode,
  )
  return withMeta(codec, {
    guard: () => {
      const guard = guardOf(partial)
      return (u) => guard(u) && present(u as Record<string, unknown>)
    },
  })
}

/** Gives a codec its wire name (event or method), the first segment of its error paths. */
export const labelled = <C extends t.Decoder<unknown, unknown>>(codec: C, label: string): C =>
  withMeta(codec, { label })
