/**
 * Loads the built package with plain `node`, through its `exports` map, with `import` and with
 * `require`, as a user's app would: only this catches an ESM build that tsc, tsup and jest accept
 * but Node cannot load. Needs `pnpm build` first (CI builds before testing).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const PACKAGE = join(__dirname, '..')

const run = (code: string, type: 'module' | 'commonjs', flags: string[] = []): unknown =>
  JSON.parse(
    execFileSync(process.execPath, [...flags, `--input-type=${type}`, '-e', code], {
      cwd: PACKAGE,
      encoding: 'utf8',
    }),
  )

const script = (load: string) => `${load}
const frame = '{"method":"event","event":"fileRequestStatusChanged","fileRequestId":"r1","status":3,"directionType":0,"fileName":"a.txt","timestamp":1,"fileSize":5,"fileId":9}'
let state = main.initialFileRequestsState()
const decoded = main.decodeFrame(frame)
state = main.reduceFileRequests(state, { type: 'event', event: decoded.message, at: 1 })
process.stdout.write(JSON.stringify({
  status: state.get('r1').status,
  fileId: state.get('r1').fileId,
  safe: main.sanitizeFileName('../../x.txt'),
  node: typeof node.connectRoom + ' ' + typeof node.saveResponseToFile,
  error: new main.AuthenticationError({ authType: 'secured' }).code,
}))`

describe('the built package', () => {
  beforeAll(() => {
    if (!existsSync(join(PACKAGE, 'dist/index.js')))
      throw new Error('dist/ is missing: run `pnpm --filter @org/file-events-stream build` first')
  })

  const expected = {
    status: 3,
    fileId: 9,
    safe: 'x.txt',
    node: 'function function',
    error: 'ERR_AUTHENTICATION',
  }

  it('loads as ESM', () => {
    expect(
      run(
        script(
          "const main = await import('@org/file-events-stream'); const node = await import('@org/file-events-stream/node')",
        ),
        'module',
      ),
    ).toEqual(expected)
  })

  it('keeps no tracker state alive once its owner drops it', () => {
    const code = `const main = require('@org/file-events-stream')
let state = main.initialFileRequestsState()
for (let i = 0; i < 100; i++) state = main.reduceFileRequests(state, { type: 'event', at: i, event: { method: 'event', event: 'receivedFileRequest', fileRequestId: 'r' + i, fileName: 'f', peerId: 'p@s', fileSize: 1, timestamp: 1 } })
const requests = new WeakRef(state.requests)
const request = new WeakRef(state.get('r99'))
state = undefined
setTimeout(() => { global.gc(); process.stdout.write(JSON.stringify({ requests: requests.deref() === undefined, request: request.deref() === undefined })) }, 0)`
    expect(run(code, 'commonjs', ['--expose-gc'])).toEqual({ requests: true, request: true })
  })

  it('loads as CommonJS', () => {
    expect(
      run(
        script(
          "const main = require('@org/file-events-stream'); const node = require('@org/file-events-stream/node')",
        ),
        'commonjs',
      ),
    ).toEqual(expected)
  })
})

describe('one copy of each class across both entries', () => {
  const code = (load: string) => `${load}
const room = node.connectRoom({ wsUrl: 'ws://127.0.0.1:9', maxRetries: 0 })
room.state$.subscribe({ error: (error) => process.stdout.write(JSON.stringify({
  connection: room instanceof main.RoomConnection,
  error: error instanceof main.RoomClientError && error instanceof main.RetriesExhaustedError && main.isRetriesExhaustedError(error),
})) })`
  const expected = { connection: true, error: true }

  it('as ESM', () => {
    expect(
      run(
        code(
          "const main = await import('@org/file-events-stream'); const node = await import('@org/file-events-stream/node')",
        ),
        'module',
      ),
    ).toEqual(expected)
  })

  it('as CommonJS', () => {
    expect(
      run(
        code(
          "const main = require('@org/file-events-stream'); const node = require('@org/file-events-stream/node')",
        ),
        'commonjs',
      ),
    ).toEqual(expected)
  })
})

describe('the built declarations under moduleResolution NodeNext', () => {
  // A folder inside the package, so that its own name resolves (package self-reference) as it would
  // from a user's node_modules.
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(PACKAGE, '.consumer-'))
  })
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true })
  })

  const source = (load: string) => `${load}
const room = node.connectRoom({ host: '127.0.0.1' })
room.events$.subscribe((e) => {
  if (e.event === 'fileRequestStatusChanged') {
    const status: 0 | 1 | 2 | 3 = e.status
    void status
  }
})
// @ts-expect-error the tracker state is not a number (were the declarations unresolved, it would be any)
const n: number = main.initialFileRequestsState()
void n
`

  it.each([
    [
      'an ES module',
      'consumer.mts',
      "import * as main from '@org/file-events-stream'\nimport * as node from '@org/file-events-stream/node'",
    ],
    [
      'a CommonJS module',
      'consumer.cts',
      "import main = require('@org/file-events-stream')\nimport node = require('@org/file-events-stream/node')",
    ],
  ])(
    'type-check in %s, with skipLibCheck off',
    (_kind, file, load) => {
      writeFileSync(join(dir, file), source(load))
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: ['node'],
          },
          files: [file],
        }),
      )
      let output = ''
      // tsc over every declaration it reaches took up to 33 s on a loaded 2-core machine; the
      // timeout only keeps a hung compiler from hanging the run.
      try {
        execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 180_000,
        })
      } catch (error) {
        output = String((error as { stdout?: unknown }).stdout ?? error)
      }
      expect(output).toBe('')
    },
    180_000,
  )
})
