/**
 * Every TypeScript sample of the README and every `@example` of the TSDoc is kept as a module under
 * `test/examples/`, so that `tsc` type-checks it with the tests. This test fails when a sample and
 * its module differ; `UPDATE_EXAMPLES=1 pnpm exec jest test/examples.test.ts` rewrites the modules.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(__dirname, '..')
const EXAMPLES = join(__dirname, 'examples')

const readmeSamples = (): Array<[string, string]> =>
  [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map(
    (m, i) => [`readme-${i + 1}`, m[1] as string],
  )

/**
 * `@example` blocks of the sources, named after the file and the declaration that follows: an
 * export, or a class's method.
 */
const tsdocSamples = (): Array<[string, string]> => {
  const out: Array<[string, string]> = []
  for (const file of readdirSync(join(ROOT, 'src')).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(ROOT, 'src', file), 'utf8')
    for (const m of text.matchAll(
      /\/\*\*((?:(?!\*\/)[\s\S])*?@example((?:(?!\*\/)[\s\S])*?))\*\/\s*(?:export (?:const|class|function|abstract class) |(?:async |override |protected )*)(\w+)[\s<(=:]/g,
    )) {
      const body = (m[2] as string)
        .split('\n')
        .map((line) => line.replace(/^\s*\* ?/, ''))
        .join('\n')
        .split(/\n@\w+/)[0] as string
      // Named after the file too: the main and the Node entry both document a `connectRoom`.
      out.push([`tsdoc-${file.replace(/\.ts$/, '')}-${m[3] as string}`, `${body.trim()}\n`])
    }
  }
  return out
}

const asModule = (sample: string, from: string): string =>
  [
    `// From ${from}; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.`,
    sample
      .replaceAll("from '@org/file-events-stream/node'", "from '../../src/node'")
      .replaceAll("from '@org/file-events-stream'", "from '../../src/index'")
      .trimEnd(),
    'export {}',
    '',
  ].join('\n')

const expected = new Map<string, string>([
  ...readmeSamples().map(([name, code]): [string, string] => [
    `${name}.ts`,
    asModule(code, 'README.md'),
  ]),
  ...tsdocSamples().map(([name, code]): [string, string] => [
    `${name}.ts`,
    asModule(code, 'a TSDoc @example'),
  ]),
])

describe('code samples', () => {
  it('are all kept as type-checked modules', () => {
    if (process.env.UPDATE_EXAMPLES === '1') {
      if (existsSync(EXAMPLES)) rmSync(EXAMPLES, { recursive: true })
      mkdirSync(EXAMPLES)
      for (const [file, code] of expected) writeFileSync(join(EXAMPLES, file), code)
    }
    expect(expected.size).toBeGreaterThanOrEqual(8)
    const actual = new Map(
      readdirSync(EXAMPLES).map((f): [string, string] => [
        f,
        readFileSync(join(EXAMPLES, f), 'utf8'),
      ]),
    )
    expect(actual).toEqual(expected)
  })
})
