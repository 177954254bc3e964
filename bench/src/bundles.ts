import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

/**
 * What a browser user pays for what they import, measured as they would bundle it: esbuild,
 * minified, ESM, for the browser, from the packages as built (their `dist/`), with rxjs, io-ts and
 * fp-ts bundled in. The rxjs `webSocket` + `filter` row is the reference a user compares with.
 */
export const BUNDLE_ENTRIES = {
  connectRoom: `export { connectRoom, ofEvent } from '@org/file-events-stream'`,
  rxjsWebSocket: `export { webSocket } from 'rxjs/webSocket'\nexport { filter } from 'rxjs'`,
  codecHelper: `export { timestampToDate } from '@org/file-events-codec'`,
  decodeRoomMessage: `export { decodeRoomMessage } from '@org/file-events-codec'`,
} as const
export type BundleKey = keyof typeof BUNDLE_ENTRIES

export const BUNDLE_LABELS: Readonly<Record<BundleKey, string>> = {
  connectRoom: '`connectRoom` + `ofEvent` (rxjs and io-ts included)',
  rxjsWebSocket: 'reference: rxjs `webSocket` + `filter`',
  codecHelper: 'one codec helper (`timestampToDate`)',
  decodeRoomMessage: '`decodeRoomMessage` (io-ts included)',
}

export interface BundleSize {
  /** Minified, in bytes. */
  readonly bytes: number
  /** The same, gzipped (level 9), in bytes. */
  readonly gzipBytes: number
}

/** Bundles `source` (an ES module) as a browser user would, from `resolveDir`. */
export const bundleSize = async (source: string, resolveDir: string): Promise<BundleSize> => {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]?.contents ?? new Uint8Array()
  return { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length }
}

/** Every entry of {@link BUNDLE_ENTRIES}, resolved from `resolveDir` (the bench package's folder). */
export const bundleSizes = async (resolveDir: string): Promise<Record<BundleKey, BundleSize>> => {
  const sizes: Partial<Record<BundleKey, BundleSize>> = {}
  for (const [key, source] of Object.entries(BUNDLE_ENTRIES) as Array<[BundleKey, string]>)
    sizes[key] = await bundleSize(source, resolveDir)
  return sizes as Record<BundleKey, BundleSize>
}
