import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { describeInChromium, launchChromium, recordConsole } from '../../../test-support/chromium'

const MAIN = join(__dirname, '../dist/main.js')
/** Kept by CI (.ci-out is its output folder): what the dashboard showed at the scenario's end. */
const ARTIFACTS = join(__dirname, '../../../.ci-out/artifacts')
const PIN = '482-web-demo-pin'

let demo: ChildProcess
let stdout = ''
let stderr = ''
let browser: Browser
let page: Page
let consoleLines: string[]

/** The row of a transfer in the dashboard, by file name. */
const row = (name: string) => page.locator(`#transfers tr[data-name="${name}"]`)

describeInChromium('the demo web dashboard (npm run demo -- --web) in headless Chromium', () => {
  let url: string

  beforeAll(async () => {
    demo = spawn(process.execPath, [MAIN, '--web', '--time-scale', '0.3', '--max-seconds', '120'], {
      env: { ...process.env, ROOM_PIN: PIN },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    demo.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    url = await new Promise<string>((resolve, reject) => {
      demo.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString()
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '')
      })
      demo.once('exit', (code) => reject(new Error(`the demo exited (${code}): ${stderr}`)))
    })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1100, height: 620 } })
    consoleLines = recordConsole(page)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    if (demo.exitCode === null) demo.kill('SIGKILL')
  })

  it('prints exactly one line, the URL of the page on 127.0.0.1 with its secret', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/)
  })

  it("shows the demo scenario's transfers live to their end: complete, rejected and failed told apart", async () => {
    await page.goto(url)
    // The secret left the address bar: the page lives at the bare URL, with its cookie.
    expect(page.url()).toBe(url.replace(/\?token=.*$/, ''))
    await page.locator('body[data-connection="ready"]').waitFor({ timeout: 20_000 })
    await row('report.pdf')
      .and(page.locator('[data-state="complete"]'))
      .waitFor({ timeout: 20_000 })
    await row('holiday.jpg')
      .and(page.locator('[data-state="rejected"]'))
      .waitFor({ timeout: 20_000 })
    await row('backup.iso').and(page.locator('[data-state="failed"]')).waitFor({ timeout: 20_000 })
    await row('video.mp4').and(page.locator('[data-state="failed"]')).waitFor({ timeout: 20_000 })
    await row('slides.pptx')
      .and(page.locator('[data-state="complete"]'))
      .waitFor({ timeout: 20_000 })
    await row('agenda.docx')
      .and(page.locator('[data-state="waiting"]'))
      .waitFor({ timeout: 20_000 })
    expect(await row('report.pdf').locator('td.dir').textContent()).toBe('⇣ in')
    expect(await row('report.pdf').locator('td').nth(1).textContent()).toBe('Alice')
    expect(await row('report.pdf').locator('progress').getAttribute('value')).toBe('100')
  }, 60_000)

  it('accepts a waiting offer from the page, and offers its download', async () => {
    await row('agenda.docx').getByRole('button', { name: 'Accept' }).click()
    await row('agenda.docx')
      .and(page.locator('[data-state="complete"]'))
      .waitFor({ timeout: 20_000 })
    const download = page.waitForEvent('download')
    await row('agenda.docx').getByRole('button', { name: 'Download' }).click()
    expect((await download).suggestedFilename()).toBe('agenda.docx')
  }, 60_000)

  it('sends a file chosen in the page, and keeps a screenshot of the dashboard', async () => {
    await page.locator('#send-file').setInputFiles({
      name: 'from-the-browser.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello'),
    })
    await page.getByRole('button', { name: 'Send' }).click()
    await row('from-the-browser.txt')
      .and(page.locator('[data-state="complete"]'))
      .waitFor({ timeout: 20_000 })
    expect(await row('from-the-browser.txt').locator('td.dir').textContent()).toBe('⇡ out')
    expect(await page.locator('#error').textContent()).toBe('')
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: join(ARTIFACTS, 'demo-web-dashboard.png'), fullPage: true })
  }, 60_000)

  it('explains itself without the secret instead of a bare 403, and works at localhost too (last: its page connects as a second client)', async () => {
    const bare = new URL(url)
    bare.search = ''
    const probe = await browser.newPage()
    const response = await probe.goto(bare.href)
    expect(response?.status()).toBe(403)
    expect(await probe.locator('h1').textContent()).toBe('This dashboard needs its link')
    // The same link under the other loopback name works: it is the page's host too.
    await probe.goto(url.replace('127.0.0.1', 'localhost'))
    expect(probe.url()).toBe(`http://localhost:${bare.port}/`)
    await probe.locator('body[data-connection="ready"]').waitFor({ timeout: 20_000 })
    await probe.close()
  }, 60_000)

  it('prints no PIN nor token in the console, and ends cleanly on SIGINT with only the URL on stdout', async () => {
    const printed = consoleLines.join('\n')
    expect(printed).not.toContain(PIN)
    expect(printed).not.toContain(new URL(url).searchParams.get('token'))
    expect(printed).not.toMatch(/token=(?!\*\*\*)[^&\s'"]+/i)
    const exited = new Promise<number | null>((resolve) => demo.once('exit', resolve))
    demo.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(stdout).toBe(`${url}\n`)
    expect(stderr).not.toContain(PIN)
  }, 30_000)
})
