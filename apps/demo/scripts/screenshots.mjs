// The README's pictures of the web dashboard, light and dark, wide and narrow, taken with the
// headless Chromium the browser tests use: `node apps/demo/scripts/screenshots.mjs` after a build.
// It runs `--web` with the embedded room a little faster than real time, accepts the offer the
// demo scenario leaves waiting, waits for the room to get busy, and writes apps/demo/docs/*.png.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))
const docs = join(here, '../docs')
const demo = spawn(
  process.execPath,
  [join(here, '../dist/main.js'), '--web', '--time-scale', '0.5', '--max-seconds', '120'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
)
const url = await new Promise((resolve) =>
  demo.stdout.once('data', (d) => resolve(String(d).trim())),
)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
})
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
  await page.goto(url)
  await page.locator('tr[data-name="agenda.docx"] button', { hasText: 'Accept' }).click()
  await page.waitForTimeout(25_000)
  for (const [name, width, height] of [
    ['wide', 1440, 1000],
    ['narrow', 390, 1400],
  ])
    for (const scheme of ['light', 'dark']) {
      await page.setViewportSize({ width, height })
      await page.emulateMedia({ colorScheme: scheme })
      await page.waitForTimeout(400)
      // The wide light one is also the root README's picture, under its old name.
      const file =
        name === 'wide' && scheme === 'light' ? 'web-dashboard' : `web-dashboard-${name}-${scheme}`
      await page.screenshot({ path: join(docs, `${file}.png`) })
    }
} finally {
  await browser.close()
  demo.kill('SIGINT')
}
