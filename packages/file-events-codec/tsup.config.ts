import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps: the published JS is unminified and readable as it is (RELEASING.md, "What a
  // tarball holds").
  sourcemap: false,
  clean: true,
  target: 'es2022',
  treeshake: true,
})
