/**
 * Loads the built package with plain `node`, through its `exports` map, with `import` and with
 * `require`, as a user's app would: only this catches an ESM build that tsc, tsup and jest accept
 * but Node cannot load. Needs `pnpm build` first (CI builds before testing).
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const PACKAGE = join(__dirname, '..')

const run = (code: string, type: 'module' | 'commonjs', flags: string[] = []): unknown =>
  JSON.parse(execFileSync(process.execPath, [...flags, `--input-type=${type}`, '-e', code], { cwd: PACKAGE, encoding: 'utf8' }))

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
    if (!existsSync(join(PACKAGE, 'dist/index.js'))) throw new Error('dist/ is missing: run `pnpm --filter @org/file-events-stream build` first')
  })

  const expected = { status: 3, fileId: 9, safe: 'x.txt', node: 'function function', error: 'ERR_AUTHENTICATION' }

  it('loads as ESM', () => {
    expect(run(script("const main = await import('@org/file-events-stream'); const node = await import('@org/file-events-stream/node')"), 'module')).toEqual(expected)
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
    expect(run(script("const main = require('@org/file-events-stream'); const node = require('@org/file-events-stream/node')"), 'commonjs')).toEqual(expected)
  })
})
