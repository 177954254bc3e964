import * as t from 'io-ts'
import { type Scenario, resolveScenario } from '../Scenario'
import { DEFAULT_SIMULATOR_OPTIONS, type RoomSimulatorOptions } from '../types'
import { checkArgument, closed, described, numberIn } from './checks'
import { FileSizeField, Milliseconds, PositiveCount, Text, isHttpOrigin } from './fields'

const Port = numberIn('Port', 0, 65535, 'a port: an integer 0..65535', true)
/** The PIN is a secret: its failure never prints the value received. */
const Pin = new t.Type<string, string, unknown>(
  'PIN',
  (u): u is string => typeof u === 'string' && u.length > 0,
  (u, c) =>
    typeof u === 'string' && u.length > 0
      ? t.success(u)
      : t.failure(
          u,
          c,
          `expected a non-empty string, received ${typeof u === 'string' ? 'an empty string' : `a value of type ${u === null ? 'null' : typeof u}`}`,
        ),
  t.identity,
)
const CorsOrigin = described(
  'CorsOrigin',
  (u): u is string => u === '*' || isHttpOrigin(u),
  "an origin such as 'http://localhost:5173' (scheme, host, port; no path) or '*'",
  false,
)
const Bool = described('boolean', (u): u is boolean => typeof u === 'boolean', 'a boolean', false)
/** A timer's delay: Node's timers take at most 2^31 - 1 ms (about 24.8 days). */
const TimeoutMs = numberIn(
  'TimeoutMs',
  1,
  2 ** 31 - 1,
  'milliseconds: an integer 1..2147483647',
  true,
)
const PositiveBytes = numberIn(
  'Bytes',
  1,
  Number.MAX_SAFE_INTEGER,
  'a number of bytes: an integer >= 1',
  true,
)

const Options = closed(
  'options',
  {},
  {
    host: Text,
    webPort: Port,
    wsPort: Port,
    httpPort: Port,
    pin: Pin,
    scenario: t.unknown,
    seed: numberIn('Seed', -Number.MAX_VALUE, Number.MAX_VALUE, 'a seed: a finite number'),
    timeScale: numberIn('TimeScale', 0, Infinity, 'a time scale: a finite number >= 0'),
    maxUploadBytes: FileSizeField,
    maxStorageBytes: FileSizeField,
    maxClientBufferedBytes: PositiveBytes,
    corsOrigins: t.readonlyArray(CorsOrigin),
    headersTimeoutMs: TimeoutMs,
    keepAliveTimeoutMs: TimeoutMs,
    authTimeoutMs: TimeoutMs,
    maxAuthFailures: PositiveCount,
    authAttemptsPerSecond: PositiveCount,
    tokenTtlMs: Milliseconds,
    storageDir: Text,
    anyWebSocketOrigin: Bool,
    autoAcceptOutgoing: Bool,
    conferenceId: Text,
    log: described(
      'function',
      (u): u is (line: string) => void => typeof u === 'function',
      'a function (line: string) => void',
      false,
    ),
  },
)

/** The options with every default filled in, the scenario resolved. */
export type ResolvedOptions = Omit<
  Required<RoomSimulatorOptions>,
  'pin' | 'scenario' | 'storageDir'
> & {
  readonly pin: string | undefined
  readonly scenario: Scenario | undefined
  readonly storageDir: string | undefined
}

/** The `scenario` option resolved, or refused like every other option: a `TypeError` naming it. */
const scenarioOption = (input: NonNullable<RoomSimulatorOptions['scenario']>): Scenario => {
  try {
    return resolveScenario(input)
  } catch (error) {
    throw new TypeError(
      `room-simulator: startRoomSimulator: options.scenario: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
}

/** Checks the options (a `TypeError` or `RangeError` naming the option) and fills in the defaults. */
export const resolveOptions = (options: RoomSimulatorOptions): ResolvedOptions => {
  checkArgument('startRoomSimulator', 'options', Options, options)
  // An option set to undefined means its default, as when it is absent.
  const given = Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as RoomSimulatorOptions
  return {
    ...DEFAULT_SIMULATOR_OPTIONS,
    log: () => undefined,
    ...given,
    pin: given.pin,
    scenario: given.scenario === undefined ? undefined : scenarioOption(given.scenario),
    storageDir: given.storageDir,
  }
}
