import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectRoom, type NodeRoomConnection } from '@org/file-events-stream/node'
import type { RoomSimulator, ScenarioInput } from '@org/room-simulator'
import { Subject } from 'rxjs'
import { type Kiosk, scaledAcceptDelay, startKiosk } from './kiosk'
import type { DemoOptions } from './options'

import { describeError, summarize } from './presentation'
import { type ScreenModel, printable, renderScreen } from './render'
import { SetupError, loadScenario, prepareDownloadDir, startRoom } from './setup'
import {
  ALT_SCREEN_OFF,
  ALT_SCREEN_ON,
  CURSOR_HIDDEN,
  CURSOR_SHOWN,
  MIN_COLUMNS,
  liveFrame,
} from './terminal'
import { type LogEntry, type Note, initialRoomView, roomView } from './viewModel'

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

/** Log lines the live view shows under the table. */
const LOG_LINES = 8

/** `HH:MM:SS` (UTC) and the entry, control characters escaped. */
const logLine = (entry: LogEntry): string =>
  `${new Date(entry.at).toISOString().slice(11, 19)} ${printable(entry.text)}`

/**
 * What the terminal prints of the log: not the progress ticks (the table shows them), nor the
 * error that ended the connection (it is the demo's last line, on stderr).
 */
const printed = (entry: LogEntry): boolean => entry.kind !== 'progress' && entry.kind !== 'fatal'

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

  const live = io.isTTY && !options.plain
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
  /** The last log entry printed (plain mode). */
  let printedSeq = 0
  const printNew = (): void => {
    for (const entry of view.log)
      if (entry.seq > printedSeq) {
        printedSeq = entry.seq
        if (printed(entry)) io.write(`${logLine(entry)}\n`)
      }
  }
  const screen = (): ScreenModel => ({
    title,
    subtitle,
    connection: view.connectionText,
    requests: [...view.requests.values()],
    log: view.log.filter(printed).slice(-LOG_LINES).map(logLine),
    decodeFailures: view.decodeFailures,
  })
  if (!live)
    for (const text of [title, subtitle])
      io.write(`${logLine({ seq: 0, at: Date.now(), kind: 'action', text })}\n`)
  const subscription = roomView(connection, notes, { maxRetries: options.maxRetries }).subscribe(
    (next) => {
      view = next
      const state = view.connection
      if (state?.status === 'ready') everReady = true
      if (state?.status === 'reconnecting') lastFailure = describeError(state.lastError)
      if (!live) printNew()
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

  // Redrawn at most ten times a second, and only when the picture changed.
  let lastFrame = ''
  const draw = (): void => {
    // One column short of the width: a character in the last column leaves the cursor waiting to
    // wrap, where clearing to the line's end would erase that character.
    const frame = liveFrame(
      renderScreen(screen(), { width: Math.max(MIN_COLUMNS, io.columns() - 1), color: io.isTTY }),
      io.rows?.(),
      io.columns() - 1,
    )
    if (frame === lastFrame) return
    lastFrame = frame
    io.write(frame)
  }
  // The live view runs on the terminal's alternate screen, like a pager: when it ends, the terminal
  // shows what it showed before, then the final picture, or only the error line.
  if (live) io.write(`${ALT_SCREEN_ON}${CURSOR_HIDDEN}`)
  const redraw = live ? setInterval(draw, 100) : undefined
  // A resized terminal gets a new picture at once, laid out for its new width.
  const stopResize = live
    ? io.onResize?.(() => {
        lastFrame = ''
        draw()
      })
    : undefined

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
    if (redraw !== undefined) clearInterval(redraw)
    stopResize?.()
    if (live) io.write(`${CURSOR_SHOWN}${ALT_SCREEN_OFF}`)
  }
  clearTimeout(deadlineTimer)
  kiosk.stop()
  let fatal = view.fatal === undefined ? undefined : `${room}: ${describeError(view.fatal)}`
  // A deadline that came before the room ever answered is a failure, not an empty summary.
  if (fatal === undefined && ending === 'deadline' && !everReady) {
    fatal = `never connected to ${room} within ${options.maxSeconds} s (${lastFailure !== undefined ? `last attempt: ${lastFailure}` : `still ${view.connectionText}`})`
  }
  // Without a connection there is nothing to picture or sum up: the error line says it all.
  if (fatal === undefined || everReady) {
    // The last picture stays on the terminal's normal screen; plain mode has printed the log already.
    if (!live) io.write('\n')
    const requests = [...view.requests.values()]
    io.write(
      `${renderScreen(
        { ...screen(), log: live ? screen().log : [] },
        { width: Math.max(MIN_COLUMNS, io.columns()), color: live },
      )
        // The columns are padded to line up; the padding at a line's end is only noise in a log.
        .map((line) => line.trimEnd())
        .join('\n')}\n`,
    )
    io.write(`${summarize(requests)}\n`)
  }
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
