import { type ChildProcessByStdio, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { TestClient } from './helpers/TestClient'

const CLI = join(__dirname, '..', 'dist', 'cli.js')

type Child = ChildProcessByStdio<null, Readable, Readable>

const start = (args: string[], env: NodeJS.ProcessEnv = {}): { child: Child; stdout: () => string; stderr: () => string; urls: Promise<Record<string, string>> } => {
  const { ROOM_PIN: _inherited, ...parentEnv } = process.env
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...parentEnv, ...env } })
  let out = ''
  let err = ''
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString()
  })
  const urls = new Promise<Record<string, string>>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n')[0]
      if (out.includes('\n') && line !== undefined) resolve(JSON.parse(line) as Record<string, string>)
    })
    child.on('exit', (code) => reject(new Error(`the CLI exited with ${String(code)} before it was ready: ${err}`)))
  })
  return { child, stdout: () => out, stderr: () => err, urls }
}

const exited = (child: Child): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    else child.on('exit', (code) => resolve(code))
  })

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

  it('fails with a clear message for a bad scenario', async () => {
    const run = start(['--scenario', 'no-such-preset-or-file'])
    await expect(run.urls).rejects.toThrow('neither a preset (demo, load) nor a readable file')
    expect(await exited(run.child)).toBe(1)
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
