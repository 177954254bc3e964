import * as t from 'io-ts'
import { isRecord } from './codecs'
import { guardOf } from './guard'
import { explainAsOf } from './meta'

/**
 * How much of a failure is explained. A frame under the size cap can hold hundreds of thousands of
 * bad list items, and io-ts' `validate` builds an error, and a context array, for every failing
 * field of every one of them (2.4 million errors for 300,000 `{}` items). The explanation instead
 * counts a list's failing items with the compiled guard (no allocation) and explains only the first
 * few, and stops collecting once `errors` are held.
 */
export interface ExplainLimits {
  /** Failing items of one list that are explained; the others are counted. */
  readonly items: number
  /** Errors collected at most, in all. */
  readonly errors: number
}

/** Enough for a report of 20 lines (the formatter's default), with room for its duplicates. */
export const EXPLAIN_LIMITS: ExplainLimits = /*#__PURE__*/ Object.freeze({ items: 3, errors: 100 })

type Node = t.Mixed & { readonly _tag?: string }
type Props = Readonly<Record<string, t.Mixed>>

/**
 * The errors of `codec` on `value`, the same as `codec.validate(value, context)` gives (in the same
 * order, with the same contexts) as long as no list has more than `limits.items` failing items and
 * there are no more than `limits.errors` errors. Beyond that, a list whose failing items were not
 * all explained gets one error of its own, placed before its items' errors, whose `message` counts
 * them: `300000 of 300000 items failed (the first 3 are explained)`.
 *
 * Its cost is the compiled guard's over the value (at most once per level of the codec), plus the
 * explained items'; never an allocation per failing item.
 */
export const explain = (
  codec: t.Mixed,
  value: unknown,
  context: t.Context,
  limits: ExplainLimits = EXPLAIN_LIMITS,
): t.Errors => {
  const out: t.ValidationError[] = []
  into(codec, value, context, out, limits)
  return out
}

const into = (
  codec: Node,
  u: unknown,
  c: t.Context,
  out: t.ValidationError[],
  limits: ExplainLimits,
): void => {
  if (out.length >= limits.errors || guardOf(codec)(u)) return
  const explainAs = explainAsOf(codec)
  if (explainAs !== undefined) {
    const chosen = explainAs(u)
    if (chosen === undefined) out.push({ value: u, context: c })
    else into(chosen as Node, u, c, out, limits)
    return
  }
  switch (codec._tag) {
    case 'InterfaceType':
    case 'PartialType': {
      if (!isRecord(u)) break
      const optional = codec._tag === 'PartialType'
      const props = (codec as unknown as { props: Props }).props
      for (const key of Object.keys(props)) {
        const prop = props[key] as t.Mixed
        const v = u[key]
        if ((optional && v === undefined) || guardOf(prop)(v)) continue
        into(prop, v, t.appendContext(c, key, prop, v), out, limits)
      }
      return
    }
    case 'IntersectionType': {
      const members = (codec as unknown as { types: ReadonlyArray<t.Mixed> }).types
      for (let i = 0; i < members.length; i++) {
        const member = members[i] as t.Mixed
        into(member, u, t.appendContext(c, String(i), member, u), out, limits)
      }
      return
    }
    case 'ArrayType': {
      if (!Array.isArray(u)) break
      const item = (codec as unknown as { type: t.Mixed }).type
      const ok = guardOf(item)
      const at = out.length
      let failed = 0
      let explained = 0
      for (let i = 0; i < u.length; i++) {
        const v: unknown = u[i]
        if (ok(v)) continue
        failed++
        if (explained < limits.items && out.length < limits.errors) {
          explained++
          into(item, v, t.appendContext(c, String(i), item, v), out, limits)
        }
      }
      if (failed > explained) {
        const message = `${failed} of ${u.length} items failed (the first ${explained} ${explained === 1 ? 'is' : 'are'} explained)`
        out.splice(at, 0, { value: u, context: c, message })
      }
      return
    }
  }
  // A leaf, a union (none in this package holds a list) or a value of the wrong kind: io-ts'
  // own validation is bounded here.
  const result = codec.validate(u, c)
  if (result._tag === 'Left') for (const error of result.left) out.push(error)
}
