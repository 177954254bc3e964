import { join } from 'node:path'
import { build } from 'esbuild'
import { bundleSize } from '../../../test-support/bundleSize'

const root = join(__dirname, '..')
const codecRoot = join(root, '../file-events-codec')

/** From the packages as built (`dist/`, which CI builds before the tests); the bench tabulates the same. */
const bundled = (source: string) => bundleSize(build, source, root)

const KiB = 1024
const codec = JSON.stringify(join(codecRoot, 'dist/index.js'))
const stream = JSON.stringify(join(root, 'dist/index.js'))

describe('browser bundle budgets', () => {
  it('one codec helper costs at most 3 KiB: no codec is built for an import that does not use it', async () => {
    const { bytes } = await bundled(`export { timestampToDate } from ${codec}`)
    expect(bytes).toBeLessThanOrEqual(3 * KiB)
  }, 30_000)

  it('decodeRoomMessage alone, io-ts included, costs at most 28.6 KiB', async () => {
    const { bytes } = await bundled(`export { decodeRoomMessage } from ${codec}`)
    expect(bytes).toBeLessThanOrEqual(28.6 * KiB)
  }, 30_000)

  it('connectRoom and ofEvent stay under a ceiling of 110 KiB (36 KiB gzipped)', async () => {
    // The design's budget is 60 KiB (20 KiB gzipped); today's 106 KiB misses it (bench/README.md).
    // This ceiling catches growth until the stream's own code is split.
    const { bytes, gzipBytes } = await bundled(`export { connectRoom, ofEvent } from ${stream}`)
    expect(bytes).toBeLessThanOrEqual(110 * KiB)
    expect(gzipBytes).toBeLessThanOrEqual(36 * KiB)
  }, 30_000)
})
