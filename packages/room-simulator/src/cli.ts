import { readFileSync } from 'node:fs'
import { Command, CommanderError, InvalidArgumentError } from 'commander'
import { PRESET_NAMES, parseScenario } from './Scenario'
import type { ScenarioInput } from './Scenario'
import { startRoomSimulator } from './startRoomSimulator'

const toPort = (value: string): number => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('expected a port number 0..65535')
  return n
}
const toBytes = (value: string): number => {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a number of bytes: an integer >= 1')
  return n
}
const collect = (value: string, previous: string[]): string[] => [...previous, value]
const toNumber = (value: string): number => {
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0')
  return n
}

/** A mistake in the command line or in what it names: exit code 2, like commander's own usage errors. */
class UsageError extends Error {}

const EXIT_USAGE = 2

/** The package's version, read next to the built file (`dist/cli.js` → `package.json`). */
const packageVersion = (): string => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: unknown
    }
    return typeof pkg.version === 'string' ? pkg.version : 'unknown'
  } catch {
    return 'unknown'
  }
}

const loadScenario = (nameOrFile: string): ScenarioInput | string => {
  if ((PRESET_NAMES as ReadonlyArray<string>).includes(nameOrFile)) return nameOrFile
  let text: string
  try {
    text = readFileSync(nameOrFile, 'utf8')
  } catch {
    throw new UsageError(
      `--scenario: "${nameOrFile}" is neither a preset (${PRESET_NAMES.join(', ')}) nor a readable file`,
    )
  }
  try {
    return parseScenario(text)
  } catch (error) {
    throw new UsageError(
      `--scenario ${nameOrFile}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
}

/**
 * The PIN from `--pin`, else from `ROOM_PIN`. An empty one is refused rather than taken as "no PIN",
 * which would start an open room where a protected one was meant.
 */
const pinOf = (option: string | undefined, env: string | undefined): string | undefined => {
  if (option !== undefined) {
    if (option === '')
      throw new UsageError(
        '--pin is empty: give a PIN, or leave out --pin and ROOM_PIN for a room without one',
      )
    return option
  }
  if (env === undefined) return undefined
  if (env === '')
    throw new UsageError(
      'ROOM_PIN is set but empty: give a PIN, or unset ROOM_PIN for a room without one',
    )
  return env
}

const PREFIX = 'room-simulator: '

/** A commander error message (`error: unknown option '--x'`) in the words of the CLI's own errors. */
const usageMessage = (text: string): string => {
  const message = text.trim().replace(/^error: /, '')
  const invalid = /^option '(\S+)[^']*' argument '(.*)' is invalid\. (.*)$/s.exec(message)
  if (invalid) return `${invalid[1]}: ${invalid[3]}, got ${JSON.stringify(invalid[2])}`
  const missing = /^option '(\S+)[^']*' argument missing$/.exec(message)
  if (missing) return `${missing[1]} needs a value`
  const unknown = /^unknown option '([^']*)'/.exec(message)
  if (unknown) return `unknown option ${unknown[1]} (--help lists the options)`
  return message
}

const main = async (): Promise<void> => {
  const program = new Command()
    .name('room-simulator')
    .description('A simulated TrueConf Room (file-transfer API) on real sockets.')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--web-port <port>', 'web server port (config.json); 0 = any free port', toPort, 0)
    .option('--ws-port <port>', 'WebSocket port; 0 = any free port', toPort, 0)
    .option('--http-port <port>', 'HTTP file server port; 0 = any free port', toPort, 0)
    .option(
      '--pin <pin>',
      'PIN for secured auth (default: the ROOM_PIN environment variable; without either, unsecured auth is accepted)',
    )
    .option(
      '--scenario <nameOrFile>',
      `a preset (${PRESET_NAMES.join(', ')}) or a scenario JSON file`,
    )
    .option('--seed <n>', 'seed of every random choice', toNumber, 1)
    .option(
      '--time-scale <factor>',
      'multiplies every scenario delay (0 = back to back)',
      toNumber,
      1,
    )
    .option('--max-upload-bytes <n>', 'uploads above this get HTTP 413', toNumber)
    .option(
      '--max-storage-bytes <n>',
      'storage quota: uploads that would pass it get HTTP 507 (default 256 MiB)',
      toBytes,
    )
    .option(
      '--max-client-buffered-bytes <n>',
      'a WebSocket client with more unsent data is disconnected (default 4 MiB)',
      toBytes,
    )
    .option(
      '--cors-origin <origin>',
      "a page origin allowed by CORS, such as http://localhost:5173, or '*' (repeatable)",
      collect,
      [],
    )
    .option(
      '--any-websocket-origin',
      'the WebSocket accepts every Origin, as a real room is documented to (default: only corsOrigins and non-browser clients)',
    )
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    // Commander's messages in this CLI's one style (`room-simulator: --seed: expected ..., got "x"`,
    // one line, as the demo's); the exit code is set below so that every usage error exits 2.
    .configureOutput({ outputError: (text, write) => write(`${PREFIX}${usageMessage(text)}\n`) })
    .exitOverride()
  // `pnpm start -- --pin 1234` passes the separator through; it would end option parsing.
  const args = process.argv.slice(2)
  if (args[0] === '--') args.shift()
  try {
    program.parse(args, { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE)
    throw error
  }
  const opts = program.opts<{
    host: string
    webPort: number
    wsPort: number
    httpPort: number
    pin?: string
    scenario?: string
    seed: number
    timeScale: number
    maxUploadBytes?: number
    maxStorageBytes?: number
    maxClientBufferedBytes?: number
    corsOrigin: string[]
    anyWebsocketOrigin?: boolean
  }>()

  // A closed stdout or stderr (piped into `head`, say) must neither end the simulator nor skip its
  // clean-up on a signal: what cannot be written is dropped.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined)
  // The environment keeps the PIN off command lines (process lists, shell history, pnpm's banner).
  const pin = pinOf(opts.pin, process.env.ROOM_PIN)
  const log = (line: string): void => {
    process.stderr.write(`room-simulator: ${line}\n`)
  }
  const simulator = await startRoomSimulator({
    host: opts.host,
    webPort: opts.webPort,
    wsPort: opts.wsPort,
    httpPort: opts.httpPort,
    seed: opts.seed,
    timeScale: opts.timeScale,
    log,
    ...(pin !== undefined ? { pin } : {}),
    ...(opts.scenario !== undefined ? { scenario: loadScenario(opts.scenario) } : {}),
    ...(opts.maxUploadBytes !== undefined ? { maxUploadBytes: opts.maxUploadBytes } : {}),
    ...(opts.maxStorageBytes !== undefined ? { maxStorageBytes: opts.maxStorageBytes } : {}),
    ...(opts.maxClientBufferedBytes !== undefined
      ? { maxClientBufferedBytes: opts.maxClientBufferedBytes }
      : {}),
    ...(opts.corsOrigin.length > 0 ? { corsOrigins: opts.corsOrigin } : {}),
    ...(opts.anyWebsocketOrigin === true ? { anyWebSocketOrigin: true } : {}),
  })

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    log(`${signal} received, closing`)
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`close failed: ${error instanceof Error ? error.message : String(error)}`)
        process.exit(1)
      },
    )
  }
  // SIGHUP: the terminal was closed; the temporary folder must go as on Ctrl-C.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => stop(signal))
  // Printed once the handlers are in place: a parent may signal as soon as it reads this line.
  process.stdout.write(`${JSON.stringify(simulator.urls)}\n`)
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error)
  // Errors of startRoomSimulator already name the simulator; the CLI's own do not.
  process.stderr.write(`${message.startsWith(PREFIX) ? '' : PREFIX}${message}\n`)
  // An option value the simulator refuses (TypeError, RangeError) is a usage error too.
  const usage =
    error instanceof UsageError || error instanceof TypeError || error instanceof RangeError
  process.exit(usage ? EXIT_USAGE : 1)
})
