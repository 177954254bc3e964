// The terminal side of the demo: a live view redrawn in place on the alternate screen, or one
// printed line per log entry (`--plain`, or output that is not a terminal); then the last picture
// and the summary. It draws the view model, and holds nothing else.
import type { DemoIO } from './demo'
import { summarize } from './presentation'
import { type ScreenModel, printable, renderScreen } from './render'
import {
  ALT_SCREEN_OFF,
  ALT_SCREEN_ON,
  CURSOR_HIDDEN,
  CURSOR_SHOWN,
  MIN_COLUMNS,
  liveFrame,
} from './terminal'
import type { LogEntry, RoomView } from './viewModel'

/** Log lines the live view shows under the table. */
const LOG_LINES = 8

/** `HH:MM:SS` (UTC) and the entry, control characters escaped. */
const logLine = (entry: Pick<LogEntry, 'at' | 'text'>): string =>
  `${new Date(entry.at).toISOString().slice(11, 19)} ${printable(entry.text)}`

/**
 * What the terminal prints of the log: not the progress ticks (the table shows them), nor the
 * error that ended the connection (it is the demo's last line, on stderr).
 */
const printed = (entry: LogEntry): boolean => entry.kind !== 'progress' && entry.kind !== 'fatal'

export interface TerminalViewOptions {
  /** Redraw in place (a terminal without `--plain`), or print lines. */
  readonly live: boolean
  readonly title: string
  readonly subtitle: string
}

export interface TerminalView {
  /** Takes the view's latest state: printed at once in plain mode, drawn on the next frame live. */
  update(view: RoomView): void
  /** Stops drawing and gives the terminal its normal screen back. */
  close(): void
  /** The last picture (without the log in plain mode: it was printed already) and the summary. */
  finish(view: RoomView): void
}

export const startTerminalView = (io: DemoIO, options: TerminalViewOptions): TerminalView => {
  const { live, title, subtitle } = options
  let view: RoomView | undefined
  /** The last log entry printed (plain mode). */
  let printedSeq = 0
  let lastFrame = ''
  const screen = (v: RoomView | undefined): ScreenModel => ({
    title,
    subtitle,
    connection: v?.connectionText ?? 'starting',
    requests: v === undefined ? [] : [...v.requests.values()],
    log: v === undefined ? [] : v.log.filter(printed).slice(-LOG_LINES).map(logLine),
    decodeFailures: v?.decodeFailures ?? 0,
  })
  // Redrawn at most ten times a second, and only when the picture changed.
  const draw = (): void => {
    // One column short of the width: a character in the last column leaves the cursor waiting to
    // wrap, where clearing to the line's end would erase that character.
    const frame = liveFrame(
      renderScreen(screen(view), {
        width: Math.max(MIN_COLUMNS, io.columns() - 1),
        color: io.isTTY,
      }),
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
  else for (const text of [title, subtitle]) io.write(`${logLine({ at: Date.now(), text })}\n`)
  const redraw = live ? setInterval(draw, 100) : undefined
  // A resized terminal gets a new picture at once, laid out for its new width.
  const stopResize = live
    ? io.onResize?.(() => {
        lastFrame = ''
        draw()
      })
    : undefined
  let closed = false
  return {
    update: (next) => {
      view = next
      if (live) return
      for (const entry of next.log)
        if (entry.seq > printedSeq) {
          printedSeq = entry.seq
          if (printed(entry)) io.write(`${logLine(entry)}\n`)
        }
    },
    close: () => {
      if (closed) return
      closed = true
      if (redraw !== undefined) clearInterval(redraw)
      stopResize?.()
      if (live) io.write(`${CURSOR_SHOWN}${ALT_SCREEN_OFF}`)
    },
    finish: (last) => {
      // The last picture stays on the terminal's normal screen; plain mode has printed the log.
      if (!live) io.write('\n')
      const picture = screen(last)
      io.write(
        `${renderScreen(
          { ...picture, log: live ? picture.log : [] },
          { width: Math.max(MIN_COLUMNS, io.columns()), color: live },
        )
          // The columns are padded to line up; the padding at a line's end is only noise in a log.
          .map((line) => line.trimEnd())
          .join('\n')}\n`,
      )
      io.write(`${summarize([...last.requests.values()])}\n`)
    },
  }
}
