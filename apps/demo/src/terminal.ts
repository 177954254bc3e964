// Drawing on a terminal: one frame over the last, lines cut to the terminal's width.
import stringWidth from 'string-width'

/** The narrowest layout: below it, lines are still cut to the terminal, never wrapped. */
export const MIN_COLUMNS = 40

export const ALT_SCREEN_ON = '\u001b[?1049h'
export const ALT_SCREEN_OFF = '\u001b[?1049l'
export const CURSOR_HIDDEN = '\u001b[?25l'
export const CURSOR_SHOWN = '\u001b[?25h'
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
