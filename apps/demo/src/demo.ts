import { randomInt } from 'node:crypto'
import { constants as fsConstants } from 'node:fs'
import { access, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import {
  type FileEvent,
  fileSizeOf,
  fileTransferAvailabilityName,
  peerDisplayNameOf,
} from '@org/file-events-codec'
import {
  type ConnectionState,
  type FileRequestState,
  isRetriesExhaustedError,
} from '@org/file-events-stream'
import { connectRoom, type NodeRoomConnection } from '@org/file-events-stream/node'
import {
  PRESET_NAMES,
  parseScenarioValue,
  type RoomSimulator,
  type ScenarioInput,
  startRoomSimulator,
} from '@org/room-simulator'
import type { Subscription } from 'rxjs'
import stringWidth from 'string-width'
import type { DemoOptions } from './options'
import { formatBytes, printable, renderScreen, statusWord, summarize } from './render'

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

/** The narrowest layout: below it, lines are still cut to the terminal, never wrapped. */
export const MIN_COLUMNS = 40

const LOG_LINES = 8

const ALT_SCREEN_ON = '\u001b[?1049h'
const ALT_SCREEN_OFF = '\u001b[?1049l'
const CURSOR_HIDDEN = '\u001b[?25l'
const CURSOR_SHOWN = '\u001b[?25h'
const CURSOR_HOME = '\u001b[H'
const CLEAR_TO_LINE_END = '\u001b[K'
const CLEAR_TO_SCREEN_END = '\u001b[J'

/**
 * One frame of the live view: from the top left corner, each line written over the last frame's
 * and cleared after its end, then whatever the last frame had below cleared. Clearing the whole
 * screen first would show an empty screen between frames: a flicker. No newline after the last
 * line, and no more lines than `rows`: the screen must not scroll, or the next frame, drawn from
 * the top, would no longer cover this one.
 */
export const liveFrame = (
  lines: ReadonlyArray<string>,
  rows = Number.POSITIVE_INFINITY,
  columns = Number.POSITIVE_INFINITY,
): string =>
  `${CURSOR_HOME}${lines
    .slice(0, Math.max(1, rows))
    .map((line) => `${clip(line, Math.max(1, columns))}${CLEAR_TO_LINE_END}`)
    .join('\n')}${CLEAR_TO_SCREEN_END}`

/** SGR sequences (colors), which take no column. */
// eslint-disable-next-line no-control-regex -- terminal sequences start with ESC
const SGR = /\u001b\[[0-9;]*m/y

/**
 * A line cut to `columns` terminal columns, so that it never wraps (a wrapped line scrolls the
 * screen on the last row). Color sequences are kept and take no column; a wide character (CJK,
 * emoji) takes two, as `string-width` measures it, and one that would straddle the edge is left
 * out; a cut line ends with a color reset.
 */
export const clip = (line: string, columns: number): string => {
  let visible = 0
  let out = ''
  for (let i = 0; i < line.length;) {
    SGR.lastIndex = i
    const sgr = SGR.exec(line)
    if (sgr !== null) {
      out += sgr[0]
      i += sgr[0].length
      continue
    }
    const char = String.fromCodePoint(line.codePointAt(i) as number)
    const width = stringWidth(char)
    if (visible + width > columns) return `${out}\u001b[0m`
    out += char
    i += char.length
    visible += width
  }
  return out
}

/**
 * Scaling never takes the auto-accept delay below this. The scenario answers some offers itself a
 * little after making them (the `demo` preset rejects holiday.jpg 400 ms later, 0 ms at time scale
 * 0); an accept fired as early as that would race the scenario's answer and change the outcome.
 */
export const MIN_SCALED_ACCEPT_MS = 500

/** The auto-accept delay with the embedded simulator: `--accept-after` times `--time-scale`, floored. */
export const scaledAcceptDelay = (acceptAfterMs: number, timeScale: number): number =>
  Math.max(acceptAfterMs * timeScale, Math.min(acceptAfterMs, MIN_SCALED_ACCEPT_MS))

const clock = (): string => new Date().toISOString().slice(11, 19)

/** One log line per file event, as a person would describe it. */
export const describeEvent = (e: FileEvent): string => {
  const size = (v: { fileSize?: number; size?: number }): string => {
    const bytes = fileSizeOf(v)
    return bytes === undefined ? '' : ` (${formatBytes(bytes)})`
  }
  switch (e.event) {
    case 'receivedFileRequest':
      return `⇣ ${peerDisplayNameOf(e) ?? e.peerId} offers ${e.fileName}${size(e)}`
    case 'incomingFileRequestAccepted':
      return `⇣ accepted ${e.fileName}`
    case 'incomingFileRequestRejected':
      return `⇣ rejected ${e.fileName}`
    case 'incomingFileRequestDownloadingProgress':
      return `⇣ ${e.fileName} ${e.processedPercents} %`
    case 'outgoingFileRequestSent':
      return `⇡ sending ${e.fileName}${size(e)} to ${peerDisplayNameOf(e) ?? e.peerId}`
    case 'outgoingFileRequestSentToConference':
      return `⇡ sending ${e.fileName}${size(e)} to the conference`
    case 'outgoingFileRequestUploadingProgress':
      return `⇡ ${e.fileName} ${e.processedPercents} %`
    case 'fileRequestStatusChanged':
      return `${e.directionType === 0 ? '⇣' : '⇡'} ${e.fileName}: ${statusWord(e.status, e.directionType)}`
    case 'fileTransferAvailabilityChanged':
      return `file transfer ${fileTransferAvailabilityName(e.availability)}`
    case 'fileDeletedFromFileTransferHistory':
      return `${e.fileName} removed from the history${e.removedFromDisk ? ' and the disk' : ''}`
    case 'fileTransferHistoryCleared':
      return 'file transfer history cleared'
  }
}

/**
 * An error of the connection in a line: its message (the package's errors never hold secrets), with
 * the last attempt's reason when reconnecting gave up.
 */
export const describeError = (error: unknown): string => {
  const message = errorText(error)
  return isRetriesExhaustedError(error)
    ? `${message} (last: ${errorText(error.lastError)})`
    : message
}

/** The connection state in a few words, with why the last attempt failed while reconnecting. */
export const describeState = (
  s: ConnectionState,
  maxRetries = Number.POSITIVE_INFINITY,
): string => {
  // `attempt` counts from 0, the first connection: the later ones are retries.
  const retry = (n: number): string =>
    `retry ${n}${Number.isFinite(maxRetries) ? ` of ${maxRetries}` : ''}`
  switch (s.status) {
    case 'connecting':
      return s.attempt === 0 ? 'connecting' : `connecting (${retry(s.attempt)})`
    case 'authenticating':
      return 'authenticating'
    case 'ready':
      return s.connects > 1 ? `ready (reconnected, connection #${s.connects})` : 'ready'
    case 'reconnecting':
      return `reconnecting in ${(s.delayMs / 1000).toFixed(1)} s (${retry(s.attempt)}): ${describeError(s.lastError)}`
    case 'closed':
      return s.error !== undefined ? `closed: ${describeError(s.error)}` : `closed (${s.reason})`
  }
}

/** A bad option value found when the demo starts (exit code 2). */
/** A bad `--scenario` or `--download-dir`: one line and exit code 2. */
export class SetupError extends Error {}

const errorText = (error: unknown): string =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as { message?: unknown }).message === 'string'
    ? (error as { message: string }).message
    : String(error)

const isFile = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  )

/**
 * `--scenario`: a JSON file when a file exists at that path or the value looks like a path (has a
 * path separator), whatever its name ends with; else a preset name.
 */
/**
 * The room the demo watches: with `embedded`, a simulator of its own, PIN-protected like a real
 * kiosk (a random PIN unless one is given), allowing `corsOrigins`; otherwise nothing is started
 * and the PIN is the one given.
 */
export const startRoom = async (
  options: DemoOptions,
  embedded: boolean,
  scenario: ScenarioInput | string | undefined,
  corsOrigins: ReadonlyArray<string> = [],
): Promise<{ simulator: RoomSimulator | undefined; pin: string | undefined }> => {
  if (!embedded) return { simulator: undefined, pin: options.pin }
  const pin = options.pin ?? String(randomInt(100_000, 1_000_000))
  const simulator = await startRoomSimulator({
    pin,
    ...(scenario === undefined ? {} : { scenario }),
    seed: options.seed,
    timeScale: options.timeScale,
    ...(corsOrigins.length === 0 ? {} : { corsOrigins }),
  })
  return { simulator, pin }
}

export const loadScenario = async (value: string): Promise<ScenarioInput | string> => {
  const shown = printable(value)
  if (!value.includes('/') && !value.includes(sep) && !(await isFile(value))) {
    if ((PRESET_NAMES as ReadonlyArray<string>).includes(value)) return value
    throw new SetupError(
      `--scenario ${shown}: no such file, nor a preset (presets: ${PRESET_NAMES.join(', ')})`,
    )
  }
  let text: string
  try {
    text = await readFile(value, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new SetupError(
      `--scenario ${shown}: cannot read it (${code === 'ENOENT' ? 'no such file' : (code ?? errorText(error))})`,
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new SetupError(`--scenario ${shown}: not valid JSON (${errorText(error)})`)
  }
  try {
    return parseScenarioValue(json)
  } catch (error) {
    throw new SetupError(`--scenario ${shown}: ${errorText(error)}`)
  }
}

/**
 * `--download-dir`: created when missing and its parent folder exists (like `mkdir`); anything
 * else that would make every download fail is refused before the demo starts.
 */
export const prepareDownloadDir = async (dir: string): Promise<void> => {
  const shown = printable(dir)
  try {
    await mkdir(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EEXIST') {
      const why =
        code === 'ENOENT'
          ? 'its parent folder does not exist'
          : code === 'ENOTDIR'
            ? 'a parent of it is not a folder'
            : (code ?? errorText(error))
      throw new SetupError(`--download-dir ${shown}: cannot create it (${why})`)
    }
  }
  if (!(await stat(dir)).isDirectory())
    throw new SetupError(`--download-dir ${shown}: not a folder`)
  try {
    await access(dir, fsConstants.W_OK)
  } catch {
    throw new SetupError(`--download-dir ${shown}: not writable`)
  }
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
  const log: string[] = []
  let dirty = true
  let requests: ReadonlyArray<FileRequestState> = []
  let stateText = 'starting'
  let decodeFailures = 0
  let fatal: string | undefined
  let everReady = false
  /** Why the last connection attempt failed, for a demo that never got connected. */
  let lastFailure: string | undefined
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const pending = new Set<Promise<unknown>>()
  const subscriptions: Subscription[] = []

  const say = (line: string): void => {
    const stamped = `${clock()} ${printable(line)}`
    log.push(stamped)
    if (log.length > LOG_LINES) log.shift()
    dirty = true
    if (!io.isTTY || options.plain) io.write(`${stamped}\n`)
  }
  const track = (work: Promise<unknown>): void => {
    const p = work.catch((error: unknown) =>
      say(`! ${error instanceof Error ? error.message : String(error)}`),
    )
    pending.add(p)
    void p.finally(() => pending.delete(p))
  }
  const later = (ms: number, f: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      f()
    }, ms)
    timers.add(timer)
  }

  // Redrawn at most ten times a second, and only when the picture changed.
  let lastFrame = ''
  const draw = (): void => {
    if (!dirty) return
    dirty = false
    // One column short of the width: a character in the last column leaves the cursor waiting to
    // wrap, where clearing to the line's end would erase that character.
    const frame = liveFrame(
      renderScreen(
        { title, subtitle, connection: stateText, requests, log, decodeFailures },
        { width: Math.max(MIN_COLUMNS, io.columns() - 1), color: io.isTTY },
      ),
      io.rows?.(),
      io.columns() - 1,
    )
    if (frame === lastFrame) return
    lastFrame = frame
    io.write(frame)
  }
  const live = io.isTTY && !options.plain
  // The live view runs on the terminal's alternate screen, like a pager: when it ends, the terminal
  // shows what it showed before, then the final picture, or only the error line.
  if (live) io.write(`${ALT_SCREEN_ON}${CURSOR_HIDDEN}`)
  const redraw = live ? setInterval(draw, 100) : undefined
  // A resized terminal gets a new picture at once, laid out for its new width.
  const stopResize = live
    ? io.onResize?.(() => {
        dirty = true
        lastFrame = ''
        draw()
      })
    : undefined
  if (!live) {
    say(title)
    say(subtitle)
  }

  let firstReady: () => void = () => undefined
  const ready = new Promise<void>((resolve) => (firstReady = resolve))
  // Every stream of the connection errors with the error that ended it (a wrong PIN, retries
  // exhausted): the first one ends the demo with that message.
  let endWithError: () => void = () => undefined
  const failed = new Promise<void>((resolve) => (endWithError = resolve))
  const onFatal = (error: unknown): void => {
    fatal ??= `${room}: ${describeError(error)}`
    firstReady()
    endWithError()
  }
  let sentHello = false

  subscriptions.push(
    connection.state$.subscribe({
      error: onFatal,
      next: (s) => {
        stateText = describeState(s, options.maxRetries)
        dirty = true
        if (s.status === 'reconnecting') lastFailure = describeError(s.lastError)
        // The error that closed the connection ends the demo with a line of its own (on stderr).
        if (!live && !(s.status === 'closed' && s.error !== undefined))
          say(`connection ${stateText}`)
        if (s.status === 'ready') {
          everReady = true
          firstReady()
          if (embedded && !sentHello) {
            sentHello = true
            track(
              connection
                .sendFile({
                  data: `Hello from the demo, ${new Date().toISOString()}\n`,
                  fileName: 'hello-from-demo.txt',
                  to: 'carol@simulator.local',
                })
                .then((id) => say(`⇡ sendFile hello-from-demo.txt → request ${id.slice(0, 8)}`)),
            )
          }
        }
        if (s.status === 'closed' && s.error !== undefined) onFatal(s.error)
      },
    }),
    connection.fileRequests$.subscribe({
      error: onFatal,
      next: (state) => {
        requests = [...state.requests.values()]
        dirty = true
      },
    }),
    connection.decodeFailures$.subscribe({
      error: onFatal,
      next: (failure) => {
        decodeFailures++
        say(`! bad frame: ${failure.messages[0] ?? failure.reason}`)
      },
    }),
    connection.events$.subscribe({
      error: onFatal,
      next: (e) => {
        if (
          e.event !== 'incomingFileRequestDownloadingProgress' &&
          e.event !== 'outgoingFileRequestUploadingProgress'
        ) {
          say(describeEvent(e))
        }
        if (e.event === 'receivedFileRequest' && options.acceptAfterMs !== undefined) {
          const id = e.fileRequestId
          const delayMs = embedded
            ? scaledAcceptDelay(options.acceptAfterMs, options.timeScale)
            : options.acceptAfterMs
          later(delayMs, () => {
            const r = connection.fileRequests.get(id)
            if (r !== undefined && r.status === 1 && !r.rejected) {
              // Said before the call: its answer (accepted, in progress) follows as room events.
              say(
                `⇣ accepting ${e.fileName} with acceptFile (nobody answered it for ${(delayMs / 1000).toFixed(1)} s)`,
              )
              track(connection.acceptFile(id))
            }
          })
        }
        if (
          e.event === 'fileRequestStatusChanged' &&
          e.status === 3 &&
          e.directionType === 0 &&
          e.fileId !== undefined
        ) {
          const size = fileSizeOf(e)
          track(
            connection
              .downloadFile(e.fileId, {
                dir,
                fileName: e.fileName,
                ...(size === undefined ? {} : { expectedSize: size }),
              })
              .then((f) => say(`⇣ saved ${f.fileName} (${formatBytes(f.bytes)}) to ${f.path}`)),
          )
        }
      },
    }),
  )

  // Not one of `timers`: those are the work the scenario's end waits for.
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
    await ready
    let calm = 0
    while (fatal === undefined && calm < 2) {
      await sim.idle()
      await new Promise<void>((resolve) => later(100, resolve))
      const moving = requests.some((r) => !r.terminal && r.status === 2)
      calm = moving || timers.size > 0 || pending.size > 0 ? 0 : calm + 1
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
    await Promise.allSettled([...pending])
  } finally {
    if (redraw !== undefined) clearInterval(redraw)
    stopResize?.()
    if (live) io.write(`${CURSOR_SHOWN}${ALT_SCREEN_OFF}`)
  }
  clearTimeout(deadlineTimer)
  for (const timer of timers) clearTimeout(timer)
  // A deadline that came before the room ever answered is a failure, not an empty summary.
  if (fatal === undefined && ending === 'deadline' && !everReady) {
    fatal = `never connected to ${room} within ${options.maxSeconds} s (${lastFailure !== undefined ? `last attempt: ${lastFailure}` : `still ${stateText}`})`
  }
  // Without a connection there is nothing to picture or sum up: the error line says it all.
  if (fatal === undefined || everReady) {
    // The last picture stays on the terminal's normal screen; plain mode has printed the log already.
    if (!live) io.write('\n')
    io.write(
      `${renderScreen(
        { title, subtitle, connection: stateText, requests, log: live ? log : [], decodeFailures },
        { width: Math.max(MIN_COLUMNS, io.columns()), color: live },
      )
        // The columns are padded to line up; the padding at a line's end is only noise in a log.
        .map((line) => line.trimEnd())
        .join('\n')}\n`,
    )
    io.write(`${summarize(requests)}\n`)
  }
  for (const s of subscriptions) s.unsubscribe()
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
