import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { RoomConfig, RoomMessage, RoomRequest } from '../src'
import { closureGuardOf, guardOf } from '../src/internal/guard'
import { everyCodec } from './everyCodec'

const VECTORS = join(__dirname, 'fixtures/vectors')
const samples: Record<string, unknown>[] = readdirSync(VECTORS)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(VECTORS, f), 'utf8')) as Record<string, unknown>)

const codecs = everyCodec

/** A wire sample with one key changed, removed, or added, at the top level or one level down. */
const mutated: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.constantFrom(...samples),
    fc.nat(),
    fc.oneof(fc.jsonValue(), fc.constant(undefined)),
    fc.boolean(),
  )
  .map(([sample, i, value, nested]) => {
    const copy = structuredClone(sample)
    const keys = Object.keys(copy)
    const key = keys[i % keys.length] as string
    const target = copy[key]
    if (nested && Array.isArray(target) && target.length > 0 && typeof target[0] === 'object') {
      const item = target[0] as Record<string, unknown>
      const itemKeys = Object.keys(item)
      const itemKey = itemKeys[i % itemKeys.length] as string
      if (value === undefined) delete item[itemKey]
      else item[itemKey] = value
    } else if (value === undefined) delete copy[key]
    else copy[key] = value
    return copy
  })

const inputs = fc.oneof(mutated, fc.constantFrom(...samples), fc.jsonValue(), fc.anything())

describe('compiled guards (the decode fast path)', () => {
  it.each(codecs)('%s: guard, closure guard, is and decode agree', (_name, codec) => {
    const guard = guardOf(codec)
    const closure = closureGuardOf(codec)
    fc.assert(
      fc.property(inputs, (u) => {
        const expected = codec.decode(u)._tag === 'Right'
        expect(codec.is(u)).toBe(expected)
        expect(guard(u)).toBe(expected)
        expect(closure(u)).toBe(expected)
      }),
      { numRuns: 300 },
    )
  })

  it('accepts every wire sample through RoomMessage or RoomRequest', () => {
    for (const sample of samples) {
      expect(
        guardOf(RoomMessage)(sample) || guardOf(RoomRequest)(sample) || guardOf(RoomConfig)(sample),
      ).toBe(true)
    }
  })

  it('is cached per codec', () => {
    expect(guardOf(RoomMessage)).toBe(guardOf(RoomMessage))
  })
})
