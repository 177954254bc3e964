import { defineConfig } from 'tsup'

export default defineConfig([
  {
    entry: ['src/main.ts'],
    format: ['esm'],
    sourcemap: true,
    // Not dist/web: the second build writes there, at the same time.
    clean: ['*.js', '*.map'],
    target: 'es2022',
    banner: { js: '#!/usr/bin/env node' },
    external: [/^@org\//, 'rxjs', 'io-ts', 'fp-ts', 'ws'],
  },
  {
    // The web dashboard's page script: the stream package's main entry and its peers bundled for
    // the browser, served by `--web` from dist/web/dashboard.global.js.
    entry: { dashboard: 'src/web/dashboard.ts' },
    outDir: 'dist/web',
    format: ['iife'],
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    clean: true,
    noExternal: [/.*/],
    // uPlot's stylesheet, bundled as text: the page adds it as a <style>.
    loader: { '.css': 'text' },
  },
])
