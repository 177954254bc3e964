import { execFile, spawn } from 'node:child_process'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createTcpServer, type AddressInfo } from 'node:net'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startRoomSimulator } from '@org/room-simulator'

const run = promisify(execFile)
const MAIN = join(__dirname, '../dist/main.js')

const portOf = (server: { address(): unknown }): number => (server.address() as AddressInfo).port

/** A loopback port nothing listens on: bound to find one free, then let go. */
const closedPort = async (): Promise<number> => {
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = portOf(server)
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A room's web server whose discovery document names a WebSocket port nothing listens on. */
const roomWithoutWebSocket = async (): Promise<{
  server: Server
  webPort: number
  wsPort: number
}> => {
  const wsPort = await closedPort()
  const server = createHttpServer((_request, response) => {
    response.setHeader('content-type', 'application/json')
    response.end(
      JSON.stringify({
        config: {
          websocket: { hostname: null, port: wsPort },
          http: { hostname: null, port: wsPort },
        },
      }),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, webPort: portOf(server), wsPort }
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

/** A word quoted for `sh -c`. */
const shellQuote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`

// util-linux `script` runs the demo on a pseudo-terminal, so it takes its live (TTY) path; its
// stdout is the terminal transcript, its stderr is kept apart in a file.
const SCRIPT = '/usr/bin/script'
const canUseTerminal = process.platform === 'linux' && existsSync(SCRIPT)

interface TerminalOutcome {
  readonly code: number
  /** Everything the demo wrote to its terminal (stdout), escape sequences included. */
  readonly screen: string
  readonly stderr: string
}

const demoOnTerminal = async (
  args: ReadonlyArray<string>,
  stderrFile: string,
  env: NodeJS.ProcessEnv = {},
): Promise<TerminalOutcome> => {
  const command = `${[process.execPath, MAIN, ...args].map(shellQuote).join(' ')} 2>${shellQuote(stderrFile)}`
  const outcome = await run(SCRIPT, ['-q', '-e', '-c', command, '/dev/null'], {
    env: { ...process.env, ...env },
    timeout: 60_000,
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number | string; stdout: string }) => {
      if (typeof error.code !== 'number') throw error
      return { code: error.code, stdout: error.stdout }
    },
  )
  return { code: outcome.code, screen: outcome.stdout, stderr: readFileSync(stderrFile, 'utf8') }
}

const ALT_SCREEN_ON = '\u001b[?1049h'
const ALT_SCREEN_OFF = '\u001b[?1049l'

interface Outcome {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the built demo to its end; a non-zero exit is an outcome, not a failure. */
const demo = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}): Promise<Outcome> =>
  run(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number | string; stdout: string; stderr: string }) => {
      // A string code is a spawn failure or the timeout: not an outcome of the demo.
      if (typeof error.code !== 'number') throw error
      return { code: error.code, stdout: error.stdout, stderr: error.stderr }
    },
  )

describe('the demo CLI (built output, plain mode)', () => {
  let dir: string
  beforeAll(() => {
    if (!existsSync(MAIN))
      throw new Error(
        `${MAIN} is missing: run \`pnpm build\` first (.ci/run builds before testing)`,
      )
    dir = mkdtempSync(join(tmpdir(), 'demo-test-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('plays the demo scenario against the embedded simulator, saves received files, never prints the PIN', async () => {
    const pin = '730519'
    // No --max-seconds: the demo must end by itself once the scenario has played out (about two
    // seconds). A deadline would end a demo that never settles just as well, and on a slow machine
    // it could cut the scenario short; the exec timeout only keeps a hung demo from hanging the test.
    const { stdout } = await run(
      process.execPath,
      [MAIN, '--plain', '--time-scale', '0.2', '--pin', pin, '--download-dir', dir],
      {
        timeout: 90_000,
      },
    )
    expect(stdout).not.toContain(pin)
    expect(stdout).toContain('connection ready')
    expect(stdout).toMatch(/Alice offers report\.pdf/)
    expect(stdout).toMatch(/rejected holiday\.jpg/)
    expect(stdout).toMatch(/backup\.iso: failed/)
    const summary = stdout.trim().split('\n').at(-1) ?? ''
    expect(summary).toMatch(/^\d+ transfers: .*complete/)
    expect(summary).toContain('failed')
    expect(summary).toContain('rejected')
    // report.pdf was received and downloaded for real: 200,000 bytes on disk.
    expect(readdirSync(dir)).toContain('report.pdf')
    expect(readFileSync(join(dir, 'report.pdf')).length).toBe(200_000)
    // agenda.docx is left waiting by the scenario: the demo accepts it itself, then saves it. The
    // line about the call comes before the room's answer to it.
    const accepting = stdout.indexOf(
      '⇣ accepting agenda.docx with acceptFile (nobody answered it for 0.5 s)',
    )
    expect(accepting).toBeGreaterThan(-1)
    expect(stdout.indexOf('⇣ accepted agenda.docx')).toBeGreaterThan(accepting)
    expect(readFileSync(join(dir, 'agenda.docx')).length).toBe(30_000)
  }, 120_000)

  it('ends with one line on stderr and exit code 1 on a wrong PIN, without printing it', async () => {
    const room = await startRoomSimulator({ pin: '246810' })
    try {
      const webPort = new URL(room.urls.web).port
      const result = await demo(
        ['--plain', '--host', '127.0.0.1', '--web-port', webPort, '--max-seconds', '30'],
        { ROOM_PIN: '999111' },
      )
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(
        new RegExp(
          `^room-files-demo: 127\\.0\\.0\\.1:${webPort}: the room refused secured authentication[^\n]*\\(check the PIN\\)\n$`,
        ),
      )
      // The progress lines before it, and nothing after: no picture, no summary, no repeat of the error.
      expect(result.stdout.trim().split('\n').at(-1)).toMatch(/connection authenticating$/)
      expect(result.stdout).not.toContain('refused')
      expect(result.stdout + result.stderr).not.toContain('999111')
      expect(result.stdout + result.stderr).not.toContain('246810')
    } finally {
      await room.close()
    }
  }, 90_000)

  it('plays the same outcome at --time-scale 0: the auto-accept does not race the scenario', async () => {
    // --max-seconds far beyond the run: the scenario's end still ends the demo (the helper's 60 s
    // timeout fails the test if the deadline holds it up).
    const { code, stdout } = await demo(['--plain', '--time-scale', '0', '--max-seconds', '600'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/rejected holiday\.jpg/)
    expect(stdout).toContain(
      '⇣ accepting agenda.docx with acceptFile (nobody answered it for 0.5 s)',
    )
    expect(stdout).not.toMatch(/accepting (report\.pdf|holiday\.jpg|backup\.iso)/)
    expect(stdout.trim().split('\n').at(-1)).toBe('8 transfers: 5 complete, 2 failed, 1 rejected')
  }, 60_000)

  it('stops quietly and cleans up when the reader of its output goes away (| head -3)', async () => {
    // TMPDIR holds what the demo and its simulator create for themselves: it must be empty again.
    const tmp = mkdtempSync(join(dir, 'tmp-'))
    const child = spawn(process.execPath, [MAIN, '--plain'], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) =>
      child.on('close', (code) => resolve(code)),
    )
    let seen = ''
    await new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        seen += chunk
        if (seen.split('\n').length > 3) {
          child.stdout.destroy()
          resolve()
        }
      })
    })
    expect(seen).toContain('received files are saved to')
    expect(await exited).toBe(0)
    expect(stderr).toBe('')
    expect(readdirSync(tmp)).toEqual([])
  }, 60_000)

  it('reads --scenario from a file whatever its name, and names the file when it is bad', async () => {
    const file = join(dir, 'one-offer.scenario')
    const scenario = {
      steps: [
        {
          at: 0,
          offer: { fileName: 'one.txt', size: 1000, peerId: 'x@simulator.local', peerDn: 'Xavier' },
          then: 'accept',
          thenAfterMs: 0,
        },
      ],
    }
    writeFileSync(file, JSON.stringify(scenario))
    const saved = mkdtempSync(join(dir, 'scenario-'))
    const ok = await demo([
      '--plain',
      '--time-scale',
      '0.2',
      '--scenario',
      file,
      '--download-dir',
      saved,
    ])
    expect(ok.stderr).toBe('')
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('Xavier offers one.txt')
    expect(ok.stdout).not.toContain('report.pdf')
    expect(readFileSync(join(saved, 'one.txt')).length).toBe(1000)

    const broken = join(dir, 'broken.scenario')
    writeFileSync(broken, '{"steps": [')
    const bad = await demo(['--plain', '--scenario', broken])
    expect(bad.code).toBe(2)
    expect(bad.stdout).toBe('')
    expect(bad.stderr.startsWith(`room-files-demo: --scenario ${broken}: not valid JSON (`)).toBe(
      true,
    )
    expect(bad.stderr.split('\n')).toHaveLength(2)

    const invalid = join(dir, 'invalid.json')
    writeFileSync(invalid, '{"steps": [{"at": -1}]}')
    const wrong = await demo(['--plain', '--scenario', invalid])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(
      /^room-files-demo: --scenario .*invalid\.json: invalid scenario: .+\n$/,
    )

    const missing = await demo(['--plain', '--scenario', join(dir, 'nothing-here')])
    expect(missing).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/nothing-here: cannot read it \(no such file\)\n$/),
    })

    const unknown = await demo(['--plain', '--scenario', 'demoo'])
    expect(unknown).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        'room-files-demo: --scenario demoo: no such file, nor a preset (presets: demo, load)\n',
    })
  }, 90_000)

  it('creates a missing --download-dir whose parent exists, and refuses one it cannot write into', async () => {
    const created = join(dir, 'made-by-the-demo')
    const ok = await demo(['--plain', '--time-scale', '0.2', '--download-dir', created])
    expect(ok).toMatchObject({ code: 0, stderr: '' })
    expect(readdirSync(created)).toContain('report.pdf')

    const orphan = join(dir, 'no-parent', 'x')
    const noParent = await demo(['--plain', '--download-dir', orphan])
    expect(noParent).toEqual({
      code: 2,
      stdout: '',
      stderr: `room-files-demo: --download-dir ${orphan}: cannot create it (its parent folder does not exist)\n`,
    })
    expect(existsSync(orphan)).toBe(false)

    const file = join(dir, 'a-file')
    writeFileSync(file, 'not a folder')
    const notDir = await demo(['--plain', '--download-dir', file])
    expect(notDir).toEqual({
      code: 2,
      stdout: '',
      stderr: `room-files-demo: --download-dir ${file}: not a folder\n`,
    })
    const under = await demo(['--plain', '--download-dir', join(file, 'x')])
    expect(under).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/: cannot create it \(a parent of it is not a folder\)\n$/),
    })
  }, 90_000)

  it('gives up on a room it cannot reach after --max-retries, with one line naming the reason and exit code 1', async () => {
    const { server, webPort, wsPort } = await roomWithoutWebSocket()
    try {
      const { code, stdout, stderr } = await demo(
        ['--plain', '--host', '127.0.0.1', '--web-port', String(webPort), '--max-retries', '2'],
        { ROOM_PIN: '582047' },
      )
      expect(code).toBe(1)
      const reason = `the WebSocket could not be opened (ws://127.0.0.1:${wsPort}): connect ECONNREFUSED 127.0.0.1:${wsPort}`
      expect(stderr).toBe(
        `room-files-demo: 127.0.0.1:${webPort}: gave up after 3 failed connection attempts (last: ${reason})\n`,
      )
      // Every retry says why the attempt before it failed; no picture, no summary of nothing.
      expect(stdout).toMatch(
        new RegExp(
          `reconnecting in \\d+\\.\\d s \\(retry 1 of 2\\): ${reason.replace(/[.()]/g, '\\$&')}\n`,
        ),
      )
      expect(stdout).toContain('(retry 2 of 2): the WebSocket could not be opened')
      expect(stdout).not.toMatch(/^\d+ transfers: |transfers: \d+ active/m)
      expect(stdout + stderr).not.toContain('582047')
    } finally {
      await closeServer(server)
    }
  }, 60_000)

  it('ends with exit code 1 and says so when --max-seconds passes before the room ever answered', async () => {
    // Accepts connections and never answers: discovery is still waiting when the time is up.
    const silent = createTcpServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const port = portOf(silent)
    try {
      const { code, stdout, stderr } = await demo([
        '--plain',
        '--host',
        '127.0.0.1',
        '--web-port',
        String(port),
        '--max-seconds',
        '1',
      ])
      expect(code).toBe(1)
      expect(stderr).toBe(
        `room-files-demo: never connected to 127.0.0.1:${port} within 1 s (still connecting)\n`,
      )
      expect(stdout).not.toMatch(/^\d+ transfers: |transfers: \d+ active/m)
    } finally {
      silent.close()
      // The demo has exited: its connections are gone, nothing to wait for but the close.
    }
  }, 60_000)

  // Each of these starts a Node process: more than jest's default 5 s on a loaded machine.
  it('prints its usage', async () => {
    const { stdout } = await run(process.execPath, [MAIN, '--help'])
    expect(stdout).toContain('npm run demo')
    expect(stdout).toContain('--max-retries N')
    expect(stdout).toContain('Exit codes: 0 done')
  }, 30_000)

  it('fails with one line naming the program on a bad flag, as room-simulator does', async () => {
    await expect(run(process.execPath, [MAIN, '--time-scale', '-1'])).rejects.toMatchObject({
      code: 2,
      stderr: 'room-files-demo: --time-scale must be a non-negative number, got "-1"\n',
    })
  }, 30_000)
})

;(canUseTerminal ? describe : describe.skip)('the demo CLI on a terminal (live view)', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'demo-tty-test-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('ends with one line on stderr and exit code 1 on a wrong PIN, leaving nothing else on the screen', async () => {
    const room = await startRoomSimulator({ pin: '246810' })
    try {
      const webPort = new URL(room.urls.web).port
      const { code, screen, stderr } = await demoOnTerminal(
        ['--host', '127.0.0.1', '--web-port', webPort],
        join(dir, 'pin.err'),
        { ROOM_PIN: '999111' },
      )
      expect(code).toBe(1)
      expect(stderr).toMatch(
        new RegExp(
          `^room-files-demo: 127\\.0\\.0\\.1:${webPort}: the room refused secured authentication[^\n]*\\(check the PIN\\)\n$`,
        ),
      )
      // The live view ran on the alternate screen and left it: the normal screen gets nothing more.
      expect(screen.startsWith(ALT_SCREEN_ON)).toBe(true)
      const after = screen.slice(screen.lastIndexOf(ALT_SCREEN_OFF) + ALT_SCREEN_OFF.length)
      expect(screen.lastIndexOf(ALT_SCREEN_OFF)).toBeGreaterThan(0)
      expect(after).toBe('')
      expect(screen + stderr).not.toContain('999111')
      expect(screen + stderr).not.toContain('246810')
    } finally {
      await room.close()
    }
  }, 90_000)

  it('redraws by overwriting from the top, only when the picture changed, and leaves the final picture and summary', async () => {
    const { code, screen, stderr } = await demoOnTerminal(
      ['--time-scale', '0'],
      join(dir, 'run.err'),
    )
    expect(stderr).toBe('')
    expect(code).toBe(0)
    // The pseudo-terminal turns each \n into \r\n.
    const text = screen.replace(/\r\n/g, '\n')
    expect(text).not.toContain('\u001b[2J')
    // Between hiding the cursor on the alternate screen and showing it again on leaving it.
    const live = text.slice(
      text.indexOf(ALT_SCREEN_ON) + ALT_SCREEN_ON.length,
      text.lastIndexOf(`\u001b[?25h${ALT_SCREEN_OFF}`),
    )
    const frames = live.split('\u001b[H').slice(1)
    expect(frames.length).toBeGreaterThan(1)
    frames.forEach((frame, i) => {
      expect(frame.endsWith('\u001b[J')).toBe(true)
      for (const line of frame.slice(0, -'\u001b[J'.length).split('\n'))
        expect(line.endsWith('\u001b[K')).toBe(true)
      if (i > 0) expect(frame).not.toBe(frames[i - 1])
    })
    const final = text.slice(text.lastIndexOf(ALT_SCREEN_OFF) + ALT_SCREEN_OFF.length)
    expect(final).toContain('TrueConf Room file transfers')
    expect(final).toContain('accepting agenda.docx')
    expect(final.trim().split('\n').at(-1)).toBe('8 transfers: 5 complete, 2 failed, 1 rejected')
  }, 60_000)
})
