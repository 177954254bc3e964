import { defineConfig } from 'tsup'

export default defineConfig({
  entry: [
    'src/run.ts',
    'src/blaster.ts',
    'src/soak.ts',
    'src/fleetHost.ts',
    'src/readme.ts',
    'src/hostileHeap.ts',
    'src/sparseHost.ts',
    'src/sparseClient.ts',
  ],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // The packages under test are used as published: their built output, not bundled copies.
  external: [/^@org\//, 'esbuild', 'rxjs', 'io-ts', 'fp-ts', 'ws', 'ajv', 'zod', 'valibot'],
})
