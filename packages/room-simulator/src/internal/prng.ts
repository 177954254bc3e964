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

/**
 * Fills `bytes` from `prng`, four bytes per draw (little-endian); a last partial word takes one more
 * draw. Filling consecutive chunks whose lengths are multiples of 4 therefore gives the same bytes as
 * filling one buffer of their total length.
 */
const fill = (prng: Prng, bytes: Uint8Array): void => {
  const size = bytes.length
  let i = 0
  for (; i + 4 <= size; i += 4) {
    const v = prng.nextUint32()
    bytes[i] = v & 0xff
    bytes[i + 1] = (v >>> 8) & 0xff
    bytes[i + 2] = (v >>> 16) & 0xff
    bytes[i + 3] = v >>> 24
  }
  if (i === size) return
  const last = prng.nextUint32()
  for (let k = 0; i < size; i++, k++) bytes[i] = (last >>> (8 * k)) & 0xff
}

/** `size` bytes of deterministic content, seeded per file so contents do not depend on each other. */
export const prngBytes = (seed: number, size: number): Uint8Array => {
  const bytes = new Uint8Array(size)
  fill(createPrng(seed), bytes)
  return bytes
}

/** Bytes per chunk of {@link prngChunks}: a multiple of 4, so chunks continue the same word stream. */
export const PRNG_CHUNK_BYTES = 64 * 1024

/**
 * The bytes of {@link prngBytes}`(seed, size)` as consecutive chunks of at most `chunkBytes` (a
 * multiple of 4), generated as they are consumed: a large generated file is never held in memory.
 */
export function* prngChunks(
  seed: number,
  size: number,
  chunkBytes: number = PRNG_CHUNK_BYTES,
): Generator<Uint8Array, void, undefined> {
  if (chunkBytes <= 0 || chunkBytes % 4 !== 0)
    throw new RangeError(
      `prngChunks: chunkBytes must be a positive multiple of 4, received ${chunkBytes}`,
    )
  const prng = createPrng(seed)
  for (let offset = 0; offset < size; offset += chunkBytes) {
    // A fresh buffer per chunk: a consumer may still hold the previous one.
    const chunk = new Uint8Array(Math.min(chunkBytes, size - offset))
    fill(prng, chunk)
    yield chunk
  }
}
