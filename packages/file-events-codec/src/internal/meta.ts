import type * as t from 'io-ts'

/** A type guard without io-ts' per-call overhead. */
export type Guard = (u: unknown) => boolean

/**
 * What the fast guard and the error reports need to know about a codec that its io-ts structure
 * does not say: the wire name (event or method) that starts its error paths, and a guard builder for
 * codecs io-ts cannot describe structurally (`atLeastOneOf`, replies, `auth`).
 */
export interface CodecMeta {
  readonly label?: string
  readonly guard?: () => Guard
  /**
   * For a codec that only chooses another by the value's discriminants (a reply's success or
   * failure shape, a message's codec by `method` and `event`): the codec it chooses, so that a
   * failure can be explained inside it; `undefined` when it chooses none.
   */
  readonly explainAs?: (u: unknown) => t.Decoder<unknown, unknown> | undefined
}

/** Carried by the codec itself (a non-enumerable symbol key), so no module-level table holds it. */
const META: unique symbol = /*#__PURE__*/ Symbol('file-events-codec.meta')

type WithMeta = { [META]?: CodecMeta }

/** Adds `meta` to what `codec` already carries and returns the codec. */
export const withMeta = <C extends t.Decoder<unknown, unknown>>(codec: C, meta: CodecMeta): C => {
  Object.defineProperty(codec, META, {
    value: { ...metaOf(codec), ...meta },
    enumerable: false,
    configurable: true,
  })
  return codec
}

const metaOf = (codec: t.Decoder<unknown, unknown>): CodecMeta | undefined =>
  (codec as WithMeta)[META]

/** The wire name of a codec, used as the first segment of error paths. */
export const wireLabelOf = (codec: t.Decoder<unknown, unknown>): string | undefined =>
  metaOf(codec)?.label

/** The codec a choosing codec picks for `u`, to explain a failure inside it. */
export const explainAsOf = (
  codec: t.Decoder<unknown, unknown>,
): ((u: unknown) => t.Decoder<unknown, unknown> | undefined) | undefined => metaOf(codec)?.explainAs

/** The guard builder of a codec io-ts cannot describe structurally. */
export const customGuardOf = (codec: t.Decoder<unknown, unknown>): (() => Guard) | undefined =>
  metaOf(codec)?.guard
