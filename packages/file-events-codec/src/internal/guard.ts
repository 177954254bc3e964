import type * as t from 'io-ts'

import { type Guard, customGuardOf } from './meta'

export type { Guard }

const cache = /*#__PURE__*/ new WeakMap<t.Mixed, Guard>()

type Node = t.Mixed & { readonly _tag?: string }
type Props = Readonly<Record<string, t.Mixed>>

const propsOf = (codec: Node): Props => (codec as unknown as { props: Props }).props
const typesOf = (codec: Node): ReadonlyArray<Node> => (codec as unknown as { types: Node[] }).types
const valueOf = (codec: Node): unknown => (codec as unknown as { value: unknown }).value
const isLiteralUnion = (codec: Node): boolean =>
  codec._tag === 'UnionType' && typesOf(codec).every((m) => m._tag === 'LiteralType')

/**
 * A plain guard equivalent to `codec.is`, compiled once per codec and cached.
 *
 * `decodeRoomMessage` runs this on every frame, so it must cost little next to `JSON.parse`:
 * io-ts' own `is` reads properties by variable key (slow, megamorphic) and calls through a closure
 * per node. The codec tree is turned into straight-line code with constant property names instead.
 * Where code generation is not allowed (a strict Content-Security-Policy), an equivalent closure
 * tree is used. The property tests check both against `codec.is` and `codec.decode`.
 */
export const guardOf = (codec: t.Mixed): Guard => {
  let guard = cache.get(codec)
  if (guard === undefined) {
    guard = generated(codec) ?? closureGuard(codec)
    cache.set(codec, guard)
  }
  return guard
}

// ---------------------------------------------------------------------------------------------
// Generated code

const generated = (codec: Node): Guard | undefined => {
  const custom = customGuardOf(codec)
  if (custom !== undefined) return custom()
  const refs: Guard[] = []
  const ref = (g: Guard): string => `g[${refs.push(g) - 1}]`
  let body: string
  if (
    codec._tag === 'InterfaceType' ||
    codec._tag === 'PartialType' ||
    codec._tag === 'IntersectionType'
  ) {
    const lines: string[] = []
    if (!objectChecks(codec, lines, ref)) return undefined
    body = `if (typeof v !== 'object' || v === null || Array.isArray(v)) return false; let x; ${lines.join(' ')} return true`
  } else if (codec._tag === 'ArrayType') {
    const item = guardOf((codec as unknown as { type: t.Mixed }).type)
    body = `if (!Array.isArray(v)) return false; for (let i = 0; i < v.length; i++) if (!${ref(item)}(v[i])) return false; return true`
  } else {
    const check = leafCheck(codec, 'v')
    if (check === undefined) return undefined
    body = `return ${check}`
  }
  try {
    return new Function('g', `return function guard(v) { ${body} }`)(refs) as Guard
  } catch {
    return undefined // code generation refused (CSP): the closure tree takes over
  }
}

/** Statements that check the props of an object codec (flattening intersections) on `v`. */
const objectChecks = (codec: Node, lines: string[], ref: (g: Guard) => string): boolean => {
  if (codec._tag === 'IntersectionType' && customGuardOf(codec) === undefined) {
    return typesOf(codec).every((member) => objectChecks(member, lines, ref))
  }
  if (
    (codec._tag === 'InterfaceType' || codec._tag === 'PartialType') &&
    customGuardOf(codec) === undefined
  ) {
    const optional = codec._tag === 'PartialType'
    for (const [key, prop] of Object.entries(propsOf(codec))) {
      const check = leafCheck(prop as Node, 'x') ?? `${ref(guardOf(prop))}(x)`
      lines.push(
        `x = v[${JSON.stringify(key)}]; if (${optional ? 'x !== undefined && ' : ''}!(${check})) return false;`,
      )
    }
    return true
  }
  lines.push(`if (!${ref(guardOf(codec))}(v)) return false;`)
  return true
}

/** An inline expression for a leaf codec, or undefined when it needs its own guard. */
const leafCheck = (codec: Node, x: string): string | undefined => {
  switch (codec._tag) {
    case 'LiteralType':
      return `${x} === ${JSON.stringify(valueOf(codec))}`
    case 'StringType':
      return `typeof ${x} === 'string'`
    case 'NumberType':
      return `typeof ${x} === 'number'`
    case 'BooleanType':
      return `typeof ${x} === 'boolean'`
    case 'NullType':
      return `${x} === null`
    case 'UnionType':
      return isLiteralUnion(codec)
        ? `(${typesOf(codec)
            .map((m) => `${x} === ${JSON.stringify(valueOf(m))}`)
            .join(' || ')})`
        : undefined
    default:
      return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Closure tree (no code generation)

const isObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

const closureGuard = (codec: Node): Guard => {
  const custom = customGuardOf(codec)
  if (custom !== undefined) return custom()
  switch (codec._tag) {
    case 'InterfaceType':
    case 'PartialType': {
      const entries = Object.entries(propsOf(codec)).map(([k, c]) => [k, guardOf(c)] as const)
      const optional = codec._tag === 'PartialType'
      return (u) => {
        if (!isObject(u)) return false
        for (const [k, g] of entries) {
          const v = u[k]
          if (!(optional && v === undefined) && !g(v)) return false
        }
        return true
      }
    }
    case 'IntersectionType': {
      const members = typesOf(codec).map(guardOf)
      return (u) => members.every((g) => g(u))
    }
    case 'UnionType': {
      const members = typesOf(codec).map(guardOf)
      return (u) => members.some((g) => g(u))
    }
    case 'ArrayType': {
      const item = guardOf((codec as unknown as { type: t.Mixed }).type)
      return (u) => Array.isArray(u) && u.every(item)
    }
    case 'LiteralType': {
      const value = valueOf(codec)
      return (u) => u === value
    }
    default:
      // String, number, boolean, null and the primitives built with `primitive()`: their `is` is a
      // plain predicate already.
      return (u) => codec.is(u)
  }
}

/** For tests: the closure tree of a codec, bypassing code generation. */
export const closureGuardOf = (codec: t.Mixed): Guard => closureGuard(codec)
