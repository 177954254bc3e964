import { build } from 'esbuild'
import { type BundleSize, bundleSize } from '../../test-support/bundleSize'

export type { BundleSize }

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

/** Every entry of {@link BUNDLE_ENTRIES}, resolved from `resolveDir` (the bench package's folder). */
export const bundleSizes = async (resolveDir: string): Promise<Record<BundleKey, BundleSize>> => {
  const sizes: Partial<Record<BundleKey, BundleSize>> = {}
  for (const [key, source] of Object.entries(BUNDLE_ENTRIES) as Array<[BundleKey, string]>)
    sizes[key] = await bundleSize(build, source, resolveDir)
  return sizes as Record<BundleKey, BundleSize>
}
