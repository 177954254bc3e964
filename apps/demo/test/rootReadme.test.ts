import { readFileSync } from 'node:fs'
import { join } from 'node:path'

describe('the repository README sample', () => {
  it('is the type-checked copy in test/examples/rootReadme.ts', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8')
    const start = readme.indexOf('```ts\n') + '```ts\n'.length
    const sample = readme.slice(start, readme.indexOf('```', start))
    const copy = readFileSync(join(__dirname, 'examples/rootReadme.ts'), 'utf8')
    expect(copy.split('\n').slice(2).join('\n')).toBe(sample)
  })
})
