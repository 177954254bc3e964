import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { type RoomSimulator, startRoomSimulator } from '@org/room-simulator'
import {
  cookieOf,
  rawRequest,
  requestText,
  requestsWithoutSecret,
  sendAll,
} from './helpers/rawHttp'

const MAIN = join(__dirname, '../dist/main.js')
const PIN = '246810'

/** Starts `room-files-demo --web ...` and resolves with the URL it prints. */
const startWebDemo = (
  args: ReadonlyArray<string>,
): { child: ChildProcess; url: Promise<string> } => {
  const child = spawn(process.execPath, [MAIN, '--web', '--max-seconds', '60', ...args], {
    env: { ...process.env, ROOM_PIN: PIN },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString()
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '')
    })
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}): ${stderr}`)))
  })
  return { child, url }
}

const stopped = async (child: ChildProcess): Promise<number | null> => {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  child.kill('SIGINT')
  return exited
}

/** A port free a moment ago, for `--port`. */
const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

describe('the web demo keeps the room PIN behind its page secret', () => {
  let room: RoomSimulator
  beforeAll(async () => {
    room = await startRoomSimulator({ pin: PIN, timeScale: 0 })
  })
  afterAll(() => room.close())

  it.each([
    ['with the embedded simulator', () => [] as string[]],
    [
      'watching a real room (--host)',
      () => ['--host', '127.0.0.1', '--web-port', new URL(room.urls.web).port],
    ],
  ])(
    '%s: no request without the secret sees the PIN or the token; with it the page gets the session',
    async (_mode, args) => {
      const demo = startWebDemo(args())
      try {
        const printed = new URL(await demo.url)
        const token = printed.searchParams.get('token') ?? ''
        const base = `http://${printed.host}`
        const port = Number(printed.port)
        const requests = requestsWithoutSecret(port)
        const answers = await sendAll(base, requests)
        answers.forEach((answer, i) => {
          if (answer.raw.includes(PIN) || answer.raw.includes(token))
            throw new Error(`request ${JSON.stringify(requests[i])} was answered with a secret`)
        })
        // What the issue saw: curl on the same machine, and a POST with malformed JSON.
        const curl = await rawRequest(
          base,
          requestText({ path: '/session.json', host: `127.0.0.1:${port}` }),
        )
        expect(curl.status).toBe(403)
        const post = await rawRequest(
          base,
          requestText({
            method: 'POST',
            path: '/session.json',
            host: `127.0.0.1:${port}`,
            body: '{',
          }),
        )
        expect(post.status).toBe(405)
        const signIn = await rawRequest(
          base,
          requestText({ path: `/?token=${token}`, host: printed.host }),
        )
        expect(signIn.status).toBe(303)
        const session = await rawRequest(
          base,
          requestText({
            path: '/session.json',
            host: printed.host,
            headers: { Cookie: cookieOf(signIn) },
          }),
        )
        expect(session.status).toBe(200)
        expect(JSON.parse(session.body)).toMatchObject({ pin: PIN, host: '127.0.0.1' })
      } finally {
        expect(await stopped(demo.child)).toBe(0)
      }
    },
    60_000,
  )

  it('serves on the port --port names, for a stable URL', async () => {
    const port = await freePort()
    const demo = startWebDemo(['--port', String(port)])
    try {
      expect(await demo.url).toMatch(
        new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[\\w-]{32}$`),
      )
    } finally {
      expect(await stopped(demo.child)).toBe(0)
    }
  }, 30_000)

  it('says so when the --port is taken, with exit code 1', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as { port: number }).port
    try {
      const child = spawn(process.execPath, [MAIN, '--web', '--port', String(port)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stderr = ''
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
      expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1)
      expect(stderr).toBe(`room-files-demo: --port ${port}: already in use on 127.0.0.1\n`)
    } finally {
      taken.close()
    }
  }, 30_000)
})
