import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { build } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import {
  type RoomSimulator,
  type RoomSimulatorOptions,
  startRoomSimulator,
} from '@org/room-simulator'
import { describeInChromium, launchChromium, recordConsole } from '../../../test-support/chromium'
import type { Harness, StartOptions } from './browser/harness'

// The main entry bundled for the browser (as a user's bundler would), with a small harness that
// drives one connection in the page; the page is served from a loopback origin of its own, and
// the simulator runs on other ports (other origins), allowing the page's origin or not.

declare const harness: Harness
const PIN = '735-browser-pin'

let browser: Browser
let server: Server
let pageOrigin: string
let page: Page
let consoleLines: string[]
let simulator: RoomSimulator | undefined

const bundleHarness = async (): Promise<string> => {
  const result = await build({
    entryPoints: [join(__dirname, 'browser/harness.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    alias: { '@org/file-events-codec': join(__dirname, '../../file-events-codec/src/index.ts') },
  })
  return result.outputFiles[0]?.text ?? ''
}

const startPageServer = async (script: string): Promise<Server> => {
  const html =
    '<!doctype html><meta charset="utf-8"><title>harness</title><script src="/harness.js"></script>'
  const s = createServer((req, res) => {
    if (req.url === '/harness.js')
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  return s
}

const startSimulator = async (options: RoomSimulatorOptions = {}): Promise<RoomSimulator> => {
  simulator = await startRoomSimulator({
    pin: PIN,
    timeScale: 0.02,
    corsOrigins: [pageOrigin],
    ...options,
  })
  return simulator
}

const webPortOf = (sim: RoomSimulator): number => Number(new URL(sim.urls.web).port)
const start = (options: StartOptions): Promise<void> =>
  page.evaluate((o) => harness.start(o), options)

describeInChromium('the main entry in headless Chromium', () => {
  beforeAll(async () => {
    const script = await bundleHarness()
    server = await startPageServer(script)
    pageOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await launchChromium()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
  })

  beforeEach(async () => {
    page = await browser.newPage()
    consoleLines = recordConsole(page)
    await page.goto(`${pageOrigin}/`)
  })

  afterEach(async () => {
    await page.evaluate(() => harness.close()).catch(() => undefined)
    // No token (nor the PIN) in anything the page printed, Chromium's own network errors included.
    const printed = consoleLines.join('\n')
    expect(printed).not.toContain(PIN)
    expect(printed).not.toMatch(/token=(?!\*\*\*)[^&\s'"]+/i)
    await page.close()
    await simulator?.close()
    simulator = undefined
  })

  it('discovers the room, authenticates with the PIN, receives events and tracks requests to their end', async () => {
    const sim = await startSimulator()
    await start({ host: '127.0.0.1', webPort: webPortOf(sim), pin: PIN })
    const ready = await page.evaluate(() => harness.untilReady())
    expect(ready.urls).toMatchObject({ wsUrl: sim.urls.ws, httpUrl: sim.urls.http })
    expect(ready.states.slice(0, 3)).toEqual(['connecting', 'authenticating', 'ready'])

    const offered = sim.offerFile({
      fileName: 'photo.jpg',
      size: 5000,
      peerId: 'alice@example.com',
      peerDn: 'Alice',
    })
    await page.evaluate(() => harness.untilWaitingOffer())
    expect(await page.evaluate((id) => harness.accept(id), offered)).toBe('ok')
    const rejected = sim.offerFile({ fileName: 'big.iso', size: 9000, peerId: 'bob@example.com' })
    const failing = sim.offerFile({
      fileName: 'broken.bin',
      size: 9000,
      peerId: 'bob@example.com',
      failAtPercent: 40,
    })
    expect(await page.evaluate((id) => harness.reject(id), rejected)).toBe('ok')
    expect(await page.evaluate((id) => harness.accept(id), failing)).toBe('ok')
    const done = await page.evaluate(() => harness.untilTerminal(3))
    const byId = new Map(done.tracked.map((t) => [t.id, t]))
    expect(byId.get(offered)).toMatchObject({
      fileName: 'photo.jpg',
      status: 3,
      terminal: true,
      direction: 0,
    })
    expect(byId.get(failing)).toMatchObject({ fileName: 'broken.bin', status: 0, terminal: true })
    expect(byId.get(rejected)).toMatchObject({
      fileName: 'big.iso',
      rejected: true,
      terminal: true,
    })
    expect(done.eventNames).toEqual(
      expect.arrayContaining([
        'receivedFileRequest',
        'fileRequestStatusChanged',
        'incomingFileRequestAccepted',
      ]),
    )
    expect(done.errors).toEqual([])
  }, 30_000)

  it('uploads a Blob with sendFile and downloads it with openDownload', async () => {
    const sim = await startSimulator()
    await start({ host: '127.0.0.1', webPort: webPortOf(sim), pin: PIN })
    await page.evaluate(() => harness.untilReady())

    const sent = await page.evaluate(() =>
      harness.sendBlob('hello from a browser', 'note.txt', 'alice@example.com'),
    )
    expect(sent.error).toBeUndefined()
    const finished = await page.evaluate(() => harness.untilTerminal(1))
    const request = finished.tracked.find((t) => t.id === sent.id)
    expect(request).toMatchObject({ direction: 1, fileName: 'note.txt', status: 3 })
    expect(sim.groundTruth().find((g) => g.fileRequestId === sent.id)?.status).toBe(3)

    expect(request?.fileId).toBeDefined()
    const got = await page.evaluate((id) => harness.download(id), request?.fileId ?? -1)
    expect(got).toEqual({ text: 'hello from a browser' })
  }, 30_000)

  it('reconnects after the simulator drops the socket, and keeps tracking', async () => {
    const sim = await startSimulator()
    await start({ host: '127.0.0.1', webPort: webPortOf(sim), pin: PIN })
    await page.evaluate(() => harness.untilReady())
    sim.disconnectClients()
    const again = await page.evaluate(() => harness.untilReady(2))
    expect(again.states).toContain('reconnecting')

    const offered = sim.offerFile({ fileName: 'after.txt', size: 10, peerId: 'carol@example.com' })
    await page.evaluate(() => harness.untilWaitingOffer())
    expect(await page.evaluate((id) => harness.accept(id), offered)).toBe('ok')
    const done = await page.evaluate(() => harness.untilTerminal(1))
    expect(done.tracked.find((t) => t.id === offered)).toMatchObject({ status: 3 })
    expect(done.errors).toEqual([])
  }, 30_000)

  it('ends every stream with one AuthenticationError on a wrong PIN, without retrying', async () => {
    const sim = await startSimulator()
    await start({ host: '127.0.0.1', webPort: webPortOf(sim), pin: 'not-the-pin' })
    const ended = await page.evaluate(() => harness.untilEnded())
    expect(ended.errors).toHaveLength(1)
    expect(ended.errors[0]).toMatchObject({
      name: 'AuthenticationError',
      code: 'ERR_AUTHENTICATION',
    })
    expect(ended.errors[0]?.streams.sort()).toEqual([
      'decodeFailures$',
      'events$',
      'fileRequests$',
      'state$',
    ])
    expect(ended.states.filter((s) => s === 'connecting')).toHaveLength(1)
    expect(ended.errors[0]?.message).not.toContain('not-the-pin')
  }, 30_000)

  it("ends with the CORS-aware error when the room does not allow the page's origin", async () => {
    const sim = await startSimulator({ corsOrigins: [] })
    await start({ host: '127.0.0.1', webPort: webPortOf(sim), pin: PIN, maxRetries: 0 })
    const ended = await page.evaluate(() => harness.untilEnded())
    expect(ended.errors).toHaveLength(1)
    expect(ended.errors[0]).toMatchObject({
      name: 'RetriesExhaustedError',
      code: 'ERR_RETRIES_EXHAUSTED',
    })
    expect(ended.errors[0]?.lastError).toContain(
      `in a browser this is also what a room whose web server does not allow this page's origin, ${pageOrigin}, looks like: CORS`,
    )
    // Chromium's own report of the refusal reaches the recorded console (so the token check sees it).
    expect(consoleLines.join('\n')).toMatch(/CORS policy/)
  }, 30_000)

  it('never sends the token to an HTTP server that does not allow the page: the upload fails naming CORS', async () => {
    // As a real room: its WebSocket lets any page in (events flow), while its HTTP server refuses
    // the page's origin.
    const sim = await startSimulator({ corsOrigins: [], anyWebSocketOrigin: true })
    await start({ wsUrl: sim.urls.ws, httpUrl: sim.urls.http, pin: PIN })
    await page.evaluate(() => harness.untilReady())
    const sent = await page.evaluate(() =>
      harness.sendBlob('secret plans', 'plans.txt', 'alice@example.com'),
    )
    expect(sent.error).toContain(
      `could not be read without a token (in a browser this is also what a room whose web server does not allow this page's origin, ${pageOrigin}, looks like: CORS`,
    )
    expect(sim.groundTruth()).toEqual([])
    // What Chromium printed names the refused request, which carried no token (afterEach checks).
    expect(consoleLines.join('\n')).toMatch(/CORS policy/)
  }, 30_000)
})
