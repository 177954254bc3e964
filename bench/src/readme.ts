import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { BenchResults } from './results'
import { withResults } from './resultsTable'

/** `pnpm --dir bench readme`: rewrites the README's results section from `results/latest.json`. */
const benchDir = join(dirname(process.argv[1] ?? '.'), '..')
const results = JSON.parse(
  readFileSync(join(benchDir, 'results', 'latest.json'), 'utf8'),
) as BenchResults
const readme = join(benchDir, 'README.md')
writeFileSync(readme, withResults(readFileSync(readme, 'utf8'), results))
