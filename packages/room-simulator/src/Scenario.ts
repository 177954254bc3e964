import * as t from 'io-ts'
import { formatDecodeErrors } from '@org/file-events-codec'
import type { Fault } from './Fault'
import { closed, described, named, oneActionOf, taggedBy } from './internal/checks'
import {
  HostName,
  HttpOrigin,
  AvailabilityField,
  CloseCode,
  Count,
  FileSizeField,
  Milliseconds,
  PositiveCount,
  Probability,
  Rate,
  Text,
  offerProps,
  timingProps,
} from './internal/fields'

/**
 * How a transfer is timed: `speed` in bytes per second or `durationMs`; `failAtPercent` ends it
 * with status 0; progress events come every `progressStep` percent (1..100, default 20).
 *
 * @category scenario
 * @since 0.1.0
 */
export const TransferTiming = t.partial(timingProps, 'TransferTiming')
/** @category scenario @since 0.1.0 */
export type TransferTiming = t.TypeOf<typeof TransferTiming>

const MalformedKind = t.keyof({ json: null, schema: null, oversized: null }, 'MalformedFrameKind')

/**
 * A fault as scenario JSON ({@link Fault}), also what `injectFault` checks. The `type` picks the
 * fault: an unknown `type` or an unknown key is an error naming its path.
 *
 * @category scenario
 * @since 0.1.0
 */
export const FaultCodec: t.Type<Fault, Fault, unknown> = taggedBy<Fault>('Fault', 'type', {
  closeAfterMessages: closed(
    'closeAfterMessages',
    { type: t.literal('closeAfterMessages'), count: PositiveCount },
    { code: CloseCode },
  ),
  randomClose: closed(
    'randomClose',
    { type: t.literal('randomClose'), probability: Probability },
    {},
  ),
  malformedFrames: closed(
    'malformedFrames',
    { type: t.literal('malformedFrames') },
    { probability: Probability, kinds: t.array(MalformedKind), oversizedBytes: PositiveCount },
  ),
  duplicateEvents: closed(
    'duplicateEvents',
    { type: t.literal('duplicateEvents') },
    { probability: Probability },
  ),
  reorderEvents: closed(
    'reorderEvents',
    { type: t.literal('reorderEvents') },
    { probability: Probability },
  ),
  stallReplies: closed(
    'stallReplies',
    { type: t.literal('stallReplies'), durationMs: Milliseconds },
    {},
  ),
  hangDiscovery: closed('hangDiscovery', { type: t.literal('hangDiscovery') }, {}),
  oversizedConfig: closed(
    'oversizedConfig',
    { type: t.literal('oversizedConfig') },
    {
      bytes: PositiveCount,
      declareLength: described(
        'boolean',
        (u): u is boolean => typeof u === 'boolean',
        'a boolean',
        false,
      ),
    },
  ),
  configOtherHost: closed(
    'configOtherHost',
    { type: t.literal('configOtherHost') },
    { hostname: HostName },
  ),
  oversizedFrame: closed(
    'oversizedFrame',
    { type: t.literal('oversizedFrame') },
    { bytes: PositiveCount },
  ),
  dropAfterAuth: closed(
    'dropAfterAuth',
    { type: t.literal('dropAfterAuth') },
    { afterMessages: Count, code: CloseCode },
  ),
  redirectDownloads: closed(
    'redirectDownloads',
    { type: t.literal('redirectDownloads') },
    {
      origin: HttpOrigin,
      status: described(
        'RedirectStatus',
        (u): u is 301 | 302 | 303 | 307 | 308 =>
          u === 301 || u === 302 || u === 303 || u === 307 || u === 308,
        'a redirect status: 301, 302, 303, 307 or 308',
        false,
      ),
    },
  ),
})

const OfferStep = closed(
  'OfferStep',
  { at: Milliseconds, offer: closed('offer', { fileName: Text }, { data: Text, ...offerProps }) },
  {
    then: t.keyof({ accept: null, reject: null, wait: null }, "'accept' | 'reject' | 'wait'"),
    thenAfterMs: Milliseconds,
  },
)
const SendStep = closed(
  'SendStep',
  {
    at: Milliseconds,
    send: closed(
      'send',
      { fileName: Text, to: Text },
      { size: FileSizeField, data: Text, ...timingProps },
    ),
  },
  {},
)
const AvailabilityStep = closed(
  'AvailabilityStep',
  { at: Milliseconds, availability: AvailabilityField },
  {},
)
const FaultStep = closed('FaultStep', { at: Milliseconds, fault: FaultCodec }, {})
const ClearFaultsStep = closed(
  'ClearFaultsStep',
  { at: Milliseconds, clearFaults: t.literal(true) },
  {},
)
const DisconnectStep = closed(
  'DisconnectStep',
  { at: Milliseconds, disconnect: closed('disconnect', {}, { code: CloseCode }) },
  {},
)

/** @category scenario @since 0.1.0 */
export type ScenarioStep =
  | t.TypeOf<typeof OfferStep>
  | t.TypeOf<typeof SendStep>
  | t.TypeOf<typeof AvailabilityStep>
  | t.TypeOf<typeof FaultStep>
  | t.TypeOf<typeof ClearFaultsStep>
  | t.TypeOf<typeof DisconnectStep>

/**
 * One timed step; `at` is milliseconds from the scenario's start (scaled by `timeScale`). A step has
 * exactly one action key (`offer`, `send`, `availability`, `fault`, `clearFaults`, `disconnect`);
 * errors are reported for that action only, and an unknown key is an error.
 *
 * @category scenario
 * @since 0.1.0
 */
export const ScenarioStep: t.Type<ScenarioStep, ScenarioStep, unknown> = oneActionOf<ScenarioStep>(
  'ScenarioStep',
  {
    offer: OfferStep,
    send: SendStep,
    availability: AvailabilityStep,
    fault: FaultStep,
    clearFaults: ClearFaultsStep,
    disconnect: DisconnectStep,
  },
)

/**
 * A scenario: timed steps, run from the moment the first client has authenticated.
 *
 * @category scenario
 * @since 0.1.0
 */
export const Scenario = closed('Scenario', { steps: t.array(ScenarioStep) }, { name: Text })
/** @category scenario @since 0.1.0 */
export type Scenario = t.TypeOf<typeof Scenario>

const DemoRef = closed('PresetRef', { preset: t.literal('demo') }, {})
const LoadRef = closed(
  'PresetRef',
  { preset: t.literal('load') },
  { rate: Rate, transfers: Count, size: FileSizeField },
)

/** @category scenario @since 0.1.0 */
export type PresetRef = t.TypeOf<typeof DemoRef> | t.TypeOf<typeof LoadRef>

/**
 * A preset by reference, with the `load` preset's knobs: `rate` (events per second, default 1000),
 * `transfers` (an integer, default 1000), `size` (bytes per file, default 4096).
 *
 * @category scenario
 * @since 0.1.0
 */
export const PresetRef: t.Type<PresetRef, PresetRef, unknown> = taggedBy<PresetRef>(
  'PresetRef',
  'preset',
  {
    demo: DemoRef,
    load: LoadRef,
  },
)

/** @category scenario @since 0.1.0 */
export type ScenarioInput = Scenario | PresetRef

/**
 * What a simulator accepts as a scenario: an object with `preset` is a {@link PresetRef}, any
 * other a {@link Scenario}; errors are reported for that one only.
 *
 * @category scenario
 * @since 0.1.0
 */
export const ScenarioInput: t.Type<ScenarioInput, ScenarioInput, unknown> = new t.Type<
  ScenarioInput,
  ScenarioInput,
  unknown
>(
  'ScenarioInput',
  (u): u is ScenarioInput => PresetRef.is(u) || Scenario.is(u),
  (u, c) =>
    typeof u === 'object' && u !== null && Object.hasOwn(u, 'preset')
      ? PresetRef.validate(u, c)
      : Scenario.validate(u, c),
  t.identity,
)

/**
 * Names of the built-in presets.
 *
 * @category scenario
 * @since 0.1.0
 */
export const PRESET_NAMES = ['demo', 'load'] as const

/**
 * The `demo` preset: inbound transfers (one accepted, one rejected, one failing at 40 %, one left
 * waiting for a client), outbound ones to a peer and to the conference (one failing at 60 %), and an
 * availability dip. Accepts come from the scenario, so it runs with nobody at the keyboard.
 *
 * @category scenario
 * @since 0.1.0
 */
export const demoScenario = (): Scenario => ({
  name: 'demo',
  steps: [
    {
      at: 200,
      offer: {
        fileName: 'report.pdf',
        size: 200_000,
        peerId: 'alice@simulator.local',
        peerDn: 'Alice',
      },
      then: 'accept',
      thenAfterMs: 400,
    },
    {
      at: 700,
      offer: {
        fileName: 'holiday.jpg',
        size: 50_000,
        peerId: 'bob@simulator.local',
        peerDn: 'Bob',
      },
      then: 'reject',
      thenAfterMs: 400,
    },
    {
      at: 1200,
      send: { fileName: 'notes.txt', size: 12_000, to: 'carol@simulator.local', durationMs: 800 },
    },
    {
      at: 1800,
      offer: {
        fileName: 'backup.iso',
        size: 2_000_000,
        peerId: 'dave@simulator.local',
        peerDn: 'Dave',
        failAtPercent: 40,
        durationMs: 2000,
      },
      then: 'accept',
      thenAfterMs: 300,
    },
    {
      at: 2600,
      send: { fileName: 'slides.pptx', size: 300_000, to: 'conference', durationMs: 1500 },
    },
    {
      at: 3200,
      send: {
        fileName: 'video.mp4',
        size: 900_000,
        to: 'erin@simulator.local',
        failAtPercent: 60,
        durationMs: 1500,
      },
    },
    { at: 4000, availability: 2 },
    { at: 4600, availability: 3 },
    {
      at: 5000,
      offer: {
        fileName: 'agenda.docx',
        size: 30_000,
        peerId: 'frank@simulator.local',
        peerDn: 'Frank',
      },
      then: 'wait',
    },
  ],
})

/**
 * The `load` preset: `transfers` transfers (inbound accepted and outbound alternating) paced so the
 * room emits about `rate` events per second.
 *
 * @category scenario
 * @since 0.1.0
 */
export const loadScenario = (
  options: { rate?: number; transfers?: number; size?: number } = {},
): Scenario => {
  const rate = options.rate ?? 1000
  const transfers = options.transfers ?? 1000
  const size = options.size ?? 4096
  // Inbound accepted: 8 events (received, 1, accepted, 2, progress 0/50/100, 3); outbound: 7.
  const perTransfer = 7.5
  const interval = (perTransfer * 1000) / rate
  const durationMs = interval * 4
  const steps: ScenarioStep[] = []
  for (let i = 0; i < transfers; i++) {
    const at = i * interval
    steps.push(
      i % 2 === 0
        ? {
            at,
            offer: {
              fileName: `load-${i}.bin`,
              size,
              peerId: `peer${i % 16}@simulator.local`,
              durationMs,
              progressStep: 50,
            },
            then: 'accept',
            thenAfterMs: 0,
          }
        : {
            at,
            send: {
              fileName: `load-${i}.bin`,
              size,
              to: `peer${i % 16}@simulator.local`,
              durationMs,
              progressStep: 50,
            },
          },
    )
  }
  return { name: 'load', steps }
}

/**
 * Turns an option value into a scenario: a preset name, a preset reference or a scenario.
 * Throws an `Error` naming the problem for an unknown preset or an invalid scenario.
 *
 * @category scenario
 * @since 0.1.0
 */
export const resolveScenario = (input: ScenarioInput | string): Scenario => {
  if (typeof input === 'string') {
    if (input === 'demo') return demoScenario()
    if (input === 'load') return loadScenario()
    throw new Error(`unknown scenario preset "${input}" (presets: ${PRESET_NAMES.join(', ')})`)
  }
  const checked = parseScenarioValue(input)
  if ('preset' in checked) return checked.preset === 'demo' ? demoScenario() : loadScenario(checked)
  return checked
}

/**
 * Validates a scenario value (for example parsed JSON). Throws an `Error` whose message lists the
 * problems (at most five) with their paths; an unknown key and a step with more than one action are
 * problems.
 *
 * @category scenario
 * @since 0.1.0
 */
export const parseScenarioValue = (value: unknown): ScenarioInput => {
  const decoded = named(ScenarioInput, 'scenario').decode(value)
  if (decoded._tag === 'Right') return decoded.right
  throw new Error(`invalid scenario: ${formatDecodeErrors(decoded.left).slice(0, 5).join('; ')}`)
}

/**
 * Parses scenario JSON text. Throws an `Error` naming the problem.
 *
 * @category scenario
 * @since 0.1.0
 */
export const parseScenario = (json: string): ScenarioInput => {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    throw new Error(
      `invalid scenario JSON: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  return parseScenarioValue(value)
}
