// Checks that every version a published package's docs name (`@since X.Y.Z` in src, "since X.Y.Z" in
// its README) is one a user can install: a version its CHANGELOG.md records as released, or the
// version the pending changesets give it. That version comes from the release plan changesets itself
// computes (@changesets/get-release-plan, what `changeset version` applies), so the rule follows
// the bump types: any number of `minor` changesets on 0.0.0 still give 0.1.0, a `major` one gives
// 1.0.0 and fails every `@since 0.1.0`.
//
// Usage: node scripts/check-since.mjs      (exits 1 and lists each tag that names another version)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import getReleasePlan from '@changesets/get-release-plan'
import { publishedPackages } from './check-packages.mjs'

const root = resolve(import.meta.dirname, '..')

/** Versions a CHANGELOG.md written by changesets records as released ("## 1.2.3" headings). */
export const releasedVersions = (changelog) =>
  [...changelog.matchAll(/^## (\d+\.\d+\.\d+(?:-[\w.]+)?)\s*$/gm)].map((m) => m[1])

/** Every version named by a `@since` tag (TypeScript) or a "since X.Y.Z" phrase (Markdown). */
export const namedVersions = (text, markdown) => {
  const re = markdown ? /\bsince\s+v?(\d+\.\d+\.\d+(?:-[\w.]+)?)/gi : /@since\s+(\S+)/g
  return [...text.matchAll(re)].map((m) => ({
    version: m[1],
    line: text.slice(0, m.index).split('\n').length,
  }))
}

/** The versions a package's docs may name: released ones and the one the pending plan gives. */
export const allowedVersions = (pkg, release, changelog) => {
  const allowed = new Set(releasedVersions(changelog))
  // Without a pending release, `changeset publish` publishes package.json's version as it is.
  allowed.add(release === undefined ? pkg.version : release.newVersion)
  return allowed
}

const sourceFiles = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })

const main = async () => {
  const plan = await getReleasePlan(root)
  let problems = 0
  for (const { dir, pkg } of publishedPackages()) {
    const release = plan.releases.find((r) => r.name === pkg.name && r.type !== 'none')
    const changelogPath = join(dir, 'CHANGELOG.md')
    const changelog = existsSync(changelogPath) ? readFileSync(changelogPath, 'utf8') : ''
    const allowed = allowedVersions(pkg, release, changelog)
    const files = [
      ...sourceFiles(join(dir, 'src')).map((path) => ({ path, markdown: false })),
      { path: join(dir, 'README.md'), markdown: true },
    ].filter(({ path }) => existsSync(path))
    let tags = 0
    for (const { path, markdown } of files) {
      for (const { version, line } of namedVersions(readFileSync(path, 'utf8'), markdown)) {
        tags += 1
        if (!allowed.has(version)) {
          problems += 1
          console.log(
            `${relative(root, path)}:${line}: since ${version}, which ${pkg.name} never publishes`,
          )
        }
      }
    }
    const next =
      release === undefined ? 'no pending release' : `${release.type} -> ${release.newVersion}`
    console.log(
      `${pkg.name} ${pkg.version} (${next}): ${tags} since-tags, allowed ${[...allowed].join(', ')}`,
    )
  }
  if (problems > 0) {
    console.log(
      `${problems} tag(s) name a version that is neither released nor about to be (RELEASING.md)`,
    )
  }
  return problems === 0
}

if (process.argv[1] === import.meta.filename) process.exit((await main()) ? 0 : 1)
