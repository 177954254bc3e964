import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { downloadPath, startRoomSimulator } from '../src'
import { PRNG_CHUNK_BYTES, createPrng, prngBytes, prngChunks, prngUuid } from '../src/internal/prng'
import { TestClient } from './helpers/TestClient'

const concat = (chunks: Iterable<Uint8Array>): Buffer => Buffer.concat([...chunks])
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

describe('generated file contents are made chunk by chunk', () => {
  it('gives the same bytes as one buffer, in chunks of at most the chunk size', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(10_000),
        fc.integer({ min: 1, max: 2048 }),
        (seed, size, words) => {
          const chunks = [...prngChunks(seed, size, words * 4)]
          expect(chunks.every((c) => c.length > 0 && c.length <= words * 4)).toBe(true)
          // Buffer#equals: jest's deep equality is slow on large byte arrays.
          expect(concat(chunks).equals(prngBytes(seed, size))).toBe(true)
        },
      ),
      { numRuns: 150, seed: 5 },
    )
  })

  it('keeps the contents of earlier versions for the same seed', () => {
    // Digests of the contents generated before generation became chunked.
    expect(Buffer.from(prngBytes(1, 7)).toString('hex')).toBe('f3ea87a0c949b3')
    expect(sha256(concat(prngChunks(42, 65_541)))).toBe(
      '914f6dae17d94ee93b4cc2a1973993aef59988a4f6c13c30d3286b89bfc23b5c',
    )
    expect(sha256(concat(prngChunks(7, 200_003)))).toBe(
      'ef58246ae067d1e92d67f75388d6301ae3e137b1a5a623c0948b0d25a8a50e77',
    )
  })

  it('refuses a chunk size that would break the word stream', () => {
    expect(() => [...prngChunks(1, 10, 6)]).toThrow(RangeError)
    expect(() => [...prngChunks(1, 10, 0)]).toThrow(RangeError)
  })

  it('stores and serves a generated received file larger than one chunk, byte for byte', async () => {
    const size = 3 * PRNG_CHUNK_BYTES + 3
    const room = await startRoomSimulator({ timeScale: 0, seed: 23 })
    try {
      const c = await TestClient.authed(room.urls.ws)
      const id = room.offerFile({ fileName: 'generated.bin', size })
      await c.request('acceptIncomingFileRequest', { fileRequestId: id })
      const done = await c.waitForEvent(
        'fileRequestStatusChanged',
        (e) => e.fileRequestId === id && e.status === 3,
      )
      const token = String((await c.request('getTokenForHttpServer')).token)
      const res = await fetch(
        `${room.urls.http}${downloadPath(Number(done.fileId))}?token=${token}`,
      )
      expect(res.status).toBe(200)
      const served = new Uint8Array(await res.arrayBuffer())
      // An offer draws its request id, then its content seed, from the simulator's seeded stream.
      const ids = createPrng(23)
      expect(prngUuid(ids)).toBe(id)
      const expected = prngBytes(ids.nextUint32(), size)
      expect(served.length).toBe(size)
      expect(sha256(served)).toBe(sha256(expected))
      expect(sha256(readFileSync(`${room.storageDir}/received-${String(done.fileId)}`))).toBe(
        sha256(expected),
      )
      await c.close()
    } finally {
      await room.close()
    }
  })

  it('stores a generated scenario send of several chunks with its exact size', async () => {
    const size = 2 * PRNG_CHUNK_BYTES + 1
    const room = await startRoomSimulator({
      timeScale: 0,
      scenario: { steps: [{ at: 0, send: { fileName: 'out.bin', size, to: 'peer@x' } }] },
    })
    try {
      const c = await TestClient.authed(room.urls.ws)
      await room.idle()
      expect(room.groundTruth()).toEqual([
        expect.objectContaining({ fileName: 'out.bin', fileSize: size, status: 3 }),
      ])
      const fileId = room.groundTruth()[0]?.fileId
      const token = String((await c.request('getTokenForHttpServer')).token)
      const res = await fetch(`${room.urls.http}${downloadPath(Number(fileId))}?token=${token}`)
      expect((await res.arrayBuffer()).byteLength).toBe(size)
      await c.close()
    } finally {
      await room.close()
    }
  })
})
