import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'

const ROOT = join(__dirname, '..')
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** Every export of src/index.ts with the JSDoc tags of all its declarations (a type and a value of one name count together). */
const exportsOfIndex = (): ReadonlyArray<{
  name: string
  tags: ReadonlyArray<string>
  documented: boolean
}> => {
  const index = join(ROOT, 'src/index.ts')
  const program = ts.createProgram([index], {
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: true,
    noLib: true,
    types: [],
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(index)
  const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source)
  if (moduleSymbol === undefined) throw new Error('src/index.ts has no module symbol')
  return checker.getExportsOfModule(moduleSymbol).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
    const declarations = target.declarations ?? []
    const tags = declarations.flatMap((d) => ts.getJSDocTags(d).map((tag) => tag.tagName.text))
    const documented = declarations.some((d) => ts.getJSDocCommentsAndTags(d).length > 0)
    return { name: symbol.name, tags, documented }
  })
}

/** The export names of the README's API table (the first cell of each row, up to its `(`). */
const readmeApiNames = (): ReadonlyArray<string> => {
  const section = /## API\n([\s\S]*?)\n## /.exec(README)?.[1] ?? ''
  return [...section.matchAll(/^\| `(\w+)/gm)].map((m) => m[1] as string)
}

describe('the public API', () => {
  const exported = exportsOfIndex()

  it('has the exports the README lists, each once', () => {
    expect(exported.length).toBeGreaterThanOrEqual(24)
    const listed = readmeApiNames()
    expect(new Set(listed).size).toBe(listed.length)
    expect([...listed].sort()).toEqual(exported.map((e) => e.name).sort())
  })

  it('documents every export with TSDoc carrying @since', () => {
    const missing = exported
      .filter((e) => !e.documented || !e.tags.includes('since'))
      .map((e) => e.name)
    expect(missing).toEqual([])
  })
})
