import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLI, exited, start } from './helpers/cli'
import { classify, expectedAnswers, sendHostile } from './helpers/raw'
import { TestClient } from './helpers/TestClient'

describe('the CLI against hostile clients and closed terminals', () => {
  beforeAll(() => {
    if (!existsSync(CLI))
      throw new Error(`${CLI} is missing: run "pnpm --filter @org/room-simulator build" first`)
  })

  it('answers malformed request lines on every server with a client error and keeps serving config.json', async () => {
    const run = start(['--time-scale', '0'])
    const urls = await run.urls
    const c = await TestClient.authed(urls.ws as string)
    const token = (await c.request('getTokenForHttpServer')).token as string
    expect(classify(await sendHostile(urls.web as string, token))).toEqual(expectedAnswers())
    expect(classify(await sendHostile(urls.http as string, token))).toEqual(expectedAnswers())
    const ws = await sendHostile((urls.ws as string).replace(/^ws/, 'http'), token)
    expect(
      Object.values(ws).every(
        (status) => typeof status === 'number' && status >= 400 && status < 500,
      ),
    ).toBe(true)
    expect((await fetch(`${urls.web}/public/default/config.json`)).status).toBe(200)
    expect((await c.request('getFileList')).result).toBe(true)
    await c.close()
    run.child.kill('SIGTERM')
    expect(await exited(run.child)).toBe(0)
  })

  it('on SIGHUP (the terminal closed) exits 0 and removes its temporary folder, like SIGINT and SIGTERM', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'room-sim-cli-hup-'))
    try {
      const run = start(['--time-scale', '0'], { TMPDIR: tmp })
      await run.urls
      expect(readdirSync(tmp)).toHaveLength(1)
      run.child.kill('SIGHUP')
      expect(await exited(run.child)).toBe(0)
      expect(readdirSync(tmp)).toEqual([])
      expect(run.stderr()).toContain('SIGHUP received, closing')
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  })

  it('--cors-origin (repeatable) allows those page origins on the web and HTTP servers', async () => {
    const run = start([
      '--cors-origin',
      'http://localhost:5173',
      '--cors-origin',
      'https://app.example',
    ])
    const urls = await run.urls
    const config = `${urls.web}/public/default/config.json`
    for (const origin of ['http://localhost:5173', 'https://app.example']) {
      expect(
        (await fetch(config, { headers: { Origin: origin } })).headers.get(
          'access-control-allow-origin',
        ),
      ).toBe(origin)
    }
    expect(
      (await fetch(config, { headers: { Origin: 'http://evil.example' } })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBeNull()
    run.child.kill('SIGTERM')
    expect(await exited(run.child)).toBe(0)
  })

  it('refuses a --cors-origin that is not an origin with the usage exit code 2', async () => {
    const run = start(['--cors-origin', 'http://localhost:5173/app'])
    await expect(run.urls).rejects.toThrow(
      "options.corsOrigins[0]: expected an origin such as 'http://localhost:5173'",
    )
    expect(await exited(run.child)).toBe(2)
  })
})
