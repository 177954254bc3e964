import { type ChildProcessByStdio, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { TestClient } from './helpers/TestClient'

const CLI = join(__dirname, '..', 'dist', 'cli.js')

type Child = ChildProcessByStdio<null, Readable, Readable>

const start = (args: string[]): { child: Child; stdout: () => string; stderr: () => string; urls: Promise<Record<string, string>> } => {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
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
})
