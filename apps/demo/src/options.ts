import { parseArgs } from 'node:util'

export interface DemoOptions {
  /** A real room's host; absent = run an embedded simulator. */
  readonly host: string | undefined
  readonly webPort: number
  readonly pin: string | undefined
  readonly scenario: string
  readonly seed: number
  readonly timeScale: number
  readonly downloadDir: string | undefined
  /** Accept inbound requests still waiting after this many ms; undefined = never. */
  readonly acceptAfterMs: number | undefined
  /** Reconnect attempts in a row before the demo gives up (`connectRoom`'s `maxRetries`). */
  readonly maxRetries: number
  readonly plain: boolean
  /** Serve the live dashboard to a browser instead of drawing on the terminal. */
  readonly web: boolean
  /** With `web`: the dashboard's port on 127.0.0.1; 0 picks a free one. */
  readonly port: number
  readonly stay: boolean
  readonly maxSeconds: number | undefined
  readonly help: boolean
}

export const USAGE = `room-files-demo: a live view of TrueConf Room file transfers

Usage:
  npm run demo                               an embedded simulator plays the 'demo' scenario
  npm run demo -- --host 10.0.0.5 --web-port 80   watch a real room (PIN from ROOM_PIN or --pin)

Options:
  --host HOST          a real room's address (default: start an embedded simulator)
  --web-port PORT      the room's web port, for discovery (default 80)
  --pin PIN            the room's PIN (prefer the ROOM_PIN environment variable); with the
                       embedded simulator, its PIN (default: a random one)
  --scenario NAME|FILE embedded simulator scenario: a preset (demo, load) or a JSON file, read as
                       a file when one exists at that path or the value holds a '/' (default demo)
  --seed N             embedded simulator seed (default 1)
  --time-scale X       embedded simulator speed factor; 0.5 = twice as fast (default 1)
  --download-dir DIR   save received files here, created if missing when its parent exists
                       (default: a new temporary folder)
  --accept-after MS    accept inbound requests nobody handled within MS (default 2000 with the
                       simulator, where it is scaled by --time-scale like every delay but not
                       below 500; off with a real room)
  --max-retries N      failed reconnects in a row before giving up with exit code 1 (default 5)
  --plain              print one line per event instead of redrawing the screen
  --web                serve a live dashboard on 127.0.0.1 and print its URL, with the page's
                       secret (the page runs the stream package in the browser; runs until
                       Ctrl-C or --max-seconds); with the 'demo' scenario, the embedded room
                       goes on after it with new transfers, for hours
  --port PORT          with --web: the dashboard's port, for a stable URL (default: any free one)
  --stay               keep running after the embedded scenario has finished
  --max-seconds N      stop after N seconds (exit code 1 if the room never answered by then)
  -h, --help           this text

Exit codes: 0 done (the scenario played out, --max-seconds, Ctrl-C, or the output was closed);
1 the room refused the PIN, could not be reached, never answered by --max-seconds, or failed for
good; 2 a bad option, --scenario or --download-dir. An error is one line on stderr; for a bad
option it points here (--help).
`

const number = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--${name} must be a non-negative number, got ${JSON.stringify(value)}`)
  return n
}

const integer = (name: string, value: string | undefined, fallback: number): number => {
  const n = number(name, value, fallback)
  if (!Number.isInteger(n))
    throw new Error(`--${name} must be a whole number, got ${JSON.stringify(value)}`)
  return n
}

/** The options that take a value: `--time-scale -1` is that option's (bad) value, not a flag. */
const VALUED = new Set([
  '--host',
  '--web-port',
  '--pin',
  '--scenario',
  '--seed',
  '--time-scale',
  '--download-dir',
  '--accept-after',
  '--max-retries',
  '--max-seconds',
  '--port',
])

/**
 * Node's parser messages in this CLI's words (`Unknown option '--x'. To specify a positional
 * argument ...` becomes `unknown option --x`), so every usage error reads the same.
 */
const usageMessage = (error: unknown): string => {
  const code = (error as { code?: string }).code
  const message = error instanceof Error ? error.message : String(error)
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? ''
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return `unknown option ${option} (--help lists the options)`
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${option} needs a value`
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return `unexpected argument ${message.replace(/^[^']*'([^']*)'.*$/s, '"$1"')} (--help lists the options)`
  return message
}

export const parseDemoArgs = (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>>,
): DemoOptions => {
  const args: string[] = []
  for (const a of argv.filter((x) => x !== '--')) {
    const last = args.at(-1)
    // A value that starts with a dash goes with its option, so that the value is what gets judged.
    if (last !== undefined && VALUED.has(last) && /^-[\d.]/.test(a))
      args[args.length - 1] = `${last}=${a}`
    else args.push(a)
  }
  let parsed
  try {
    parsed = parse(args)
  } catch (error) {
    throw new Error(usageMessage(error))
  }
  return fromValues(parsed.values, env)
}

const parse = (args: string[]) =>
  parseArgs({
    args,
    options: {
      host: { type: 'string' },
      'web-port': { type: 'string' },
      pin: { type: 'string' },
      scenario: { type: 'string' },
      seed: { type: 'string' },
      'time-scale': { type: 'string' },
      'download-dir': { type: 'string' },
      'accept-after': { type: 'string' },
      'max-retries': { type: 'string' },
      plain: { type: 'boolean', default: false },
      web: { type: 'boolean', default: false },
      port: { type: 'string' },
      stay: { type: 'boolean', default: false },
      'max-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  })

const fromValues = (
  values: ReturnType<typeof parse>['values'],
  env: Readonly<Record<string, string | undefined>>,
): DemoOptions => {
  const host = values.host
  // A URL or `host:port` here would be refused by the connection; said now, with this CLI's words.
  if (
    host !== undefined &&
    (host === '' || /[\s/?#@]/.test(host) || /^([^:[\]]+|\[[^\]]*\]):\d*$/.test(host))
  ) {
    throw new Error(
      `--host takes a host name or an IP address (such as 10.0.0.5), not ${JSON.stringify(host.replace(/^([^@]*:\/\/)?[^@/]*@/, '$1***@'))}; the web port goes in --web-port`,
    )
  }
  const webPort = integer('web-port', values['web-port'], 80)
  if (webPort < 1 || webPort > 65535)
    throw new Error(`--web-port must be from 1 to 65535, got ${webPort}`)
  // An empty PIN is a mistake (an unset variable, a missing argument), not a room without one.
  if (values.pin === '')
    throw new Error('--pin is empty: give the PIN, or leave --pin out for a room without one')
  if (values.pin === undefined && env.ROOM_PIN === '')
    throw new Error('ROOM_PIN is empty: set it to the PIN, or unset it for a room without one')
  const port = integer('port', values.port, 0)
  if (port > 65535) throw new Error(`--port must be from 0 to 65535, got ${port}`)
  if (values.port !== undefined && values.web !== true)
    throw new Error("--port is the web dashboard's port: use it with --web")
  const acceptAfter = values['accept-after']
  return {
    host,
    webPort,
    pin: values.pin ?? env.ROOM_PIN,
    scenario: values.scenario ?? 'demo',
    seed: number('seed', values.seed, 1),
    timeScale: number('time-scale', values['time-scale'], 1),
    downloadDir: values['download-dir'],
    acceptAfterMs:
      acceptAfter !== undefined
        ? number('accept-after', acceptAfter, 0)
        : host === undefined
          ? 2000
          : undefined,
    maxRetries: integer('max-retries', values['max-retries'], 5),
    plain: values.plain === true,
    web: values.web === true,
    port,
    stay: values.stay === true,
    maxSeconds:
      values['max-seconds'] !== undefined
        ? number('max-seconds', values['max-seconds'], 0)
        : undefined,
    help: values.help === true,
  }
}
