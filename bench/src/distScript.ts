import { dirname, join } from 'node:path'

/**
 * The path of a built script that a benchmark runs in a child process (`blaster.js`,
 * `fleetHost.js`): beside the running `run.js`, or in `BENCH_DIST` (the tests, which run from
 * sources, point it at `dist/`).
 */
export const distScript = (name: string): string =>
  join(process.env.BENCH_DIST ?? dirname(process.argv[1] ?? '.'), name)
