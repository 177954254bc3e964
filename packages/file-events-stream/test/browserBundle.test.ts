import { builtinModules } from 'node:module'
import { join } from 'node:path'
import { build } from 'esbuild'

const root = join(__dirname, '..')
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])

/** Bundles an entry for the browser and returns the modules it pulled in. */
const bundle = async (entry: string, external: string[]) => {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external,
    // The codec is a workspace package: bundle its sources like a user's bundler would bundle its build.
    alias: { '@org/file-events-codec': join(root, '../file-events-codec/src/index.ts') },
  })
  return {
    inputs: Object.keys(result.metafile.inputs),
    imports: Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path)),
    code: result.outputFiles[0]?.text ?? '',
  }
}

describe('the main entry in a browser bundle', () => {
  it('builds with rxjs, io-ts and fp-ts bundled and uses no Node built-in', async () => {
    const { inputs, imports } = await bundle('src/index.ts', [])
    expect(inputs.some((i) => i.includes('rxjs'))).toBe(true)
    expect(inputs.some((i) => i.includes('io-ts'))).toBe(true)
    expect(inputs.filter((i) => nodeBuiltins.has(i) || i.startsWith('node:'))).toEqual([])
    expect(imports).toEqual([])
  }, 30_000)

  it('builds with the peer dependencies left external', async () => {
    const { imports, code } = await bundle('src/index.ts', ['rxjs', 'io-ts', 'fp-ts'])
    expect(imports.filter((i) => nodeBuiltins.has(i))).toEqual([])
    expect(code).not.toMatch(/from ["']node:|require\(["'](fs|path|crypto|ws)["']\)/)
  }, 30_000)

  it('fails for the Node entry, which needs the file system', async () => {
    await expect(bundle('src/node.ts', ['ws'])).rejects.toThrow(/node:/)
  }, 30_000)
})
