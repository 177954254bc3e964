import { readFileSync } from 'node:fs'
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
  it('has the error table that the declarations make (copy it from this failure when they change)', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8')
    const found = /<!-- errors:start -->\n([\s\S]*?)\n<!-- errors:end -->/.exec(readme)?.[1]
    expect(found).toBe(table())
  })

  it('lists every error kind once, each with its own code', () => {
    expect(new Set(ERROR_KINDS.map((k) => k.code)).size).toBe(ERROR_KINDS.length)
    expect(ERROR_KINDS).toHaveLength(12)
  })
})
