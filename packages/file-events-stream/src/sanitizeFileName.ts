/**
 * The longest file name most file systems accept, in bytes (UTF-8).
 *
 * @category files
 * @since 0.1.0
 */
export const MAX_FILE_NAME_BYTES = 255

// Windows' device names: reserved whatever the extension, and with trailing dots or spaces.
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i
// Control characters (C0, DEL, C1), the bidirectional controls that can make `evil\u202Etxt.exe`
// display as `evilexe.txt`, and what Windows forbids in names.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/g
const encoder = new TextEncoder()

const byteLength = (s: string): number => encoder.encode(s).length

/** Cuts `s` to at most `max` UTF-8 bytes without splitting a code point. */
const truncateBytes = (s: string, max: number): string => {
  if (byteLength(s) <= max) return s
  let out = ''
  let bytes = 0
  for (const ch of s) {
    const n = byteLength(ch)
    if (bytes + n > max) break
    out += ch
    bytes += n
  }
  return out
}

/** `[stem, extension]`; the extension keeps its dot and is only taken when short and not the whole name. */
const splitExtension = (name: string): [string, string] => {
  const dot = name.lastIndexOf('.')
  if (dot <= 0 || name.length - dot > 32) return [name, '']
  return [name.slice(0, dot), name.slice(dot)]
}

/** Whether Windows takes `name` for a device: it only looks before the first dot, trailing spaces ignored. */
const isReserved = (name: string): boolean =>
  RESERVED.test((name.split('.')[0] ?? '').replace(/[. ]+$/, ''))

const fitUnchecked = (stem: string, extension: string, suffix: string): string => {
  const room = MAX_FILE_NAME_BYTES - byteLength(extension) - byteLength(suffix)
  const cut = truncateBytes(stem, Math.max(1, room)).replace(/[. ]+$/, '')
  return `${cut === '' ? 'file' : cut}${suffix}${extension}`
}

/**
 * The name within 255 bytes. The device-name check runs on the result, since trimming the stem
 * (`CON .txt` to `CON.txt`) or cutting a long one can produce a device name.
 */
const fit = (stem: string, extension: string, suffix: string): string => {
  const out = fitUnchecked(stem, extension, suffix)
  return isReserved(out) ? fitUnchecked(`_${stem}`, extension, suffix) : out
}

/**
 * A file name that is safe to create inside a folder on any common system: only the last path
 * segment is kept (so `../x` and `/etc/passwd` lose their folders), control characters and
 * `<>:"|?*` become `_`, and so do the Unicode bidirectional controls (which can disguise an
 * extension), leading and trailing dots and spaces go, Windows' reserved device names (`CON`,
 * `NUL`, `COM1`, `CONIN$`, ..., in any case, with any extension) get a `_` prefix, and the result is at most 255 UTF-8 bytes, the
 * extension kept. An empty result becomes `file`.
 *
 * @example
 * import { sanitizeFileName } from '@org/file-events-stream'
 * sanitizeFileName('../../etc/passwd') // 'passwd'
 * sanitizeFileName('CON.txt') // '_CON.txt'
 *
 * @category files
 * @since 0.1.0
 */
export const sanitizeFileName = (name: string): string => {
  const segments = name.split(/[/\\]+/).filter((s) => s !== '' && s !== '.' && s !== '..')
  let base = (segments[segments.length - 1] ?? '').replace(FORBIDDEN, '_')
  base = base.replace(/^[. ]+/, '').replace(/[. ]+$/, '')
  if (base === '') return 'file'
  const [stem, extension] = splitExtension(base)
  return fit(stem, extension, '')
}

/**
 * The `n`-th alternative of a sanitized name on collision: `name (n).ext`, still within 255 bytes.
 *
 * @category files
 * @since 0.1.0
 */
export const numberedFileName = (safeName: string, n: number): string => {
  if (n <= 0) return safeName
  const [stem, extension] = splitExtension(safeName)
  return fit(stem, extension, ` (${n})`)
}
