import { defineConfig } from 'tsup'

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    // No source maps: the published JS is unminified and readable as it is (RELEASING.md).
    sourcemap: false,
    clean: false,
    target: 'es2022',
    treeshake: true,
  },
  {
    // The bin only needs to run under Node; one ESM file with a shebang.
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    // No source maps: the published JS is unminified and readable as it is (RELEASING.md).
    sourcemap: false,
    clean: false,
    target: 'es2022',
    banner: { js: '#!/usr/bin/env node' },
  },
])
