import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ERROR_KINDS } from '../src/errors'

/** The README's error table, made from the errors' declarations. */
const table = (): string =>
  [
    '| class | `code` | when | fields |',
    '|---|---|---|---|',
    ...ERROR_KINDS.map(
      (kind) =>
        `| \`${kind.name}\` | \`${kind.code}\` | ${kind.when} | ${kind.fields.length === 0 ? '—' : kind.fields.map((f) => `\`${f}\``).join(', ')} |`,
    ),
  ].join('\n')

describe('the README', () => {
  // `UPDATE_README=1 pnpm exec jest test/readmeErrors.test.ts` writes the table after a change.
  it('has the error table that the declarations make', () => {
    const path = join(__dirname, '..', 'README.md')
    const markers = /(<!-- errors:start -->\n)([\s\S]*?)(\n<!-- errors:end -->)/
    const readme = readFileSync(path, 'utf8')
    if (process.env['UPDATE_README'] === '1')
      writeFileSync(
        path,
        readme.replace(markers, (_m, a: string, _t, b: string) => a + table() + b),
      )
    const found = markers.exec(readFileSync(path, 'utf8'))?.[2]
    expect(found).toBe(table())
  })

  it('lists every error kind once, each with its own code', () => {
    expect(new Set(ERROR_KINDS.map((k) => k.code)).size).toBe(ERROR_KINDS.length)
    expect(ERROR_KINDS).toHaveLength(12)
  })
})
