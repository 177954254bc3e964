/**
 * A persistent (immutable, structurally shared) hash array mapped trie whose values carry their
 * own string key. Updates copy one path of at most seven small arrays, so a reducer can return a
 * new map per event without copying every entry, and old snapshots stay valid.
 *
 * A branch is one array: its bitmap at index 0, then its children. Values must not be arrays.
 */

/** `[bitmap, ...children]`: one allocation per branch instead of an object and an array. */
type Branch = ReadonlyArray<unknown>

class Collision<V> {
  constructor(
    readonly hash: number,
    readonly values: ReadonlyArray<V>,
  ) {}
}

type Node<V> = Branch | Collision<V> | V

const isBranch = (node: unknown): node is Branch => Array.isArray(node)
const bitmapOf = (branch: Branch): number => branch[0] as number

const REMOVED: unique symbol = Symbol('removed')

/** FNV-1a over UTF-16 units: stable across runs, no allocation. */
export const hashString = (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
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
  ) {}

  static empty<V>(keyOf: (value: V) => string): HashTrie<V> {
    return new HashTrie<V>(EMPTY_ROOT, 0, keyOf)
  }

  /** The value under `key`; `hash` is `hashString(key)`, when the caller has it already. */
  get(key: string, hash: number = hashString(key)): V | undefined {
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
        for (const v of node.values) if (this.keyOf(v) === key) return v
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
   * branches the edit owns are updated in place. `hash` is `hashString` of the value's key, when
   * the caller has it already.
   */
  set(value: V, edit?: Edit, hash?: number): HashTrie<V> {
    const key = this.keyOf(value)
    added = false
    const root = this.insert(this.root, value, key, hash ?? hashString(key), 0, edit) as Branch
    // A root updated in place is the same array, but the map may have grown.
    if (root === this.root && !added) return this
    return new HashTrie(root, this.size + (added ? 1 : 0), this.keyOf)
  }

  delete(key: string, edit?: Edit, hash: number = hashString(key)): HashTrie<V> {
    removedKey = false
    const result = this.remove(this.root, key, hash, 0, edit)
    if (!removedKey) return this
    if (result === REMOVED) return new HashTrie<V>(EMPTY_ROOT, 0, this.keyOf)
    // At the root (shift 0) `remove` never lifts a lone value, so the result is a branch.
    return new HashTrie(result as Branch, this.size - 1, this.keyOf)
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
      const index = node.values.findIndex((v) => this.keyOf(v) === key)
      if (index >= 0) return new Collision(hash, replaced(node.values, index, value))
      added = true
      return new Collision(hash, inserted(node.values, node.values.length, value))
    }
    const existing = this.keyOf(node)
    if (existing === key) return value
    added = true
    const existingHash = hashString(existing)
    if (existingHash === hash) return new Collision(hash, [node, value])
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
      const values = node.values.filter((v) => this.keyOf(v) !== key)
      if (values.length === node.values.length) return node
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
      else if (node instanceof Collision) yield* node.values
      else yield node
    }
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
