// What the demo checks and starts before it runs: the scenario, the download folder, the room.
import { randomInt } from 'node:crypto'
import { constants as fsConstants } from 'node:fs'
import { access, mkdir, readFile, stat } from 'node:fs/promises'
import { sep } from 'node:path'
import {
  PRESET_NAMES,
  parseScenarioValue,
  type RoomSimulator,
  type ScenarioInput,
  startRoomSimulator,
} from '@org/room-simulator'
import type { DemoOptions } from './options'
import { messageOf } from './presentation'
import { printable } from './render'

/** A bad `--scenario` or `--download-dir`: one line and exit code 2. */
export class SetupError extends Error {}

const isFile = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  )

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

/**
 * `--scenario`: a JSON file when a file exists at that path or the value looks like a path (has a
 * path separator), whatever its name ends with; else a preset name.
 */
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
      `--scenario ${shown}: cannot read it (${code === 'ENOENT' ? 'no such file' : (code ?? messageOf(error))})`,
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new SetupError(`--scenario ${shown}: not valid JSON (${messageOf(error)})`)
  }
  try {
    return parseScenarioValue(json)
  } catch (error) {
    throw new SetupError(`--scenario ${shown}: ${messageOf(error)}`)
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
            : (code ?? messageOf(error))
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
