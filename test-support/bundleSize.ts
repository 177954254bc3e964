// Shared by the bench (`bench/src/bundles.ts`) and the stream package's bundle budgets: what a
// browser user's bundle pays for an import, measured as they would bundle it.
import { gzipSync } from 'node:zlib'

/** The options `bundleSize` gives esbuild's `build`. */
export interface BundleBuildOptions {
  readonly stdin: { readonly contents: string; readonly resolveDir: string; readonly loader: 'js' }
  readonly bundle: true
  readonly minify: true
  readonly platform: 'browser'
  readonly format: 'esm'
  readonly write: false
  readonly logLevel: 'silent'
}

/** esbuild's `build`, passed in by the caller (each package resolves its own esbuild). */
export type BuildFunction = (options: BundleBuildOptions) => Promise<{
  readonly outputFiles?: ReadonlyArray<{ readonly contents: Uint8Array }>
}>

export interface BundleSize {
  /** Minified, in bytes. */
  readonly bytes: number
  /** The same, gzipped (level 9), in bytes. */
  readonly gzipBytes: number
}

/**
 * Bundles `source` (an ES module, its imports resolved from `resolveDir`) as a browser user would:
 * esbuild, minified, ESM, for the browser, every dependency bundled in.
 */
export const bundleSize = async (
  build: BuildFunction,
  source: string,
  resolveDir: string,
): Promise<BundleSize> => {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles?.[0]?.contents ?? new Uint8Array()
  return { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length }
}
