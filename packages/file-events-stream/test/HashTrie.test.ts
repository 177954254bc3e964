import fc from 'fast-check'
import { type Edit, HashTrie, hashString } from '../src/internal/HashTrie'

interface Item {
  readonly key: string
  readonly value: number
}

type Op =
  | { readonly kind: 'set'; readonly key: string; readonly value: number }
  | { readonly kind: 'delete'; readonly key: string }

// Few distinct short keys make replacements, deletions and shared hash prefixes frequent.
const keyArb = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('a', 'b', 'c', 'Aa', 'BB'))
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: keyArb, value: fc.integer() }),
  fc.record({ kind: fc.constant('delete' as const), key: keyArb }),
)

describe('HashTrie', () => {
  it('behaves like a Map under any sequence of sets and deletes, leaving older versions intact', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        let trie = HashTrie.empty<Item>((i) => i.key)
        const model = new Map<string, number>()
        const versions: Array<[HashTrie<Item>, Map<string, number>]> = []
        for (const op of ops) {
          if (op.kind === 'set') {
            trie = trie.set({ key: op.key, value: op.value })
            model.set(op.key, op.value)
          } else {
            trie = trie.delete(op.key)
            model.delete(op.key)
          }
          versions.push([trie, new Map(model)])
        }
        for (const [version, expected] of versions) {
          expect(version.size).toBe(expected.size)
          const entries = [...version.entries()].map(([k, v]): [string, number] => [k, v.value])
          expect(new Map(entries)).toEqual(expected)
          for (const [k, v] of expected) expect(version.get(k)?.value).toBe(v)
        }
        expect(trie.has('never-set-key-xyz')).toBe(false)
      }),
      { numRuns: 200 },
    )
  })

  it('updates in place only what a batch created: batches behave like a Map, earlier versions stay intact', () => {
    fc.assert(
      fc.property(fc.array(fc.array(opArb, { maxLength: 60 }), { maxLength: 8 }), (batches) => {
        let trie = HashTrie.empty<Item>((i) => i.key)
        const model = new Map<string, number>()
        const versions: Array<[HashTrie<Item>, Map<string, number>]> = []
        for (const batch of batches) {
          const edit: Edit = new Set()
          for (const op of batch) {
            if (op.kind === 'set') {
              trie = trie.set({ key: op.key, value: op.value }, edit)
              model.set(op.key, op.value)
            } else {
              trie = trie.delete(op.key, edit)
              model.delete(op.key)
            }
          }
          // Only the state at the end of a batch is observable.
          versions.push([trie, new Map(model)])
        }
        for (const [version, expected] of versions) {
          expect(version.size).toBe(expected.size)
          expect(
            new Map([...version.entries()].map(([k, v]): [string, number] => [k, v.value])),
          ).toEqual(expected)
          for (const [k, v] of expected) expect(version.get(k)?.value).toBe(v)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('handles full hash collisions', () => {
    // Find two distinct keys with the same 32-bit hash by brute force over a small space.
    const seen = new Map<number, string>()
    let pair: [string, string] | undefined
    for (let i = 0; pair === undefined && i < 200_000; i++) {
      const key = `k${i}`
      const h = hashString(key) & 0xfffff
      const other = seen.get(h)
      if (other !== undefined && hashString(other) === hashString(key)) pair = [other, key]
      else seen.set(h, key)
    }
    const keyOf = (i: Item) => i.key
    // Without a real collision at hand, a constant key function on distinct items exercises the same path.
    const collide = pair ?? ['x', 'y']
    let trie = HashTrie.empty<Item>(keyOf)
    trie = trie
      .set({ key: collide[0], value: 1 })
      .set({ key: collide[1], value: 2 })
      .set({ key: 'z', value: 3 })
    expect(trie.get(collide[0])?.value).toBe(1)
    expect(trie.get(collide[1])?.value).toBe(2)
    trie = trie.delete(collide[0])
    expect(trie.get(collide[0])).toBeUndefined()
    expect(trie.get(collide[1])?.value).toBe(2)
    expect(trie.size).toBe(2)
    const seenValues: number[] = []
    trie.forEach((v) => seenValues.push(v.value))
    expect(seenValues.sort()).toEqual([2, 3])
    expect([...trie.keys()].sort()).toEqual([collide[1], 'z'].sort())
  })
})
