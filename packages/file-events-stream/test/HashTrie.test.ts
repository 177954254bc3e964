import fc from 'fast-check'
import { collidingKeys } from '../../../test-support/collidingKeys'
import { initialFileRequestsState, reduceFileRequestsAll } from '../src/index'
import { type Edit, type Hasher, HashTrie, hashString, newHasher } from '../src/internal/HashTrie'

interface Item {
  readonly key: string
  readonly value: number
}

type Op =
  | { readonly kind: 'set'; readonly key: string; readonly value: number }
  | { readonly kind: 'delete'; readonly key: string }

const SEED = 0x5eed
/** Keys equal under the first hash with `SEED`. */
const colliding = collidingKeys(SEED, 16, 'c-')
/** The hashers a map may have: seeded and nested (the default), both seeds forced, lists only. */
const hashers: Array<[string, () => Hasher]> = [
  ['the first seed forced', () => newHasher(SEED)],
  ['both seeds forced', () => ({ seed: SEED, next: { seed: SEED, next: undefined } })],
  ['collisions in lists', () => ({ seed: SEED, next: undefined })],
]

// Few distinct short keys make replacements, deletions and shared hash prefixes frequent; the
// colliding ones make full collisions, at every level when both seeds are forced.
const keyArb = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.constantFrom('a', 'b', 'c', 'Aa', 'BB'),
  fc.constantFrom(...colliding),
)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: keyArb, value: fc.integer() }),
  fc.record({ kind: fc.constant('delete' as const), key: keyArb }),
)

describe('HashTrie', () => {
  it.each(hashers)(
    'behaves like a Map under any sequence of sets and deletes, leaving older versions intact (%s)',
    (_name, hasher) => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
          let trie = HashTrie.empty<Item>((i) => i.key, hasher())
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
    },
  )

  it.each(hashers)(
    'updates in place only what a batch created: batches behave like a Map, earlier versions stay intact (%s)',
    (_name, hasher) => {
      fc.assert(
        fc.property(fc.array(fc.array(opArb, { maxLength: 60 }), { maxLength: 8 }), (batches) => {
          let trie = HashTrie.empty<Item>((i) => i.key, hasher())
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
    },
  )

  it('hashes with a seed of its own per map family, and the same within one', () => {
    const a = HashTrie.empty<Item>((i) => i.key)
    const b = HashTrie.empty<Item>((i) => i.key)
    const keys = Array.from({ length: 64 }, (_, i) => `key-${i}`)
    expect(keys.map((k) => a.hash(k))).not.toEqual(keys.map((k) => b.hash(k)))
    const grown = a.set({ key: 'x', value: 1 }).set({ key: 'y', value: 2 })
    expect(keys.map((k) => grown.hash(k))).toEqual(keys.map((k) => a.hash(k)))
    expect(HashTrie.empty<Item>((i) => i.key, newHasher(SEED)).hash('k')).toBe(
      hashString('k', SEED),
    )
  })

  it('keeps 20,000 keys chosen to collide under a known seed in nodes of at most 32', () => {
    const keys = collidingKeys(SEED, 20_000)
    expect(new Set(keys.map((k) => hashString(k, SEED))).size).toBe(1)
    let trie = HashTrie.empty<Item>((i) => i.key, newHasher(SEED))
    keys.forEach((key, value) => {
      trie = trie.set({ key, value })
    })
    expect(trie.size).toBe(20_000)
    expect(trie.widest()).toBeLessThanOrEqual(32)
    keys.forEach((key, value) => expect(trie.get(key)?.value).toBe(value))
    for (const key of keys.slice(0, 19_999)) trie = trie.delete(key)
    expect([...trie.keys()]).toEqual([keys[19_999]])
    // With no second hash, the same keys share one list: what the nested trie prevents.
    let listed = HashTrie.empty<Item>((i) => i.key, { seed: SEED, next: undefined })
    for (const key of keys.slice(0, 500)) listed = listed.set({ key, value: 0 })
    expect(listed.widest()).toBe(500)
  })
})

describe('the tracker under ids chosen to collide', () => {
  it('files 20,000 offers whose ids collide under its seed in nodes of at most 32, and finds each', () => {
    const ids = collidingKeys(SEED, 20_000)
    let state = initialFileRequestsState({ hashSeed: SEED, maxActive: 50_000 })
    expect(state.options.hashSeed).toBe(SEED)
    state = reduceFileRequestsAll(
      state,
      ids.map((id) => ({
        type: 'event' as const,
        at: 1000,
        event: {
          method: 'event' as const,
          event: 'receivedFileRequest' as const,
          fileRequestId: id,
          fileName: 'a.txt',
          fileSize: 1,
          peerId: 'p@s',
          peerDn: 'p',
          timestamp: 0,
        },
      })),
    )
    expect(state.activeCount).toBe(20_000)
    expect((state.requests as HashTrie<unknown>).widest()).toBeLessThanOrEqual(32)
    for (const id of ids) expect(state.get(id)?.fileRequestId).toBe(id)
  })

  it('draws a seed of its own per tracker unless given one', () => {
    const seeds = new Set(
      Array.from({ length: 8 }, () => initialFileRequestsState().options.hashSeed),
    )
    expect(seeds.size).toBeGreaterThan(1)
  })
})
