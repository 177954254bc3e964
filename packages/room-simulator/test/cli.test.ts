import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLI, exited, start } from './helpers/cli'
import { TestClient } from './helpers/TestClient'

describe('the room-simulator CLI (built dist/cli.js)', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm --filter @org/room-simulator build" first`)
  })

  it('prints exactly one JSON line of URLs, logs to stderr without the PIN, and exits 0 on SIGTERM', async () => {
    const run = start(['--', '--pin', '8642', '--scenario', 'demo', '--time-scale', '0', '--seed', '7'])
    const urls = await run.urls
    expect(Object.keys(urls)).toEqual(['web', 'ws', 'http'])
    expect(urls.ws).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
    const config = (await (await fetch(`${urls.web}/public/default/config.json`)).json()) as { config: { websocket: { port: number } } }
    expect(String(config.config.websocket.port)).toBe(new URL(urls.ws as string).port)
    const c = await TestClient.authed(urls.ws as string, '8642')
    await c.waitForEvent('receivedFileRequest')
    await c.close()
    run.child.kill('SIGTERM')
    expect(await exited(run.child)).toBe(0)
    expect(run.stdout().trim().split('\n')).toHaveLength(1)
    expect(run.stderr()).toContain('room-simulator: listening')
    expect(run.stderr()).not.toContain('8642')
  })

  it('with its output closed (piped into head), still exits 0 on SIGTERM and removes its storage folder', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'room-sim-cli-tmp-'))
    try {
      const run = start(['--scenario', 'demo', '--time-scale', '0'], { TMPDIR: tmp })
      const urls = await run.urls
      expect(readdirSync(tmp)).toHaveLength(1)
      // The reading ends go away: every later write of the CLI fails with EPIPE.
      run.child.stdout.destroy()
      run.child.stderr.destroy()
      const c = await TestClient.authed(urls.ws as string)
      await c.waitForEvent('receivedFileRequest')
      await c.close()
      run.child.kill('SIGTERM')
      expect(await exited(run.child)).toBe(0)
      expect(readdirSync(tmp)).toEqual([])
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  })

  it('exits 0 on SIGINT and loads a scenario file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'room-sim-cli-'))
    try {
      const file = join(dir, 's.json')
      writeFileSync(file, JSON.stringify({ name: 'file', steps: [{ at: 0, offer: { fileName: 'from-file.txt', size: 3 } }] }))
      const run = start(['--scenario', file, '--time-scale', '0'])
      const urls = await run.urls
      const c = await TestClient.authed(urls.ws as string)
      expect(await c.waitForEvent('receivedFileRequest')).toMatchObject({ fileName: 'from-file.txt' })
      await c.close()
      run.child.kill('SIGINT')
      expect(await exited(run.child)).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  /** Runs the CLI to its end; 'close' comes after the stdio streams ended, so the output is complete. */
  const finish = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const run = start(args, env)
    // These runs never print URLs: their rejection is expected, not unhandled.
    run.urls.catch(() => undefined)
    const code = await new Promise<number | null>((resolve) => run.child.on('close', (c) => resolve(c)))
    return { code, stdout: run.stdout(), stderr: run.stderr() }
  }

  it.each([
    [['--time-scale', '-1'], 'room-simulator: --time-scale: expected a number >= 0, got "-1"\n'],
    [['--bogus'], 'room-simulator: unknown option --bogus (--help lists the options)\n'],
    [['--host'], 'room-simulator: --host needs a value\n'],
  ])('reports the usage error %j on one line naming the program, as the demo does, and exits 2', async (args, line) => {
    const result = await finish(args)
    expect(result).toEqual({ code: 2, stdout: '', stderr: line })
  })

  it('fails with a clear message and the usage exit code 2 for a bad scenario', async () => {
    const run = start(['--scenario', 'no-such-preset-or-file'])
    await expect(run.urls).rejects.toThrow('neither a preset (demo, load) nor a readable file')
    expect(await exited(run.child)).toBe(2)
  })

  it('names the path and the unknown key of an invalid scenario file on one line, and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'room-sim-cli-'))
    try {
      const file = join(dir, 'typo.json')
      writeFileSync(file, JSON.stringify({ steps: [{ at: 0, offer: { fileName: 'a', sise: 5 } }] }))
      const result = await finish(['--scenario', file])
      expect(result.code).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr).toMatch(new RegExp(`^room-simulator: --scenario ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid scenario: scenario\\.steps\\[0\\]\\.offer\\.sise: unknown key "sise" .*\n$`))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses an empty --pin and an empty ROOM_PIN with one stderr line and exit code 2, before listening', async () => {
    const flag = await finish(['--pin', ''])
    expect(flag).toEqual({
      code: 2,
      stdout: '',
      stderr: 'room-simulator: --pin is empty: give a PIN, or leave out --pin and ROOM_PIN for a room without one\n',
    })
    const env = await finish([], { ROOM_PIN: '' })
    expect(env).toEqual({
      code: 2,
      stdout: '',
      stderr: 'room-simulator: ROOM_PIN is set but empty: give a PIN, or unset ROOM_PIN for a room without one\n',
    })
    // A non-empty --pin still wins over an empty ROOM_PIN.
    const run = start(['--pin', '1357', '--time-scale', '0'], { ROOM_PIN: '' })
    const urls = await run.urls
    const c = await TestClient.connect(urls.ws as string)
    expect(await c.auth('1357')).toMatchObject({ result: true })
    await c.close()
    run.child.kill('SIGTERM')
    expect(await exited(run.child)).toBe(0)
  })

  it('exits 2 for an option value commander or the simulator refuses', async () => {
    const port = await finish(['--web-port', 'x'])
    expect(port.code).toBe(2)
    expect(port.stderr).toMatch(/^room-simulator: --web-port: .*, got "x"\n$/)
    const bytes = await finish(['--max-upload-bytes', '1.5'])
    expect(bytes).toEqual({
      code: 2,
      stdout: '',
      stderr: 'room-simulator: startRoomSimulator: options.maxUploadBytes: expected FileSize: an integer >= 0, received 1.5\n',
    })
  })

  it('prints the package version with --version and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
    for (const flag of ['--version', '-V']) expect(await finish([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
  })

  it('takes the PIN from ROOM_PIN when --pin is absent, and never prints it', async () => {
    const run = start(['--time-scale', '0'], { ROOM_PIN: '97531' })
    const urls = await run.urls
    const refused = await TestClient.connect(urls.ws as string)
    expect(await refused.auth()).toMatchObject({ result: false, resultCode: 3 })
    expect(await refused.auth('1111')).toMatchObject({ result: false, resultCode: 3 })
    await refused.close()
    const c = await TestClient.authed(urls.ws as string, '97531')
    await c.close()
    run.child.kill('SIGTERM')
    expect(await exited(run.child)).toBe(0)
    expect(run.stderr()).toContain('(PIN-protected)')
    expect(run.stdout()).not.toContain('97531')
    expect(run.stderr()).not.toContain('97531')
  })

  it('prefers --pin over ROOM_PIN', async () => {
    const run = start(['--pin', '2468', '--time-scale', '0'], { ROOM_PIN: '97531' })
    const urls = await run.urls
    const c = await TestClient.connect(urls.ws as string)
    expect(await c.auth('97531')).toMatchObject({ result: false })
    expect(await c.auth('2468')).toMatchObject({ result: true })
    await c.close()
    run.child.kill('SIGTERM')
    expect(await exited(run.child)).toBe(0)
  })

  it('names a port in use on one stderr line with a single prefix, and exits 1', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as AddressInfo).port
    try {
      const run = start(['--ws-port', String(port)])
      // 'close' comes after the stdio streams ended, so stderr is complete then.
      const closed = new Promise<number | null>((resolve) => run.child.on('close', (code) => resolve(code)))
      await expect(run.urls).rejects.toThrow('before it was ready')
      expect(await closed).toBe(1)
      expect(run.stderr()).toBe(`room-simulator: the WebSocket port ${port} on 127.0.0.1 is already in use\n`)
      expect(run.stdout()).toBe('')
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })
})
