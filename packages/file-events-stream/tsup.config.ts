import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps: the published JS is unminified and readable as it is (RELEASING.md, "What a
  // tarball holds").
  sourcemap: false,
  clean: true,
  target: 'es2022',
  treeshake: true,
  // One copy of every class shared by both entries in CommonJS too (esbuild splits only ESM; tsup
  // adds it for CJS), so that `instanceof` holds across `.` and `./node`.
  splitting: true,
})
