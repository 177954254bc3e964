/**
 * Seeded pseudo-random numbers (mulberry32). Every random choice of the simulator draws from one of
 * these, so a seed reproduces the same ids, sizes and fault decisions.
 */
export interface Prng {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [0, 2^32). */
  nextUint32(): number
}

export const createPrng = (seed: number): Prng => {
  let a = seed >>> 0
  const nextUint32 = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
  return { nextUint32, next: () => nextUint32() / 4294967296 }
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0')

/** A version-4-shaped UUID drawn from `prng` (the wire's `fileRequestId` format). */
export const prngUuid = (prng: Prng): string => {
  const a = prng.nextUint32()
  const b = prng.nextUint32()
  const c = prng.nextUint32()
  const d = prng.nextUint32()
  const timeHi = ((b & 0x0fff) | 0x4000) >>> 0
  const clockSeq = (((c >>> 16) & 0x3fff) | 0x8000) >>> 0
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-${hex(timeHi, 4)}-${hex(clockSeq, 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`
}

/** `size` bytes of deterministic content, seeded per file so contents do not depend on each other. */
export const prngBytes = (seed: number, size: number): Uint8Array => {
  const prng = createPrng(seed)
  const bytes = new Uint8Array(size)
  let i = 0
  for (; i + 4 <= size; i += 4) {
    const v = prng.nextUint32()
    bytes[i] = v & 0xff
    bytes[i + 1] = (v >>> 8) & 0xff
    bytes[i + 2] = (v >>> 16) & 0xff
    bytes[i + 3] = v >>> 24
  }
  const last = prng.nextUint32()
  for (let k = 0; i < size; i++, k++) bytes[i] = (last >>> (8 * k)) & 0xff
  return bytes
}
