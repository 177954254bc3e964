import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectRoom, type NodeRoomConnection } from '@org/file-events-stream/node'
import type { RoomSimulator, ScenarioInput } from '@org/room-simulator'
import { Subject } from 'rxjs'
import { type Kiosk, scaledAcceptDelay, startKiosk } from './kiosk'
import type { DemoOptions } from './options'
import { describeError } from './presentation'
import { SetupError, loadScenario, prepareDownloadDir, startRoom } from './setup'
import { startTerminalView } from './terminalView'
import { type Note, initialRoomView, roomView } from './viewModel'

/** Where the demo writes; a terminal or any stream. */
export interface DemoIO {
  readonly write: (text: string) => void
  /** The line that ends the demo on an error (stderr). */
  readonly writeError: (text: string) => void
  readonly isTTY: boolean
  /** The terminal's width now (it changes when the window is resized). */
  readonly columns: () => number
  /** The terminal's height now, when known. */
  readonly rows?: () => number | undefined
  /** Calls `redraw` when the terminal was resized; returns what stops that. */
  readonly onResize?: (redraw: () => void) => () => void
}

/**
 * Runs the demo until the embedded scenario has played out (or forever with a real room or
 * `--stay`), or `stop` resolves. Resolves with the process exit code.
 */
export const runDemo = async (
  options: DemoOptions,
  io: DemoIO,
  stop: Promise<void>,
): Promise<number> => {
  const embedded = options.host === undefined
  let scenario: ScenarioInput | string | undefined
  try {
    if (embedded) scenario = await loadScenario(options.scenario)
    if (options.downloadDir !== undefined) await prepareDownloadDir(options.downloadDir)
  } catch (error) {
    if (!(error instanceof SetupError)) throw error
    io.writeError(`room-files-demo: ${error.message}\n`)
    return 2
  }
  // The embedded room is PIN-protected like a real kiosk; the PIN is never printed.
  const { simulator, pin } = await startRoom(options, embedded, scenario)
  const webPort =
    simulator !== undefined ? Number(new URL(simulator.urls.web).port) : options.webPort
  const host = simulator !== undefined ? '127.0.0.1' : (options.host as string)
  const ownDir = options.downloadDir === undefined
  const dir = options.downloadDir ?? (await mkdtemp(join(tmpdir(), 'room-files-demo-')))
  const connection: NodeRoomConnection = connectRoom({
    host,
    webPort,
    ...(pin === undefined ? {} : { pin }),
    maxRetries: options.maxRetries,
  })
  const room = embedded ? 'the embedded simulator' : `${host}:${webPort}`
  const title = embedded
    ? `TrueConf Room file transfers: embedded simulator at ${simulator?.urls.web} (PIN-protected)`
    : `TrueConf Room file transfers: ${host}:${webPort}`
  const subtitle = `received files are saved to ${dir}`

  const output = startTerminalView(io, { live: io.isTTY && !options.plain, title, subtitle })
  const notes = new Subject<Note>()
  let view = initialRoomView
  let everReady = false
  /** Why the last connection attempt failed, for a demo that never got connected. */
  let lastFailure: string | undefined
  let answer: () => void = () => undefined
  /** The room answered once, or the connection failed for good. */
  const answered = new Promise<void>((resolve) => (answer = resolve))
  let endWithError: () => void = () => undefined
  const failed = new Promise<void>((resolve) => (endWithError = resolve))
  const subscription = roomView(connection, notes, { maxRetries: options.maxRetries }).subscribe(
    (next) => {
      view = next
      const state = view.connection
      if (state?.status === 'ready') everReady = true
      if (state?.status === 'reconnecting') lastFailure = describeError(state.lastError)
      output.update(view)
      // Every stream of the connection errors with the error that ended it (a wrong PIN, retries
      // exhausted): that ends the demo with its message.
      if (everReady || view.fatal !== undefined) answer()
      if (view.fatal !== undefined) endWithError()
    },
  )
  const kiosk: Kiosk = startKiosk({
    connection,
    dir,
    acceptAfterMs:
      options.acceptAfterMs === undefined
        ? undefined
        : embedded
          ? scaledAcceptDelay(options.acceptAfterMs, options.timeScale)
          : options.acceptAfterMs,
    helloTo: embedded ? 'carol@simulator.local' : undefined,
    note: (note) => notes.next(note),
  })

  let deadlineTimer: ReturnType<typeof setTimeout> | undefined
  const deadline =
    options.maxSeconds !== undefined
      ? new Promise<'deadline'>(
          (resolve) =>
            (deadlineTimer = setTimeout(() => resolve('deadline'), options.maxSeconds! * 1000)),
        )
      : new Promise<'deadline'>(() => undefined)
  // The scenario is done when the simulator has run every step and nothing is left moving here:
  // no transfer in progress, no accept or download of ours pending (its last events may still be
  // in flight when the simulator goes idle, so the calm must hold for two looks in a row).
  const settled = async (sim: RoomSimulator): Promise<void> => {
    await answered
    let calm = 0
    while (view.fatal === undefined && calm < 2) {
      await sim.idle()
      await new Promise<void>((resolve) => setTimeout(resolve, 100))
      const moving = [...view.requests.values()].some((r) => !r.terminal && r.status === 2)
      calm = moving || kiosk.busy() ? 0 : calm + 1
    }
  }
  const finished =
    embedded && !options.stay && simulator !== undefined
      ? settled(simulator)
      : new Promise<void>(() => undefined)
  let ending: 'deadline' | void
  try {
    ending = await Promise.race([finished, deadline, stop, failed])
    // Let downloads and the last events land before the final picture.
    await kiosk.settled()
  } finally {
    output.close()
  }
  clearTimeout(deadlineTimer)
  kiosk.stop()
  let fatal = view.fatal === undefined ? undefined : `${room}: ${describeError(view.fatal)}`
  // A deadline that came before the room ever answered is a failure, not an empty summary.
  if (fatal === undefined && ending === 'deadline' && !everReady) {
    fatal = `never connected to ${room} within ${options.maxSeconds} s (${lastFailure !== undefined ? `last attempt: ${lastFailure}` : `still ${view.connectionText}`})`
  }
  // Without a connection there is nothing to picture or sum up: the error line says it all.
  if (fatal === undefined || everReady) output.finish(view)
  subscription.unsubscribe()
  connection.close()
  await simulator?.close()
  // A temporary folder nothing was saved to is not left behind.
  if (ownDir && (await readdir(dir)).length === 0) await rm(dir, { recursive: true, force: true })
  if (fatal !== undefined) {
    io.writeError(`room-files-demo: ${fatal}\n`)
    return 1
  }
  return 0
}
