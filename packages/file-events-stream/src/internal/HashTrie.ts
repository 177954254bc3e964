/**
 * A persistent (immutable, structurally shared) hash array mapped trie whose values carry their
 * own string key. Updates copy one path of at most seven small arrays, so a reducer can return a
 * new map per event without copying every entry, and old snapshots stay valid.
 *
 * A branch is one array: its bitmap at index 0, then its children. Values must not be arrays.
 *
 * The keys come from the network, so the hash is seeded per map family (a random seed unless one
 * is given), and keys whose 32-bit hashes are equal anyway do not share a list that is copied on
 * every insert: they go into a trie of their own, under a second hash with a seed of its own. Only
 * keys equal under both hashes share a list, which chosen keys cannot arrange without the seeds.
 */

/** `[bitmap, ...children]`: one allocation per branch instead of an object and an array. */
type Branch = ReadonlyArray<unknown>

/** Keys whose hashes are all equal: a trie under the next hash, or, past the last, a list. */
class Collision<V> {
  constructor(
    readonly hash: number,
    readonly values: HashTrie<V> | ReadonlyArray<V>,
  ) {}
}

/** A map family's hash, and the one its collisions use. */
export interface Hasher {
  readonly seed: number
  readonly next: Hasher | undefined
}

/** A random 32-bit seed, from the platform's `crypto` where there is one. */
export const randomSeed = (): number => {
  const crypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } })
    .crypto
  if (crypto?.getRandomValues !== undefined)
    return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0
  return (Math.random() * 0x100000000) >>> 0
}

/**
 * The hashers of a new map family: `seed` for the first hash (random unless given: tests use it to
 * build colliding keys), a random one for the collisions' tries.
 */
export const newHasher = (seed: number = randomSeed()): Hasher => ({
  seed: seed >>> 0,
  next: { seed: randomSeed(), next: undefined },
})

type Node<V> = Branch | Collision<V> | V

const isBranch = (node: unknown): node is Branch => Array.isArray(node)
const bitmapOf = (branch: Branch): number => branch[0] as number

const REMOVED: unique symbol = Symbol('removed')

/** FNV-1a over UTF-16 units from a seeded basis, then a final mix of the bits; no allocation. */
export const hashString = (s: string, seed = 0): number => {
  let h = 0x811c9dc5 ^ seed
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  // murmur3's finalizer: every bit of the state reaches the low bits the trie's first levels use.
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  x = (x + (x >>> 4)) & 0x0f0f0f0f
  return Math.imul(x, 0x01010101) >>> 24
}

// Arrays are built at their exact size: `splice` and `push` leave spare capacity behind, which a
// persistent structure would keep in every node for good.
const inserted = <T>(items: ReadonlyArray<T>, at: number, item: T): T[] => {
  const out = new Array<T>(items.length + 1)
  for (let i = 0; i < at; i++) out[i] = items[i] as T
  out[at] = item
  for (let i = at; i < items.length; i++) out[i + 1] = items[i] as T
  return out
}

const replaced = <T>(items: ReadonlyArray<T>, at: number, item: T): T[] => {
  const out = new Array<T>(items.length)
  for (let i = 0; i < items.length; i++) out[i] = items[i] as T
  out[at] = item
  return out
}

const removed = <T>(items: ReadonlyArray<T>, at: number): T[] => {
  const out = new Array<T>(items.length - 1)
  for (let i = 0; i < at; i++) out[i] = items[i] as T
  for (let i = at + 1; i < items.length; i++) out[i - 1] = items[i] as T
  return out
}

/** Set by `insert` when it added a key (rather than replaced one); read right after by `set`. */
let added = false
/** Set by `remove` when it found the key; a branch updated in place does not show it otherwise. */
let removedKey = false

/**
 * A batch of updates that no one can observe half done (see `reduceFileRequestsAll`): branches
 * created during the batch are recorded here and may be updated in place by later updates of the
 * same batch. Branches from before the batch are never written, so every earlier map stays as it
 * was. An edit must not outlive its batch.
 */
export type Edit = Set<object>

/** A new branch, recorded as owned by the batch when there is one. */
const own = (edit: Edit | undefined, branch: unknown[]): unknown[] => {
  edit?.add(branch)
  return branch
}

const EMPTY_ROOT: Branch = [0]

/**
 * An immutable map from a key (read from each value by `keyOf`) to the value. `set` and `delete`
 * return a new map and leave this one unchanged.
 */
export class HashTrie<V> implements ReadonlyMap<string, V> {
  private constructor(
    private readonly root: Branch,
    readonly size: number,
    private readonly keyOf: (value: V) => string,
    private readonly hasher: Hasher,
  ) {}

  /** An empty map; its family (every map made from it) hashes with `hasher` (new seeds by default). */
  static empty<V>(keyOf: (value: V) => string, hasher: Hasher = newHasher()): HashTrie<V> {
    return new HashTrie<V>(EMPTY_ROOT, 0, keyOf, hasher)
  }

  /** The hash of `key` in this map family, to pass to `get`, `set` and `delete`. */
  hash(key: string): number {
    return hashString(key, this.hasher.seed)
  }

  /** The value under `key`; `hash` is `this.hash(key)`, when the caller has it already. */
  get(key: string, hash: number = this.hash(key)): V | undefined {
    let node: Node<V> = this.root
    let shift = 0
    for (;;) {
      if (isBranch(node)) {
        const bitmap = bitmapOf(node)
        const bit = 1 << ((hash >>> shift) & 31)
        if ((bitmap & bit) === 0) return undefined
        node = node[1 + popcount(bitmap & (bit - 1))] as Node<V>
        shift += 5
      } else if (node instanceof Collision) {
        const values = node.values
        if (values instanceof HashTrie) return node.hash === hash ? values.get(key) : undefined
        for (const v of values) if (this.keyOf(v) === key) return v
        return undefined
      } else {
        return this.keyOf(node) === key ? node : undefined
      }
    }
  }

  has(key: string): boolean {
    return this.get(key) !== undefined
  }

  /**
   * A map with `value` stored under its key (replacing any value with that key). With an `edit`,
   * branches the edit owns are updated in place. `hash` is `this.hash` of the value's key, when
   * the caller has it already.
   */
  set(value: V, edit?: Edit, hash?: number): HashTrie<V> {
    const key = this.keyOf(value)
    added = false
    const root = this.insert(this.root, value, key, hash ?? this.hash(key), 0, edit) as Branch
    // A root updated in place is the same array, but the map may have grown.
    if (root === this.root && !added) return this
    return new HashTrie(root, this.size + (added ? 1 : 0), this.keyOf, this.hasher)
  }

  delete(key: string, edit?: Edit, hash: number = this.hash(key)): HashTrie<V> {
    removedKey = false
    const result = this.remove(this.root, key, hash, 0, edit)
    if (!removedKey) return this
    if (result === REMOVED) return new HashTrie<V>(EMPTY_ROOT, 0, this.keyOf, this.hasher)
    // At the root (shift 0) `remove` never lifts a lone value, so the result is a branch.
    return new HashTrie(result as Branch, this.size - 1, this.keyOf, this.hasher)
  }

  /** A collision of `a` and `b`, whose hashes are equal: a trie under the next hash, or a list. */
  private collision(hash: number, a: V, b: V, edit: Edit | undefined): Collision<V> {
    const next = this.hasher.next
    if (next === undefined) return new Collision(hash, [a, b])
    const values = HashTrie.empty(this.keyOf, next).set(a, edit).set(b, edit)
    added = true
    return new Collision(hash, values)
  }

  private insert(
    node: Node<V>,
    value: V,
    key: string,
    hash: number,
    shift: number,
    edit: Edit | undefined,
  ): Node<V> {
    if (isBranch(node)) {
      const bitmap = bitmapOf(node)
      const bit = 1 << ((hash >>> shift) & 31)
      const pos = 1 + popcount(bitmap & (bit - 1))
      if ((bitmap & bit) === 0) {
        added = true
        const out = own(edit, inserted(node, pos, value as unknown))
        out[0] = bitmap | bit
        return out
      }
      const child = node[pos] as Node<V>
      const next = this.insert(child, value, key, hash, shift + 5, edit)
      if (next === child) return node
      if (edit !== undefined && edit.has(node)) {
        ;(node as unknown[])[pos] = next
        return node
      }
      return own(edit, replaced(node, pos, next as unknown))
    }
    if (node instanceof Collision) {
      if (node.hash !== hash) {
        added = true
        return this.merge(node, node.hash, value, hash, shift, edit)
      }
      const values = node.values
      if (values instanceof HashTrie) {
        // `set` leaves `added` as it found the key, for this map's `set` to read.
        const next = values.set(value, edit)
        return next === values ? node : new Collision(hash, next)
      }
      const index = values.findIndex((v) => this.keyOf(v) === key)
      if (index >= 0) return new Collision(hash, replaced(values, index, value))
      added = true
      return new Collision(hash, inserted(values, values.length, value))
    }
    const existing = this.keyOf(node)
    if (existing === key) return value
    added = true
    const existingHash = this.hash(existing)
    if (existingHash === hash) return this.collision(hash, node, value, edit)
    return this.merge(node, existingHash, value, hash, shift, edit)
  }

  /** A branch holding two nodes whose hashes differ (so they part within the 32 hash bits). */
  private merge(
    a: Node<V>,
    hashA: number,
    b: Node<V>,
    hashB: number,
    shift: number,
    edit: Edit | undefined,
  ): Branch {
    const ia = (hashA >>> shift) & 31
    const ib = (hashB >>> shift) & 31
    if (ia === ib) return own(edit, [1 << ia, this.merge(a, hashA, b, hashB, shift + 5, edit)])
    return own(edit, ia < ib ? [(1 << ia) | (1 << ib), a, b] : [(1 << ia) | (1 << ib), b, a])
  }

  private remove(
    node: Node<V>,
    key: string,
    hash: number,
    shift: number,
    edit: Edit | undefined,
  ): Node<V> | typeof REMOVED {
    if (isBranch(node)) {
      const bitmap = bitmapOf(node)
      const bit = 1 << ((hash >>> shift) & 31)
      if ((bitmap & bit) === 0) return node
      const pos = 1 + popcount(bitmap & (bit - 1))
      const child = node[pos] as Node<V>
      const next = this.remove(child, key, hash, shift + 5, edit)
      if (next === child) return node
      if (next === REMOVED) {
        if (node.length === 2) return REMOVED
        const out = own(edit, removed(node, pos))
        out[0] = bitmap & ~bit
        // A lone value can move up: lookups compare keys, not positions.
        if (shift > 0 && out.length === 2 && !isBranch(out[1])) return out[1] as Node<V>
        return out
      }
      if (edit !== undefined && edit.has(node)) {
        ;(node as unknown[])[pos] = next
        return node
      }
      return own(edit, replaced(node, pos, next as unknown))
    }
    if (node instanceof Collision) {
      if (node.hash !== hash) return node
      const before = node.values
      if (before instanceof HashTrie) {
        // `delete` sets `removedKey` when it found the key.
        const after = before.delete(key, edit)
        if (after === before) return node
        return after.size === 1 ? (after.values().next().value as V) : new Collision(hash, after)
      }
      const values = before.filter((v) => this.keyOf(v) !== key)
      if (values.length === before.length) return node
      removedKey = true
      return values.length === 1 ? (values[0] as V) : new Collision(hash, values)
    }
    if (this.keyOf(node) !== key) return node
    removedKey = true
    return REMOVED
  }

  *values(): MapIterator<V> {
    const stack: Node<V>[] = [this.root]
    while (stack.length > 0) {
      const node = stack.pop() as Node<V>
      if (isBranch(node)) for (let i = node.length - 1; i >= 1; i--) stack.push(node[i] as Node<V>)
      else if (node instanceof Collision)
        yield* node.values instanceof HashTrie ? node.values.values() : node.values
      else yield node
    }
  }

  /**
   * The most values or children any one node holds: a branch holds at most 32, and a collision's
   * trie keeps it so; only a list of keys equal under every hash grows with them. For tests.
   */
  widest(): number {
    let widest = 0
    const stack: Node<V>[] = [this.root]
    while (stack.length > 0) {
      const node = stack.pop() as Node<V>
      if (isBranch(node)) {
        widest = Math.max(widest, node.length - 1)
        for (let i = 1; i < node.length; i++) stack.push(node[i] as Node<V>)
      } else if (node instanceof Collision) {
        const values = node.values
        widest = Math.max(widest, values instanceof HashTrie ? values.widest() : values.length)
      }
    }
    return widest
  }

  *keys(): MapIterator<string> {
    for (const v of this.values()) yield this.keyOf(v)
  }

  *entries(): MapIterator<[string, V]> {
    for (const v of this.values()) yield [this.keyOf(v), v]
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries()
  }

  forEach(
    callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void,
    thisArg?: unknown,
  ): void {
    for (const v of this.values()) callback.call(thisArg, v, this.keyOf(v), this)
  }
}
