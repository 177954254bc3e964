/**
 * Every public name has TSDoc with `@since`, on every declaration it has (a codec and its type
 * share a name, and each is documented). Read with the TypeScript compiler, as documentation tools
 * read it.
 */
import { join } from 'node:path'
import ts from 'typescript'

const INDEX = join(__dirname, '../src/index.ts')

const program = ts.createProgram([INDEX], {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  // Only the package's own declarations are read: no default library, no global types.
  noLib: true,
  types: [],
})
const checker = program.getTypeChecker()
const source = program.getSourceFile(INDEX)
const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source)
const exported = moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol)

const declarationsOf = (symbol: ts.Symbol): ReadonlyArray<ts.Declaration> => {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
  return target.declarations ?? []
}

const sinceOf = (declaration: ts.Declaration): string | undefined => {
  const tag = ts.getJSDocTags(declaration).find((t) => t.tagName.text === 'since')
  return tag === undefined ? undefined : ts.getTextOfJSDocComment(tag.comment)
}

describe('TSDoc of the public API', () => {
  it('finds the exports', () => {
    expect(exported.length).toBeGreaterThan(100)
  })

  it('every export has @since on each of its declarations', () => {
    const undocumented = exported.flatMap((symbol) =>
      declarationsOf(symbol)
        .filter((d) => !/^\d+\.\d+\.\d+/.test(sinceOf(d) ?? ''))
        .map(
          (d) =>
            `${symbol.name} (${ts.SyntaxKind[d.kind]} in ${d.getSourceFile().fileName.split('/').pop()})`,
        ),
    )
    expect(undocumented).toEqual([])
  })

  it('every export has a description on at least one of its declarations', () => {
    const bare = exported.filter((symbol) =>
      declarationsOf(symbol).every((d) =>
        ts
          .getJSDocCommentsAndTags(d)
          .every(
            (doc) =>
              !ts.isJSDoc(doc) || (ts.getTextOfJSDocComment(doc.comment) ?? '').trim() === '',
          ),
      ),
    )
    expect(bare.map((s) => s.name)).toEqual([])
  })
})
