import { cpus } from 'node:os'
import type { FleetResult } from './fleet'
import {
  COLLIDING_IDS_TARGET,
  type CollidingIdsResult,
  HOSTILE_HEAP_TARGET,
  HOSTILE_TIME_TARGET,
  type HostileFrameRow,
} from './hostile'
import type { ReferenceKey } from './referenceClients'
import type { BundleKey, BundleSize } from './bundles'
import type { SparseFleetResult } from './sparseFleet'

export type RatioKey =
  'decodeFileRequestStatusChanged' | 'decodeMixed' | 'streamEndToEnd' | 'sparseFleet'
export const RATIO_KEYS: ReadonlyArray<RatioKey> = [
  'decodeFileRequestStatusChanged',
  'decodeMixed',
  'streamEndToEnd',
  'sparseFleet',
]

/** A fleet size that could not be measured, and why (a limit of the machine, a timeout). */
export interface FleetFailure {
  readonly rooms: number
  readonly error: string
}

/** What `bench/results/latest.json` holds. Sections a partial run (`--only`) skipped are absent. */
export interface BenchResults {
  readonly date: string
  readonly machine: {
    readonly cpu: string
    readonly cores: number
    readonly node: string
    readonly platform: string
  }
  /** Throughput as a share of the baseline measured in the same rounds (`JSON.parse`, or a raw `ws` client). */
  readonly ratios?: Partial<Record<RatioKey, number>>
  /** The same shares for each peer, on the same corpora and baselines. */
  readonly peers?: Readonly<Record<string, Partial<Record<RatioKey, number>>>>
  /**
   * End to end, the shares of raw clients that validate with the codec (and keep a `Map`), from
   * the same rounds: references that say what the stream's snapshots, redaction and outputs cost.
   */
  readonly references?: Partial<Record<ReferenceKey, number>>
  readonly memory?: {
    readonly bytesPerActiveRequest: number
    readonly bytesPerActiveRequestWithStrings: number
    /** (last tenth - first tenth) / first tenth of the heap under churn. */
    readonly churnGrowth: number
  }
  /** Small inputs that cost a lot: hostile frames under the size cap, ids chosen to collide. */
  readonly hostile?: {
    readonly frames: ReadonlyArray<HostileFrameRow>
    readonly collidingIds: CollidingIdsResult
  }
  /**
   * The sparse fleet: CPU per event of each client kind, and the shares of the raw fleet's events
   * per CPU second (`ratios.sparseFleet` is the stream's).
   */
  readonly sparseFleet?: SparseFleetResult
  /** Browser bundles of what a user imports (esbuild, minified), in bytes. */
  readonly bundles?: Readonly<Record<BundleKey, BundleSize>>
  /** The fleet at the size the targets name (1,000 rooms), or the largest measured. */
  readonly fleet?: FleetResult
  /** Every fleet size measured in the run, smallest first. */
  readonly fleetSizes?: ReadonlyArray<FleetResult | FleetFailure>
}

export const machine = (): BenchResults['machine'] => ({
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: cpus().length,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
})

export interface TargetCheck {
  readonly what: string
  readonly target: string
  readonly measured: string
  readonly pass: boolean
}

export const FLEET_TARGET_ROOMS = 1_000
/** A fleet this large, started together on one machine, is a herd: all ready within `HERD_TARGET_MS`. */
export const HERD_TARGET_ROOMS = 10_000
export const HERD_TARGET_MS = 30_000
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`

/** The design's bundle budgets, in bytes (KB read as KiB). */
export const BUNDLE_BUDGETS = {
  connectRoom: { what: '`connectRoom` + `ofEvent`', bytes: 60 * 1024, gzipBytes: 20 * 1024 },
  codecHelper: { what: 'one codec helper (`timestampToDate`)', bytes: 3 * 1024 },
  decodeRoomMessage: { what: '`decodeRoomMessage` alone', bytes: Math.round(28.6 * 1024) },
} as const

/**
 * Every target of the design that the results measure, with its verdict. A section the run did
 * not measure yields no check; `--check` fails on any check that does not pass.
 */
export const checkTargets = (r: BenchResults): TargetCheck[] => {
  const checks: TargetCheck[] = []
  const ratio = (key: RatioKey, what: string, min: number): void => {
    const x = r.ratios?.[key]
    if (x !== undefined)
      checks.push({ what, target: `>= ${min * 100} %`, measured: pct(x), pass: x >= min })
  }
  ratio('decodeFileRequestStatusChanged', 'decode `fileRequestStatusChanged` vs `JSON.parse`', 0.8)
  ratio('decodeMixed', 'decode mixed events vs `JSON.parse`', 0.75)
  ratio('streamEndToEnd', 'stream end to end vs raw `ws` client', 0.7)
  ratio('sparseFleet', 'sparse fleet: events per CPU second vs a raw `ws` fleet', 0.75)
  const b = r.bundles
  if (b !== undefined) {
    const budget = (key: BundleKey, what: string, bytes: number, gzipBytes?: number): void => {
      const size = b[key]
      checks.push({
        what: `browser bundle, ${what}`,
        target:
          `<= ${kib(bytes)}` + (gzipBytes === undefined ? '' : ` (${kib(gzipBytes)} gzipped)`),
        measured:
          `${kib(size.bytes)}` + (gzipBytes === undefined ? '' : ` (${kib(size.gzipBytes)})`),
        pass: size.bytes <= bytes && (gzipBytes === undefined || size.gzipBytes <= gzipBytes),
      })
    }
    for (const [key, limit] of Object.entries(BUNDLE_BUDGETS) as Array<
      [keyof typeof BUNDLE_BUDGETS, (typeof BUNDLE_BUDGETS)[keyof typeof BUNDLE_BUDGETS]]
    >)
      budget(key, limit.what, limit.bytes, 'gzipBytes' in limit ? limit.gzipBytes : undefined)
  }
  if (r.memory !== undefined) {
    const { bytesPerActiveRequest: b, churnGrowth: g } = r.memory
    checks.push({
      what: 'heap per tracked active request',
      target: '<= 200 B',
      measured: `${b.toFixed(0)} B`,
      pass: b <= 200,
    })
    checks.push({
      what: 'heap under 10 M events of churn',
      target: 'within 10 %',
      measured: pct(g),
      pass: Math.abs(g) <= 0.1,
    })
  }
  if (r.hostile !== undefined) {
    const worst = (key: 'timeRatio' | 'heapRatio'): HostileFrameRow | undefined =>
      r.hostile?.frames.reduce<HostileFrameRow | undefined>(
        (a, b) => (a === undefined || b[key] > a[key] ? b : a),
        undefined,
      )
    const slow = worst('timeRatio')
    if (slow !== undefined)
      checks.push({
        what: 'hostile frames: decode time vs `JSON.parse` of the frame (worst shape)',
        target: `<= ${HOSTILE_TIME_TARGET}x`,
        measured: `${slow.timeRatio.toFixed(2)}x (${slow.shape})`,
        pass: slow.timeRatio <= HOSTILE_TIME_TARGET,
      })
    const big = worst('heapRatio')
    if (big !== undefined)
      checks.push({
        what: 'hostile frames: heap a decode allocates beyond `JSON.parse`, per byte of frame (worst shape)',
        target: `<= ${HOSTILE_HEAP_TARGET}x`,
        measured: `${big.heapRatio.toFixed(2)}x (${big.shape})`,
        pass: big.heapRatio <= HOSTILE_HEAP_TARGET,
      })
    const c = r.hostile.collidingIds
    checks.push({
      what: `${c.ids.toLocaleString('en')} ids chosen to collide: tracker time vs ordinary ids`,
      target: `<= ${COLLIDING_IDS_TARGET}x`,
      measured: `${c.ratio.toFixed(2)}x (${c.collidingMs.toFixed(0)} vs ${c.ordinaryMs.toFixed(0)} ms)`,
      pass: c.ratio <= COLLIDING_IDS_TARGET,
    })
  }
  for (const key of RATIO_KEYS) {
    const own = r.ratios?.[key]
    const rivals = Object.entries(r.peers ?? {}).flatMap(([peer, ratios]) =>
      ratios[key] === undefined ? [] : [[peer, ratios[key]] as const],
    )
    if (own === undefined || rivals.length === 0) continue
    const [best, bestRatio] = rivals.reduce((a, b) => (b[1] > a[1] ? b : a))
    checks.push({
      what: `\`${key}\`: the project ahead of every peer`,
      target: 'ahead',
      measured: `${pct(own)} vs best peer ${best} ${pct(bestRatio)}`,
      pass: own > bestRatio,
    })
  }
  const f = r.fleet
  if (f !== undefined && f.rooms >= FLEET_TARGET_ROOMS) {
    const rooms = f.rooms.toLocaleString('en')
    checks.push({
      what: `fleet of ${rooms} rooms: all ready`,
      target: '<= 5 s',
      measured: `${(f.readyMs / 1000).toFixed(2)} s`,
      pass: f.readyMs <= 5_000,
    })
    checks.push({
      what: `fleet of ${rooms} rooms: heap per idle room`,
      target: '<= 40 KiB',
      measured: `${(f.heapBytesPerRoom / 1024).toFixed(1)} KiB`,
      pass: f.heapBytesPerRoom <= 40 * 1024,
    })
    checks.push({
      what: `fleet of ${rooms} rooms: idle CPU over a keep-alive period`,
      target: '< 2 % of a core',
      measured: pct(f.idleCpuShare),
      pass: f.idleCpuShare < 0.02,
    })
  }
  // A herd: the largest fleet measured, when it has 10,000 rooms or more.
  const herd = r.fleetSizes
    ?.filter((x): x is FleetResult => !isFleetFailure(x))
    .reduce<FleetResult | undefined>(
      (a, x) => (a === undefined || x.rooms > a.rooms ? x : a),
      undefined,
    )
  if (herd !== undefined && herd.rooms >= HERD_TARGET_ROOMS) {
    const rooms = herd.rooms.toLocaleString('en')
    const within = (what: string, ms: number): void => {
      checks.push({
        what: `fleet of ${rooms} rooms: ${what}`,
        target: `<= ${HERD_TARGET_MS / 1000} s`,
        measured: `${(ms / 1000).toFixed(2)} s`,
        pass: ms <= HERD_TARGET_MS,
      })
    }
    within('all ready, started together', herd.readyMs)
    within('all ready again after a mass drop', herd.reconnect.readyAgainMs)
    if (herd.timedOutAttempts !== undefined)
      checks.push({
        what: `fleet of ${rooms} rooms: attempts that timed out`,
        target: '0',
        measured: herd.timedOutAttempts.toLocaleString('en'),
        pass: herd.timedOutAttempts === 0,
      })
  }
  return checks
}

export const isFleetFailure = (f: FleetResult | FleetFailure): f is FleetFailure => 'error' in f
