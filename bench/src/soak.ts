import { RoomMessage } from '@org/file-events-codec'
import {
  type Decoded,
  type FileRequestsState,
  decodeFrames,
  exponentialBackoff,
} from '@org/file-events-stream'
import { connectRoom } from '@org/file-events-stream/node'
import { startRoomSimulator } from '@org/room-simulator'
import {
  filter,
  firstValueFrom,
  from,
  lastValueFrom,
  race,
  scan,
  skip,
  skipWhile,
  take,
  timer,
} from 'rxjs'
import { mixedFrames, transferFrames } from './corpus'
import { pick, seededRandom } from './random'

/**
 * The reliability targets at full size (CI runs the same checks smaller):
 * - 1,000,000 random and mutated frames through the `decodeFrames` operator: no throw, no stream
 *   error, every valid frame decoded, every invalid one reported (checked against `JSON.parse` and
 *   io-ts' own `RoomMessage.decode`);
 * - 2,000 transfers through 50 forced disconnects against the simulator: the tracked final states
 *   equal the simulator's ground truth.
 * `node dist/soak.js [frames] [transfers] [disconnects]`
 */

const SAMPLES = [...mixedFrames(2_000, 5), ...transferFrames(2_000, 6)]
const JUNK = [
  '',
  ' ',
  'null',
  '[]',
  '{}',
  '"event"',
  '{"method":"event"}',
  '{"method":"event","event":5}',
  '\u0000',
  '{"a":',
  '1e999',
]
const VALUES: unknown[] = [
  null,
  true,
  -1,
  1.5,
  1e21,
  '',
  'x',
  [],
  {},
  { nested: [1, { a: null }] },
  '\u202e',
  'a'.repeat(300),
]

/** A sample frame changed the way a broken or hostile peer would: edited text or edited JSON. */
export const mutate = (random: () => number): string => {
  const frame = pick(random, SAMPLES)
  const kind = Math.floor(random() * 6)
  if (kind === 0) return frame
  if (kind === 1) {
    // A few characters replaced, inserted or removed anywhere.
    let s = frame
    for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
      const at = Math.floor(random() * s.length)
      const c = String.fromCharCode(Math.floor(random() * 128))
      s =
        random() < 0.5
          ? s.slice(0, at) + c + s.slice(at + 1)
          : s.slice(0, at) + s.slice(at + 1 + Math.floor(random() * 3))
    }
    return s
  }
  if (kind === 2) return frame.slice(0, Math.floor(random() * frame.length))
  if (kind === 3) return pick(random, JUNK)
  // A field set to another value, removed, or added.
  const value = JSON.parse(frame) as Record<string, unknown>
  const keys = Object.keys(value)
  const key = pick(random, keys)
  if (kind === 4) value[key] = pick(random, VALUES)
  else if (random() < 0.5) delete value[key]
  else value[`extra${Math.floor(random() * 3)}`] = pick(random, VALUES)
  return JSON.stringify(value)
}

/** What the frame must decode to: a message exactly when it is JSON that io-ts accepts. */
const expectedOk = (frame: string): boolean => {
  let value: unknown
  try {
    value = JSON.parse(frame)
  } catch {
    return false
  }
  return RoomMessage.decode(value)._tag === 'Right'
}

export interface FuzzResult {
  readonly frames: number
  readonly decoded: number
  readonly reported: number
  readonly mismatches: number
}

export const fuzzFrames = async (count: number, seed = 1): Promise<FuzzResult> => {
  const random = seededRandom(seed)
  let decoded = 0
  let reported = 0
  let mismatches = 0
  const chunk = 10_000
  for (let done = 0; done < count; done += chunk) {
    const frames = Array.from({ length: Math.min(chunk, count - done) }, () => mutate(random))
    const results: Decoded[] = []
    // A stream error would reject here and end the run.
    await lastValueFrom(
      from(frames).pipe(
        decodeFrames(),
        scan((n, d) => (results.push(d), n + 1), 0),
      ),
      { defaultValue: 0 },
    )
    if (results.length !== frames.length)
      throw new Error(`the stream lost frames: ${results.length} of ${frames.length}`)
    frames.forEach((frame, i) => {
      const ok = (results[i] as Decoded)._tag === 'Message'
      if (ok) decoded++
      else reported++
      if (ok !== expectedOk(frame)) mismatches++
    })
  }
  return { frames: count, decoded, reported, mismatches }
}

export interface DisconnectResult {
  readonly transfers: number
  readonly disconnects: number
  readonly lost: number
  readonly invented: number
  readonly wrong: number
}

const view = (r: {
  fileRequestId: string
  status: number
  rejected: boolean
  fileSize: number
  fileName: string
}) => `${r.fileRequestId} ${r.fileName} ${r.fileSize} ${r.status} ${r.rejected}`

export const disconnectSoak = async (
  transfers: number,
  disconnects: number,
): Promise<DisconnectResult> => {
  const sim = await startRoomSimulator({ timeScale: 0.05, seed: 21 })
  // Every finished request is kept, so that each can be compared (the default keeps the last 1,000).
  const room = connectRoom({
    host: '127.0.0.1',
    webPort: Number(new URL(sim.urls.web).port),
    requestTimeoutMs: 30_000,
    tracker: { maxFinished: transfers * 2 },
    // The forced drops come faster than `minUptimeMs`, which the reconnect policy rightly takes for
    // a flapping room (its delays grow to 30 s): capped here, so that the run measures loss, not waiting.
    backoff: exponentialBackoff({ maxDelayMs: 2_000 }),
  })
  const failures: unknown[] = []
  room.state$.subscribe({ error: (e: unknown) => failures.push(e) })
  try {
    await firstValueFrom(room.state$.pipe(filter((s) => s.status === 'ready')))
    const perRound = Math.ceil(transfers / disconnects)
    let made = 0
    for (let k = 0; k < disconnects; k++) {
      const ids: string[] = []
      for (let i = 0; i < perRound && made < transfers; i++, made++) {
        if (made % 4 === 3) {
          ids.push(
            await room.sendFile({
              data: new Uint8Array(1_000 + made),
              fileName: `out-${made}.bin`,
              to: made % 8 === 3 ? 'conference' : 'bob@simulator.local',
            }),
          )
        } else {
          const id = sim.offerFile({
            fileName: `in-${made}.pdf`,
            size: 2_000 + made,
            durationMs: 400 + (made % 7) * 50,
            progressStep: 25,
            ...(made % 11 === 0 ? { failAtPercent: 50 } : {}),
          })
          if (made % 13 !== 0) ids.push(id)
        }
      }
      // Accept what arrived (a request offered while the socket is down is learned on resync).
      for (const id of ids)
        if (room.fileRequests.get(id)?.direction === 0)
          await room.acceptFile(id).catch(() => undefined)
      // Some traffic before the drop, or half a second of none.
      await firstValueFrom(race(room.events$.pipe(skip(20), take(1)), timer(500)))
      sim.disconnectClients(k % 2 === 0 ? undefined : 1000)
      // The close reaches the client a moment later: until it does, state$ still says ready, and a
      // command sent then would go out on the closing socket and fail with a ConnectionError.
      await firstValueFrom(
        room.state$.pipe(
          skipWhile((s) => s.status === 'ready'),
          filter((s) => s.status === 'ready'),
        ),
      )
    }
    // Offers nobody accepted while down are accepted now, then everything is let finish.
    for (const r of room.fileRequests.requests.values())
      if (r.direction === 0 && r.status === 1 && !r.rejected)
        await room.acceptFile(r.fileRequestId).catch(() => undefined)
    await sim.idle()
    const truth = new Map(
      sim.groundTruth().map((g) => [g.fileRequestId, view({ ...g, status: g.status })]),
    )
    const settled = (s: FileRequestsState): boolean =>
      [...truth].every(([id, t]) => {
        const r = s.requests.get(id)
        return r !== undefined && view({ ...r, fileSize: r.fileSize }) === t
      })
    // The last events may still be on their way: wait for agreement, at most 10 s, then compare.
    const final = await firstValueFrom(
      race(room.fileRequests$.pipe(filter(settled)), timer(10_000)),
    ).then((v) => (typeof v === 'number' ? room.fileRequests : v))
    let lost = 0
    let wrong = 0
    for (const [id, t] of truth) {
      const r = final.requests.get(id)
      if (r === undefined) lost++
      else if (view(r) !== t) wrong++
    }
    const invented = [...final.requests.keys()].filter((id) => !truth.has(id)).length
    if (failures.length > 0) throw failures[0]
    return { transfers: truth.size, disconnects, lost, invented, wrong }
  } finally {
    room.close()
    await sim.close()
  }
}

const main = async (): Promise<void> => {
  const [frames = '1000000', transfers = '2000', disconnects = '50'] = process.argv.slice(2)
  const fuzz = await fuzzFrames(Number(frames))
  const fuzzOk = fuzz.mismatches === 0
  console.log(
    `${fuzzOk ? 'PASS' : 'FAIL'}  fuzz: ${fuzz.frames.toLocaleString('en')} frames through decodeFrames, no throw, no stream error; ` +
      `${fuzz.decoded.toLocaleString('en')} decoded, ${fuzz.reported.toLocaleString('en')} reported, ${fuzz.mismatches} disagreeing with JSON.parse + io-ts`,
  )
  const soak = await disconnectSoak(Number(transfers), Number(disconnects))
  const soakOk = soak.lost === 0 && soak.invented === 0 && soak.wrong === 0
  console.log(
    `${soakOk ? 'PASS' : 'FAIL'}  disconnects: ${soak.transfers.toLocaleString('en')} transfers through ${soak.disconnects} forced disconnects: ` +
      `${soak.lost} lost, ${soak.invented} invented, ${soak.wrong} with a wrong final state`,
  )
  if (!fuzzOk || !soakOk) process.exitCode = 1
}

if (process.argv[1]?.endsWith('soak.js')) void main()
