// Checks the published packages as a user receives them: from the tarballs `pnpm pack` makes (the
// same packing `changeset publish` does through pnpm), never from the working tree.
//
// Usage: node scripts/check-packages.mjs <step> [dir]      (dir: where the tarballs go, .ci-out/pack)
//   pack      packs every published package (packages/* without "private") into dir
//   publint   publint in strict mode on each tarball: warnings count as errors
//   attw      @arethetypeswrong/cli on each tarball: every entry under node10, node16 (CJS and ESM)
//             and bundler resolution
//   contents  each tarball holds only the files RELEASING.md lists, a LICENSE equal to the root one,
//             every file its package.json points to, no `@internal` in a declaration, no source map
//             reference, and stays within its size budget
// Exits 1 on any problem, printing what it found.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'

const root = resolve(import.meta.dirname, '..')

/**
 * What each tarball may hold beyond the files every package has (package.json, README.md, LICENSE,
 * CHANGELOG.md, dist/*.{js,cjs,d.ts,d.cts}), and its size budget: the packed (gzip) and unpacked
 * bytes, about a quarter above the sizes of the first release so that ordinary growth passes and a
 * stray folder does not. A package without an entry fails: its contents are decided here, on purpose.
 */
export const BUDGETS = {
  '@org/file-events-codec': { extra: [], packedBytes: 60_000, unpackedBytes: 370_000 },
  '@org/file-events-stream': {
    // node/package.json: the `./node` entry for resolvers that read no "exports" (TypeScript's node10).
    extra: [/^node\/package\.json$/],
    // 132 KB packed and 498 KB unpacked with the deferred tracker states.
    packedBytes: 136_000,
    unpackedBytes: 515_000,
  },
  '@org/room-simulator': {
    extra: [/^scenarios\/[\w.-]+\.json$/],
    packedBytes: 112_000,
    unpackedBytes: 420_000,
  },
}

const COMMON = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^CHANGELOG\.md$/,
  /^dist\/[\w.-]+\.(js|cjs|d\.ts|d\.cts)$/,
]

/** The workspace's published packages: every packages/* whose package.json is not private. */
export const publishedPackages = () =>
  readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => pkg.private !== true)

/** The files of a .tgz, as { path (without the leading "package/"), data }. */
export const untar = (tgz) => {
  const tar = gunzipSync(tgz)
  const files = []
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512)
    if (header.every((b) => b === 0)) break
    const text = (from, to) => header.subarray(from, to).toString('utf8').replace(/\0.*$/s, '')
    const size = parseInt(text(124, 136).trim() || '0', 8)
    const type = text(156, 157)
    const prefix = text(345, 500)
    const name = (prefix ? `${prefix}/` : '') + text(0, 100)
    if (type === '0' || type === '') {
      files.push({
        path: name.replace(/^package\//, ''),
        data: tar.subarray(at + 512, at + 512 + size),
      })
    }
    at += 512 + Math.ceil(size / 512) * 512
  }
  return files
}

const run = (command, args, cwd) => {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  })
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` }
}

const manifestPath = (dir) => join(dir, 'tarballs.json')
const tarballs = (dir) => {
  if (!existsSync(manifestPath(dir))) {
    console.error(`no tarballs in ${dir}: run \`node scripts/check-packages.mjs pack\` first`)
    process.exit(1)
  }
  return JSON.parse(readFileSync(manifestPath(dir), 'utf8'))
}

const pack = (dir) => {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const list = []
  for (const { dir: pkgDir, pkg } of publishedPackages()) {
    const r = run('pnpm', ['pack', '--pack-destination', dir], pkgDir)
    const tarball = readdirSync(dir).find(
      (f) => f.endsWith('.tgz') && !list.some((t) => t.tarball.endsWith(f)),
    )
    if (!r.ok || tarball === undefined) {
      console.error(`pnpm pack failed in ${pkgDir}:\n${r.out}`)
      return false
    }
    list.push({ name: pkg.name, tarball: join(dir, tarball) })
    console.log(`${pkg.name}: ${tarball}`)
  }
  writeFileSync(manifestPath(dir), JSON.stringify(list, null, 2) + '\n')
  return true
}

const publintStep = async (dir) => {
  const { publint } = await import('publint')
  const { formatMessage } = await import('publint/utils')
  let ok = true
  for (const { name, tarball } of tarballs(dir)) {
    const data = readFileSync(tarball)
    const tarballBuffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)
    const { messages, pkg } = await publint({ pack: { tarball: tarballBuffer }, strict: true })
    const serious = messages.filter((m) => m.type !== 'suggestion')
    console.log(`${name}: ${serious.length === 0 ? 'ok' : `${serious.length} problem(s)`}`)
    for (const m of messages) console.log(`  ${m.type}: ${formatMessage(m, pkg) ?? m.code}`)
    if (serious.length > 0) ok = false
  }
  return ok
}

const attwStep = (dir) => {
  let ok = true
  for (const { name, tarball } of tarballs(dir)) {
    const r = run(
      join(root, 'node_modules/.bin/attw'),
      [tarball, '--profile', 'strict', '--format', 'ascii'],
      root,
    )
    console.log(`${name}: ${r.ok ? 'ok' : 'FAILED'}\n${r.out}`)
    if (!r.ok) ok = false
  }
  return ok
}

/** Every path a package.json points to: main, module, types, bin, every "exports" target. */
const pointedTo = (pkg) => {
  const out = []
  const walk = (v) => {
    if (typeof v === 'string') out.push(v)
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk)
  }
  walk([pkg.main, pkg.module, pkg.types, pkg.bin, pkg.exports])
  return out.map((p) => p.replace(/^\.\//, ''))
}

/** The problems of one tarball's file list (exported for the test that shows each one is caught). */
export const contentProblems = (name, files, packedBytes, license) => {
  const budget = BUDGETS[name]
  if (budget === undefined) return [`${name} has no entry in BUDGETS (scripts/check-packages.mjs)`]
  const problems = []
  const byPath = new Map(files.map((f) => [f.path, f]))
  for (const { path } of files) {
    if (![...COMMON, ...budget.extra].some((re) => re.test(path))) {
      problems.push(
        `${path}: not a file the tarball should hold (RELEASING.md, "What a tarball holds")`,
      )
    }
  }
  const pkgFile = byPath.get('package.json')
  const pkg = pkgFile === undefined ? {} : JSON.parse(pkgFile.data.toString('utf8'))
  const nested = files
    .filter((f) => /^[^/]+\/package\.json$/.test(f.path))
    .flatMap((f) => {
      const base = f.path.slice(0, f.path.indexOf('/'))
      return pointedTo(JSON.parse(f.data.toString('utf8'))).map((p) => join(base, p))
    })
  for (const path of ['package.json', 'README.md', 'LICENSE', ...pointedTo(pkg), ...nested]) {
    if (!byPath.has(path)) problems.push(`${path}: missing`)
  }
  const packageLicense = byPath.get('LICENSE')
  if (packageLicense !== undefined && !packageLicense.data.equals(license)) {
    problems.push('LICENSE: differs from the repository root LICENSE')
  }
  for (const { path, data } of files) {
    const text = data.toString('utf8')
    if (/\.d\.c?ts$/.test(path) && text.includes('@internal')) {
      problems.push(`${path}: declares something marked @internal (stripInternal is off?)`)
    }
    if (/\.c?js$/.test(path) && text.includes('sourceMappingURL')) {
      problems.push(`${path}: points to a source map the tarball does not hold`)
    }
  }
  const unpacked = files.reduce((n, f) => n + f.data.length, 0)
  if (packedBytes > budget.packedBytes) {
    problems.push(`packed size ${packedBytes} B is over the budget of ${budget.packedBytes} B`)
  }
  if (unpacked > budget.unpackedBytes) {
    problems.push(`unpacked size ${unpacked} B is over the budget of ${budget.unpackedBytes} B`)
  }
  return problems
}

const contentsStep = (dir) => {
  const license = readFileSync(join(root, 'LICENSE'))
  let ok = true
  for (const { name, tarball } of tarballs(dir)) {
    const data = readFileSync(tarball)
    const files = untar(data)
    const unpacked = files.reduce((n, f) => n + f.data.length, 0)
    const problems = contentProblems(name, files, data.length, license)
    console.log(`${name}: ${files.length} files, ${data.length} B packed, ${unpacked} B unpacked`)
    for (const f of files) console.log(`  ${String(f.data.length).padStart(8)}  ${f.path}`)
    for (const p of problems) console.log(`  PROBLEM ${p}`)
    if (problems.length > 0) ok = false
  }
  return ok
}

if (process.argv[1] === import.meta.filename) {
  const [step, dirArg] = process.argv.slice(2)
  const dir = resolve(root, dirArg ?? '.ci-out/pack')
  const steps = { pack, publint: publintStep, attw: attwStep, contents: contentsStep }
  if (!(step in steps)) {
    console.error(`usage: node scripts/check-packages.mjs ${Object.keys(steps).join('|')} [dir]`)
    process.exit(2)
  }
  process.exit((await steps[step](dir)) ? 0 : 1)
}
