/**
 * Every command the READMEs give works from a fresh shell with only Node and npm: each one in a
 * fenced shell block, and each inline `npm run X`, is an `npm` command whose script exists in the
 * root package.json (and every such script but `npm test` goes through scripts/with-pnpm.sh, which
 * installs what it needs), a script file that exists, or a consumer's install line naming packages
 * of this workspace. A bare `pnpm ...` would fail where pnpm is not on PATH.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(__dirname, '../../..')
const READMES = [
  'README.md',
  'RELEASING.md',
  ...readdirSync(join(ROOT, 'packages')).map((p) => `packages/${p}/README.md`),
  'apps/demo/README.md',
  'bench/README.md',
].filter((file) => existsSync(join(ROOT, file)))

const rootScripts = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
  }
).scripts

const workspacePackages = new Set(
  readdirSync(join(ROOT, 'packages')).map(
    (p) =>
      (
        JSON.parse(readFileSync(join(ROOT, 'packages', p, 'package.json'), 'utf8')) as {
          name: string
        }
      ).name,
  ),
)

/** The commands of a README: lines of fenced shell blocks (comments and env settings dropped), inline `npm run`s. */
const commandsOf = (text: string): string[] => {
  const fenced = [...text.matchAll(/^\s*```(?:sh|bash|shell)\n([\s\S]*?)^\s*```/gm)].flatMap((m) =>
    (m[1] as string)
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.replace(/^([A-Z_]+=\S*\s+)+/, '')),
  )
  const inline = [...text.matchAll(/`(npm run [^`]+)`/g)].map((m) => m[1] as string)
  return [...fenced, ...inline]
}

/** Why a command would not work from a fresh shell, or undefined when it would. */
const problemOf = (command: string): string | undefined => {
  const words = command.split(/\s+/)
  if (words[0] === 'npm') {
    if (words[1] === 'test') return undefined
    if (words[1] === 'install' || words[1] === 'i') return installProblem(words.slice(2))
    if (words[1] !== 'run') return `npm ${words[1]} is not a script`
    const script = words.slice(2).find((w) => !w.startsWith('-'))
    if (script === undefined || rootScripts[script] === undefined)
      return `no root script "${script}"`
    return undefined
  }
  if (words[0] === 'pnpm' && words[1] === 'add') return installProblem(words.slice(2))
  if (words[0] === 'bash' || words[0] === 'node')
    return existsSync(join(ROOT, words[1] as string)) ? undefined : `no file ${words[1]}`
  return `"${words[0]}" is not there in a fresh shell: give it as an npm script`
}

/** An install line in a consumer's project is fine when the packages it names from `@org` exist here. */
const installProblem = (names: string[]): string | undefined => {
  const unknown = names.filter((n) => n.startsWith('@org/') && !workspacePackages.has(n))
  return unknown.length === 0 ? undefined : `unknown packages ${unknown.join(', ')}`
}

describe('the commands the READMEs give', () => {
  const all = READMES.flatMap((file) =>
    commandsOf(readFileSync(join(ROOT, file), 'utf8')).map((command) => ({ file, command })),
  )

  it('are there to check: the two commands of the contract among them', () => {
    expect(all.map((c) => c.command)).toEqual(expect.arrayContaining(['npm run demo', 'npm test']))
    expect(all.length).toBeGreaterThan(15)
  })

  it.each(READMES)('%s: each works from a shell with only Node and npm', (file) => {
    const problems = all
      .filter((c) => c.file === file)
      .flatMap(({ command }) => {
        const problem = problemOf(command)
        return problem === undefined ? [] : [`${command}: ${problem}`]
      })
    expect(problems).toEqual([])
  })

  it('go through the bootstrap: every root script but npm test runs with-pnpm.sh', () => {
    for (const [name, script] of Object.entries(rootScripts)) {
      if (name === 'test') expect(script).toBe('bash .ci/run')
      else expect(script).toMatch(/^bash scripts\/(with-pnpm|demo)\.sh\b/)
    }
  })

  it('finds what a README gets wrong', () => {
    expect(problemOf('pnpm --dir bench soak')).toMatch(/not there in a fresh shell/)
    expect(problemOf('npm run nonexistent')).toBe('no root script "nonexistent"')
    expect(problemOf('npm run --silent simulator -- --scenario demo')).toBeUndefined()
    expect(problemOf('pnpm add @org/file-events-codec io-ts')).toBeUndefined()
    expect(problemOf('pnpm add @org/nothing')).toBe('unknown packages @org/nothing')
    expect(
      commandsOf('```sh\nROOM_PIN=1 npm run demo -- --web   # watch\n# a comment\n```'),
    ).toEqual(['npm run demo -- --web'])
  })
})
