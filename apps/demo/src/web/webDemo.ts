import { readFile } from 'node:fs/promises'
import type { DemoIO } from '../demo'
import { SetupError, loadScenario, startRoom } from '../setup'
import type { DemoOptions } from '../options'
import { type PageServer, startPageServer } from './pageServer'
import type { DashboardSession } from './session'
import { roundsFor, watchScenario } from './watchScenario'

/**
 * `--web`: starts the embedded simulator (allowing this server's origins) unless `--host` names a
 * real room, serves the dashboard on 127.0.0.1 (`--port`), and prints its URL, page secret
 * included, as the one line on stdout.
 * Runs until `stop` (or `--max-seconds`). Resolves with the exit code.
 */
export const runWebDemo = async (
  options: DemoOptions,
  io: DemoIO,
  stop: Promise<void>,
): Promise<number> => {
  const embedded = options.host === undefined
  let scenario: Awaited<ReturnType<typeof loadScenario>> | undefined
  try {
    // The default scenario goes on after the `demo` preset's steps, for a page kept open.
    if (embedded)
      scenario =
        options.scenario === 'demo'
          ? watchScenario(options.seed, roundsFor(options.maxSeconds, options.timeScale))
          : await loadScenario(options.scenario)
  } catch (error) {
    if (!(error instanceof SetupError)) throw error
    io.writeError(`room-files-demo: ${error.message}\n`)
    return 2
  }
  const script = await readFile(new URL('./web/dashboard.global.js', import.meta.url), 'utf8')
  /** Set once the room is known; the page asks for it after that. */
  const served: { session?: DashboardSession } = {}
  let pages: PageServer
  try {
    pages = await startPageServer({
      host: '127.0.0.1',
      port: options.port,
      script,
      session: () => served.session,
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    io.writeError(
      `room-files-demo: --port ${options.port}: ${code === 'EADDRINUSE' ? 'already in use on 127.0.0.1' : error instanceof Error ? error.message : String(error)}\n`,
    )
    return 1
  }

  // The embedded room is PIN-protected like a real kiosk; the PIN only goes to the page, and only
  // the page's own origins may open its WebSocket.
  const { simulator, pin } = await startRoom(options, embedded, scenario, pages.origins)
  served.session = {
    title: embedded ? 'embedded simulator' : `${options.host}:${options.webPort}`,
    host: embedded ? '127.0.0.1' : (options.host as string),
    webPort: simulator !== undefined ? Number(new URL(simulator.urls.web).port) : options.webPort,
    ...(pin === undefined ? {} : { pin }),
    sendTo: embedded ? 'carol@simulator.local' : '',
  }
  // The one line on stdout: the page's URL with its secret, as Jupyter prints its own.
  io.write(`${pages.url}\n`)

  let deadlineTimer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<void>((resolve) => {
    if (options.maxSeconds !== undefined)
      deadlineTimer = setTimeout(resolve, options.maxSeconds * 1000)
  })
  await Promise.race([stop, deadline])
  clearTimeout(deadlineTimer)
  await pages.close()
  await simulator?.close()
  return 0
}
