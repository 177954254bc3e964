// "Using the packages before they are published" (the root README), tried as a user would: a new
// project in a temporary folder installs the packed tarballs (.ci-out/pack, from
// `check-packages.mjs pack`) and their peer dependencies from npm, type-checks a newcomer's
// integration (scripts/consumer/integration.mts) under --strict, runs it, and fails on a type error,
// a failed run, a wrong result or any Node warning it prints.
//
// Usage: node scripts/check-consumer.mjs [dir]      (dir: where the tarballs are, .ci-out/pack)
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const packDir = resolve(process.argv[2] ?? join(root, '.ci-out/pack'))
const tarballs = JSON.parse(readFileSync(join(packDir, 'tarballs.json'), 'utf8'))
const PEERS = [
  'rxjs@7.8.2',
  'io-ts@2.2.22',
  'fp-ts@2.16.11',
  'ws@8',
  '@types/node@20',
  '@types/ws@8',
]

const run = (command, args, cwd) => {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  })
  return { ok: r.status === 0, out: r.stdout ?? '', err: r.stderr ?? '' }
}
const fail = (what, r) => {
  console.error(`${what} failed:\n${r.out}${r.err}`)
  process.exit(1)
}

const project = mkdtempSync(join(tmpdir(), 'consumer-'))
try {
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  )
  const install = run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...tarballs.map((t) => t.tarball),
      ...PEERS,
    ],
    project,
  )
  if (!install.ok) fail('npm install of the tarballs', install)
  console.log(`installed ${tarballs.map((t) => t.name).join(', ')} and ${PEERS.join(', ')}`)
  copyFileSync(join(root, 'scripts/consumer/integration.mts'), join(project, 'integration.mts'))
  const tsc = join(root, 'node_modules/typescript/bin/tsc')
  const compile = run(
    process.execPath,
    [
      tsc,
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--lib',
      'es2022,esnext.disposable',
      '--types',
      'node',
      '--skipLibCheck',
      'false',
      'integration.mts',
    ],
    project,
  )
  if (!compile.ok) fail('tsc --strict on the integration', compile)
  const source = readFileSync(join(project, 'integration.mts'), 'utf8')
  if (/!\.|!\)|\bas\s+[A-Z{]/.test(source))
    fail('the integration uses `!` or a cast', { out: '', err: '' })
  const ran = run(process.execPath, ['integration.mjs'], project)
  if (!ran.ok) fail('running the integration', ran)
  if (ran.err.includes('Warning')) fail('the integration printed a warning', ran)
  const result = JSON.parse(ran.out.trim().split('\n').pop())
  const expected = {
    ready: 'ready',
    outcome: 'complete',
    file: true,
    content: 'hello from the room',
  }
  if (JSON.stringify(result) !== JSON.stringify(expected))
    fail(
      `the integration's result ${JSON.stringify(result)} (expected ${JSON.stringify(expected)})`,
      ran,
    )
  console.log(`type-checked under --strict and ran without a warning: ${JSON.stringify(result)}`)
} finally {
  rmSync(project, { recursive: true, force: true })
}
