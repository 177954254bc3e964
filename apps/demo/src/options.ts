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
  --stay               keep running after the embedded scenario has finished
  --max-seconds N      stop after N seconds (exit code 1 if the room never answered by then)
  -h, --help           this text

Exit codes: 0 done (the scenario played out, --max-seconds, Ctrl-C, or the output was closed);
1 the room refused the PIN, could not be reached, never answered by --max-seconds, or failed for
good; 2 a bad option, --scenario or --download-dir. An error is one line on stderr (a bad
flag also gets this text).
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

export const parseDemoArgs = (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>>,
): DemoOptions => {
  const { values } = parseArgs({
    args: [...argv].filter((a) => a !== '--'),
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
      stay: { type: 'boolean', default: false },
      'max-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  })
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
    stay: values.stay === true,
    maxSeconds:
      values['max-seconds'] !== undefined
        ? number('max-seconds', values['max-seconds'], 0)
        : undefined,
    help: values.help === true,
  }
}
