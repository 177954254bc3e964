/**
 * Runs plain `node` on the built package, as a user's app would load it: through the `exports`
 * map, from outside the package, once with `require` and once with `import`. Only this catches an
 * ESM build that passes tsc, tsup and jest but cannot load (a deep `fp-ts/Either` import is a
 * directory import under native ESM). The declarations are type-checked the same way, under
 * `NodeNext`, where an extensionless deep import in a `.d.ts` silently turns types into `any`.
 */
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const PACKAGE = resolve(__dirname, '..')
const pkg = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as {
  name: string
  exports: Record<string, { import: { default: string }; require: { default: string } }>
}
const VECTOR = readFileSync(
  join(__dirname, 'fixtures/vectors/event.fileRequestStatusChanged.json'),
  'utf8',
)

/** What each script prints: the decoded vector, and a failure's messages, as one JSON line. */
const body = (load: string) => `${load}
const frame = ${JSON.stringify(VECTOR)}
const ok = codec.decodeRoomMessage(frame)
const bad = codec.decodeRoomMessage(frame.replace('"status": 2', '"status": 9'))
process.stdout.write(JSON.stringify({
  ok,
  isFileEvent: ok._tag === 'Right' && codec.isFileEvent(ok.right),
  bad: bad._tag === 'Left' ? bad.left.messages : null,
  date: codec.timestampToDate(ok.right.timestamp).toISOString(),
  exports: Object.keys(codec).length,
}))
`

let dir = ''

beforeAll(() => {
  const missing = Object.values(pkg.exports['.'] ?? {})
    .map((entry) => join(PACKAGE, entry.default))
    .filter((file) => !existsSync(file))
  if (missing.length > 0) {
    throw new Error(
      `The built output is missing (${missing.join(', ')}): run \`pnpm build\` (or \`pnpm --filter ${pkg.name} build\`) first.`,
    )
  }
  // A consumer outside the package, with the package linked into its node_modules as a dependency is.
  dir = mkdtempSync(join(tmpdir(), 'file-events-codec-consumer-'))
  const scope = join(dir, 'node_modules', ...pkg.name.split('/').slice(0, -1))
  mkdirSync(scope, { recursive: true })
  symlinkSync(PACKAGE, join(dir, 'node_modules', pkg.name), 'dir')
  writeFileSync(join(dir, 'package.json'), '{"private":true}')
  writeFileSync(
    join(dir, 'consumer.cjs'),
    body(`const codec = require(${JSON.stringify(pkg.name)})`),
  )
  writeFileSync(
    join(dir, 'consumer.mjs'),
    body(`const codec = await import(${JSON.stringify(pkg.name)})`),
  )
})

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

const run = (script: string): unknown =>
  JSON.parse(
    execFileSync(process.execPath, [join(dir, script)], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
    }),
  )

describe.each([
  ['require (CommonJS)', 'consumer.cjs'],
  ['import (native ESM)', 'consumer.mjs'],
])('the built package under %s', (_how, script) => {
  it('loads through the exports map and decodes a wire vector', () => {
    const out = run(script)
    expect(out).toEqual({
      ok: { _tag: 'Right', right: JSON.parse(VECTOR) },
      isFileEvent: true,
      bad: ['fileRequestStatusChanged.status: expected FileRequestStatus, received 9'],
      date: '2022-07-31T16:17:02.850Z',
      exports: expect.any(Number),
    })
    expect((out as { exports: number }).exports).toBeGreaterThan(100)
  })
})

it('both builds export the same names', () => {
  const names = (load: string) =>
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `${load}; process.stdout.write(Object.keys(m).sort().join(','))`,
      ],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    )
  const esm = names(`const m = await import(${JSON.stringify(pkg.name)})`)
  const cjs = names(
    `import { createRequire } from 'node:module'; const m = createRequire(${JSON.stringify(join(dir, 'x.cjs'))})(${JSON.stringify(pkg.name)})`,
  )
  expect(esm.split(',')).toEqual(cjs.split(','))
})

describe('the built declarations under moduleResolution NodeNext', () => {
  const tsc = require.resolve('typescript/bin/tsc')
  const check = (file: string, source: string): string => {
    writeFileSync(join(dir, file), source)
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: [file],
      }),
    )
    try {
      execFileSync(process.execPath, [tsc, '-p', dir], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      })
      return ''
    } catch (error) {
      return String((error as { stdout?: unknown }).stdout ?? error)
    }
  }
  // If the declarations did not resolve, `decodeRoomMessage` would be `any` and the expected error
  // below would be missing, which tsc reports as an unused directive.
  const source = (load: string) => `${load}
const result = codec.decodeRoomMessage('{}')
// @ts-expect-error an Either is not a number
const n: number = result
if (result._tag === 'Right' && codec.isFileEvent(result.right)) {
  const name: codec.FileEventName = result.right.event
  void name
}
void n
`

  it.each([
    ['an ES module', 'consumer-types.mts', `import * as codec from ${JSON.stringify(pkg.name)}`],
    [
      'a CommonJS module',
      'consumer-types.cts',
      `import codec = require(${JSON.stringify(pkg.name)})`,
    ],
  ])(
    'type-check in %s, with skipLibCheck off',
    (_kind, file, load) => {
      expect(check(file, source(load))).toBe('')
    },
    60_000,
  )
})
