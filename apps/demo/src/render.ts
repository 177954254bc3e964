// The terminal view: a pure function from the model to lines of text.
import type { FileRequestState } from '@org/file-events-stream'
import stringWidth from 'string-width'
import { byFirstSeen, directionLabel, formatBytes, peerLabel, stateLabel } from './presentation'

/** Everything one frame of the screen shows. Holds no secrets: the PIN and tokens never reach it. */
export interface ScreenModel {
  readonly title: string
  readonly subtitle?: string
  readonly connection: string
  readonly requests: ReadonlyArray<FileRequestState>
  readonly log: ReadonlyArray<string>
  readonly decodeFailures: number
}

export interface RenderOptions {
  readonly width: number
  readonly color: boolean
  /** Rows of the transfer table to show (the newest). */
  readonly maxRows?: number
}

const ESC = '\u001b['
const paint = (color: boolean, code: string, text: string): string =>
  color ? `${ESC}${code}m${text}${ESC}0m` : text

/** `[#####.....]` for 50 % in a bar of 10 cells. */
export const progressBar = (percent: number, cells: number): string => {
  const clamped = Math.max(0, Math.min(100, Number.isFinite(percent) ? percent : 0))
  const filled = Math.round((clamped / 100) * cells)
  return `[${'#'.repeat(filled)}${'.'.repeat(cells - filled)}]`
}

/** A state's colour, from the tracker's fields (the same colours as the web page's). */
const OUTCOME_COLORS = { complete: '32', failed: '31', rejected: '33', active: '34' } as const
const stateColor = (r: FileRequestState): string =>
  r.outcome === 'active' && r.status === 1 ? '36' : OUTCOME_COLORS[r.outcome]

// C0 and C1 controls (ESC starts terminal escape sequences) and the bidi controls that make a
// name read differently from what it is (`report\u202Etxt.exe`).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/**
 * Text from the room (file names, peer names) made safe for a terminal: control characters are
 * shown as `\u{…}` escapes instead of being sent to it.
 */
export const printable = (text: string): string =>
  text.replace(UNPRINTABLE, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`)

/**
 * Cuts `text` to `width` terminal columns with an ellipsis, or pads it; control characters
 * escaped. Wide characters (CJK, emoji) count two columns, as `string-width` measures them.
 */
export const fit = (raw: string, width: number): string => {
  const text = printable(raw)
  const used = stringWidth(text)
  if (used <= width) return text + ' '.repeat(width - used)
  let out = ''
  let taken = 0
  for (const char of text) {
    const w = stringWidth(char)
    if (taken + w > width - 1) break
    out += char
    taken += w
  }
  return `${out}…${' '.repeat(Math.max(0, width - 1 - taken))}`
}

/** From this width on, a row shows the size and a progress bar too. */
export const WIDE_LAYOUT_COLUMNS = 72

/** One table row: direction, file, counterpart, size, progress, state. */
export const renderRow = (r: FileRequestState, options: RenderOptions): string => {
  const arrow = directionLabel(r.direction).padEnd(5)
  const who = peerLabel(r)
  const label = stateLabel(r)
  // Narrow terminals (down to 40 columns) drop the size and the bar and shorten the peer, so that
  // the percentage and the status always show.
  const wide = options.width >= WIDE_LAYOUT_COLUMNS
  const peerWidth = wide ? 16 : 8
  const fixed = 5 + 1 + peerWidth + 1 + (wide ? 9 + 1 + 12 + 1 : 0) + 5 + 1 + 9
  const nameWidth = Math.max(6, options.width - fixed - 1)
  return [
    arrow,
    fit(r.fileName, nameWidth),
    fit(who, peerWidth),
    ...(wide ? [formatBytes(r.fileSize).padStart(9), progressBar(r.percent, 10)] : []),
    `${Math.round(r.percent)}%`.padStart(5),
    paint(options.color, stateColor(r), fit(label, 9)),
  ].join(' ')
}

/** The whole screen, newest transfers last. */
export const renderScreen = (model: ScreenModel, options: RenderOptions): string[] => {
  const rows = [...model.requests].sort(byFirstSeen)
  const shown = rows.slice(-(options.maxRows ?? 14))
  const finished = rows.filter((r) => r.terminal).length
  const lines = [
    paint(options.color, '1', fit(model.title, options.width)),
    ...(model.subtitle === undefined ? [] : [fit(model.subtitle, options.width)]),
    fit(
      `connection: ${model.connection}   transfers: ${rows.length - finished} active, ${finished} finished   bad frames: ${model.decodeFailures}`,
      options.width,
    ),
    '',
    ...(shown.length === 0 ? ['(no file transfers yet)'] : shown.map((r) => renderRow(r, options))),
    '',
    ...model.log.map((line) => fit(line, options.width)),
  ]
  return lines
}
