/**
 * Keys that collide under the tracker's seeded hash (`hashString(key, seed)` in
 * `packages/file-events-stream/src/internal/HashTrie.ts`), built as a room that knew the seed would
 * build them: FNV-1a's state after three UTF-16 units `(a1, a2, b)` is the same as after `(a1', a2', b')`
 * when the states after `a1 a2` and `a1' a2'` agree on their high 16 bits (then `b'` makes up the low
 * ones), and `k`
 * such blocks in a row give `2^k` keys with one state, hence one hash (the final mix is a bijection).
 * Without the seed, no such blocks can be chosen.
 */
const PRIME = 0x01000193
const BASIS = 0x811c9dc5

const isSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdfff

/** `count` distinct keys starting with `prefix`, all with the same `hashString(key, seed)`. */
export const collidingKeys = (seed: number, count: number, prefix = 'id-'): string[] => {
  let h = (BASIS ^ seed) | 0
  for (let i = 0; i < prefix.length; i++) h = Math.imul(h ^ prefix.charCodeAt(i), PRIME)
  const blocks: Array<readonly [string, string]> = []
  while (2 ** blocks.length < count) {
    const state = (a1: number, a2: number): number =>
      Math.imul(Math.imul(h ^ a1, PRIME) ^ a2, PRIME)
    const first = state(0x41, 0x41)
    let other: string | undefined
    for (let n = 1; other === undefined && n < 0x4000000; n++) {
      const a1 = 0x41 + (n >>> 16)
      const a2 = n & 0xffff
      if (isSurrogate(a2) || (a1 === 0x41 && a2 === 0x41)) continue
      const second = state(a1, a2)
      if (first >>> 16 !== second >>> 16) continue
      const b = (first ^ second) & 0xffff
      if (!isSurrogate(b)) other = String.fromCharCode(a1, a2, b)
    }
    if (other === undefined) throw new Error('no colliding block from this state')
    blocks.push([String.fromCharCode(0x41, 0x41, 0), other])
    h = Math.imul(first, PRIME)
  }
  const keys: string[] = []
  for (let n = 0; n < count; n++) {
    let key = prefix
    for (let i = 0; i < blocks.length; i++)
      key += (blocks[i] as readonly [string, string])[(n >>> i) & 1]
    keys.push(key)
  }
  return keys
}
