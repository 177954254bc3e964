// Shared by the browser suites (the stream package's main entry in a page, the demo's web mode):
// Debian's Chromium driven by playwright-core, launched as this project's machines need it.
import { existsSync } from 'node:fs'
import { type Browser, type ConsoleMessage, type Page, chromium } from 'playwright-core'

/** Debian's `chromium` package, or CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/** Why the browser suites cannot run here, or `undefined` when they can. */
export const chromiumMissing: string | undefined = existsSync(CHROMIUM_PATH)
  ? undefined
  : `no Chromium at ${CHROMIUM_PATH}; install Debian's chromium (.ci/run does when CI is set) or set CHROMIUM_PATH`

/**
 * `describe` when Chromium is installed; otherwise `describe.skip` with the reason in its name, so
 * that every skipped case is listed by name, with why, in the CI summary.
 */
export const describeInChromium = (name: string, body: () => void): void => {
  if (chromiumMissing === undefined) describe(name, body)
  else describe.skip(`${name} [skipped: ${chromiumMissing}]`, body)
}

/**
 * Headless Chromium with a fresh profile (playwright-core makes a new user-data-dir per launch),
 * without the background traffic this machine's closed network refuses.
 */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })

/** Every console line and page error of a page, kept for assertions (a token must never be in one). */
export const recordConsole = (page: Page): string[] => {
  const lines: string[] = []
  page.on('console', (m: ConsoleMessage) => lines.push(`${m.type()}: ${m.text()} ${m.location().url}`))
  page.on('pageerror', (e: Error) => lines.push(`pageerror: ${e.message}`))
  return lines
}
