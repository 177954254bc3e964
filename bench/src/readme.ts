import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { BenchResults } from './results'
import { writeReadmes } from './resultsTable'

/**
 * `pnpm --dir bench readme`: rewrites the README's results section, and the root README's
 * performance section, from `results/latest.json`.
 */
const benchDir = join(dirname(process.argv[1] ?? '.'), '..')
const results = JSON.parse(
  readFileSync(join(benchDir, 'results', 'latest.json'), 'utf8'),
) as BenchResults
writeReadmes(benchDir, results)
