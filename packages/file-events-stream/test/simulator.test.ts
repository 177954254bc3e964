import { readFileSync, writeFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { join } from 'node:path'
import type { DecodeFailure } from '@org/file-events-codec'
import {
  DOWNLOAD_PATH_PREFIX,
  type RoomSimulator,
  type RoomSimulatorOptions,
  UPLOAD_PATH,
  startRoomSimulator,
} from '@org/room-simulator'
import { firstValueFrom, lastValueFrom, skip, take, toArray } from 'rxjs'
import { WebSocket } from 'ws'
import {
  type ConnectionState,
  type DecodeFramesOptions,
  type FileRequestsState,
  type WebSocketConstructor,
  AuthenticationError,
  FILE_DOWNLOAD_PATH,
  FILE_UPLOAD_PATH,
  exponentialBackoff,
  isAuthenticationError,
  isRequestTimeoutError,
} from '../src/index'
import { type NodeConnectRoomOptions, type NodeRoomConnection, connectRoom } from '../src/node'
import { countingWebSocket, first, ready, tempDir, tracked } from './helpers'

const fastBackoff = exponentialBackoff({ initialDelayMs: 5, maxDelayMs: 40, jitter: 0.5 })

let simulator: RoomSimulator | undefined
let connection: NodeRoomConnection | undefined
let folder: { dir: string; remove: () => void } | undefined

const start = async (
  simOptions: RoomSimulatorOptions = {},
  options: Partial<NodeConnectRoomOptions> & DecodeFramesOptions = {},
): Promise<{ sim: RoomSimulator; room: NodeRoomConnection }> => {
  simulator = await startRoomSimulator({ timeScale: 0.02, ...simOptions })
  const port = Number(new URL(simulator.urls.web).port)
  connection = connectRoom({
    host: '127.0.0.1',
    webPort: port,
    backoff: fastBackoff,
    requestTimeoutMs: 3000,
    ...options,
  })
  return { sim: simulator, room: connection }
}

afterEach(async () => {
  jest.useRealTimers()
  connection?.close()
  connection = undefined
  await simulator?.close()
  simulator = undefined
  folder?.remove()
  folder = undefined
})

const request = (state: FileRequestsState, id: string) => state.requests.get(id)

/** Every API jest fakes except Date: timers and sockets keep real time, the clock can be set. */
const NOT_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const

/** The tracked view of every request, in the ground truth's shape. */
const trackedTruth = (state: FileRequestsState) =>
  [...state.requests.values()]
    .map((r) => ({
      fileRequestId: r.fileRequestId,
      directionType: r.direction,
      fileName: r.fileName,
      fileSize: r.fileSize,
      status: r.status,
      rejected: r.rejected,
      ...(r.fileId !== undefined ? { fileId: r.fileId } : {}),
      ...(r.peerId !== undefined && r.peerId !== '' ? { peerId: r.peerId } : {}),
      ...(r.confId !== undefined ? { confId: r.confId } : {}),
    }))
    .sort((a, b) => a.fileRequestId.localeCompare(b.fileRequestId))

const truthOf = (sim: RoomSimulator) =>
  [...sim.groundTruth()]
    .map((g) => ({ ...g }))
    .sort((a, b) => a.fileRequestId.localeCompare(b.fileRequestId))

describe('against the room simulator', () => {
  it('uses the simulator’s HTTP paths', () => {
    expect(FILE_UPLOAD_PATH).toBe(UPLOAD_PATH)
    expect(FILE_DOWNLOAD_PATH).toBe(DOWNLOAD_PATH_PREFIX)
  })

  it('discovers the ports, accepts an inbound file and downloads the same bytes', async () => {
    const { sim, room } = await start()
    await ready(room)
    expect(room.urls?.wsUrl).toBe(sim.urls.ws)
    const content = 'hello from a peer\n'.repeat(500)
    const id = sim.offerFile({
      fileName: 'greeting.txt',
      data: content,
      peerId: 'alice@simulator.local',
    })
    await tracked(room, (s) => request(s, id)?.status === 1, 'the offer')
    await room.acceptFile(id)
    const done = await tracked(
      room,
      (s) => request(s, id)?.status === 3,
      'the inbound transfer to complete',
    )
    const r = request(done, id)
    expect(r).toMatchObject({
      direction: 0,
      fileName: 'greeting.txt',
      fileSize: Buffer.byteLength(content),
      percent: 100,
      terminal: true,
    })
    expect(r?.history.map((h) => h.status)).toEqual([1, 2, 3])
    folder = tempDir()
    const saved = await room.downloadFile(r?.fileId as number, { dir: folder.dir })
    expect(saved.fileName).toBe('greeting.txt')
    expect(readFileSync(saved.path, 'utf8')).toBe(content)
    // Downloading again never overwrites: the second copy gets a suffix.
    const again = await room.downloadFile(r?.fileId as number, { dir: folder.dir })
    expect(again.fileName).toBe('greeting (1).txt')
    expect(trackedTruth(room.fileRequests)).toEqual(truthOf(sim))
  })

  it('uploads and sends files to a peer and to the conference, from bytes and from a path', async () => {
    const { sim, room } = await start()
    await ready(room)
    const bytes = new Uint8Array(50_000).map((_, i) => (i * 7) % 256)
    const toPeer = await room.sendFile({
      data: bytes,
      fileName: 'report.bin',
      to: 'bob@simulator.local',
    })
    const toConference = await room.sendFile({
      data: 'minutes',
      fileName: 'minutes.txt',
      to: 'conference',
    })
    folder = tempDir()
    const path = join(folder.dir, 'from-disk.txt')
    writeFileSync(path, 'streamed from disk')
    const fromPath = await room.sendFile({ path, to: 'carol@simulator.local' })
    const done = await tracked(
      room,
      (s) => [toPeer, toConference, fromPath].every((id) => request(s, id)?.status === 3),
      'three outbound transfers to complete',
    )
    expect(request(done, toPeer)).toMatchObject({
      direction: 1,
      fileName: 'report.bin',
      fileSize: 50_000,
      peerId: 'bob@simulator.local',
    })
    expect(request(done, toConference)?.confId).toMatch(/#vcs$/)
    expect(request(done, fromPath)).toMatchObject({ fileName: 'from-disk.txt', fileSize: 18 })
    expect(trackedTruth(done)).toEqual(truthOf(sim))
  })

  it('rejects an offer and tracks a transfer that fails', async () => {
    const { sim, room } = await start()
    await ready(room)
    const declined = sim.offerFile({ fileName: 'spam.exe', size: 100 })
    const failing = sim.offerFile({ fileName: 'broken.zip', size: 20_000, failAtPercent: 40 })
    await tracked(
      room,
      (s) => request(s, declined) !== undefined && request(s, failing) !== undefined,
      'two offers',
    )
    await room.rejectFile(declined)
    await room.acceptFile(failing)
    const done = await tracked(room, (s) => request(s, failing)?.status === 0, 'the failure status')
    expect(request(done, declined)).toMatchObject({ rejected: true, terminal: true, status: 1 })
    expect(request(done, failing)).toMatchObject({ status: 0, terminal: true, rejected: false })
    expect(request(done, failing)?.percent).toBeLessThan(100)
    expect(trackedTruth(done)).toEqual(truthOf(sim))
    await expect(room.acceptFile(declined)).rejects.toMatchObject({
      code: 'ERR_COMMAND_FAILED',
      method: 'acceptIncomingFileRequest',
    })
  })

  it('recovers every final state when the room drops the socket during transfers', async () => {
    const { sim, room } = await start({ timeScale: 1, seed: 7 })
    const states: ConnectionState[] = []
    room.state$.subscribe({ next: (s) => states.push(s), error: () => undefined })
    await ready(room)
    const inbound: string[] = []
    for (let i = 0; i < 12; i++) {
      inbound.push(
        sim.offerFile({
          fileName: `in-${i}.dat`,
          size: 2_000 + i,
          durationMs: 150 + 40 * i,
          progressStep: 10,
          ...(i % 5 === 4 ? { failAtPercent: 50 } : {}),
        }),
      )
    }
    await tracked(room, (s) => inbound.every((id) => request(s, id) !== undefined), 'every offer')
    for (const id of inbound.slice(0, 10)) await room.acceptFile(id)
    await room.rejectFile(inbound[10] as string)
    const outbound: string[] = []
    for (let i = 0; i < 6; i++) {
      outbound.push(
        await room.sendFile({
          data: new Uint8Array(30_000 + 20_000 * i),
          fileName: `out-${i}.dat`,
          to: i % 2 === 0 ? 'bob@simulator.local' : 'conference',
        }),
      )
    }
    // Drops while the transfers run: random abrupt closes, then forced ones, abrupt and clean.
    sim.injectFault({ type: 'randomClose', probability: 0.1 })
    const randomDrop = first(room.state$, (s) => s.status === 'reconnecting', 'a random drop')
    // The fault closes the socket on a seeded count of frames (the 18th with this seed). On a slow
    // machine the transfers can be over before that many went out, and the drop never came: the
    // replies to these requests are frames it can come on.
    let dropped = false
    const stop = (): void => {
      dropped = true
    }
    randomDrop.then(stop, stop)
    while (!dropped)
      await Promise.race([
        randomDrop,
        room.request({ method: 'getFileTransferAvailability' }),
      ]).catch(() => undefined)
    await randomDrop
    sim.clearFaults()
    await ready(room)
    sim.disconnectClients()
    await first(room.state$, (s) => s.status === 'reconnecting', 'an abrupt drop')
    await ready(room)
    sim.disconnectClients(1000)
    await first(room.state$, (s) => s.status === 'reconnecting', 'a clean close')
    sim.failTransfer(outbound[5] as string)
    await sim.idle()
    // The reconnect after the clean close, with its resync, is part of the recovery: when every
    // final state was already known before that drop, the comparison below would otherwise pass
    // (and the ready count below fail) while the client is still reconnecting.
    await ready(room)
    const expected = truthOf(sim)
    expect(expected.filter((g) => g.status === 1 && !g.rejected)).toHaveLength(1)
    // On a timeout the comparison below shows the difference.
    const final = await tracked(
      room,
      (s) => JSON.stringify(trackedTruth(s)) === JSON.stringify(expected),
      'the ground truth',
    ).catch(() => room.fileRequests)
    expect(trackedTruth(final)).toEqual(expected)
    expect(states.filter((s) => s.status === 'reconnecting').length).toBeGreaterThanOrEqual(3)
    expect(states.filter((s) => s.status === 'ready').length).toBeGreaterThanOrEqual(4)
  })

  it('loses and invents nothing over many transfers and forced disconnects', async () => {
    const { sim, room } = await start({ timeScale: 1, seed: 11 })
    const drops: ConnectionState[] = []
    room.state$.subscribe({
      next: (s) => s.status === 'reconnecting' && drops.push(s),
      error: () => undefined,
    })
    await ready(room)
    const offers = Array.from({ length: 150 }, (_, i) =>
      sim.offerFile({
        fileName: `scan-${i}.pdf`,
        size: 500 + i,
        durationMs: 1_500 + 40 * (i % 50),
        progressStep: 10,
        ...(i % 9 === 0 ? { failAtPercent: 50 } : {}),
      }),
    )
    await tracked(room, (s) => offers.every((id) => s.requests.has(id)), 'every offer')
    await Promise.all(offers.map((id) => room.acceptFile(id)))
    const sends = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        room.sendFile({
          data: new Uint8Array(200_000 + 20_000 * i),
          fileName: `out-${i}.bin`,
          to: i % 4 === 0 ? 'conference' : 'bob@simulator.local',
        }),
      ),
    )
    // Ten forced disconnects, abrupt and clean, each after some traffic; offers made while down are
    // only learned from the lists on reconnect.
    for (let k = 0; k < 10; k++) {
      await first(room.events$.pipe(skip(5)), () => true, 'traffic between disconnects')
      sim.disconnectClients(k % 2 === 0 ? undefined : 1000)
      sim.offerFile({ fileName: `late-${k}.txt`, size: 10 })
      if (k === 4) sim.failTransfer(sends[39] as string)
      await first(room.state$, (s) => s.status === 'reconnecting', 'the drop')
      await ready(room)
    }
    await sim.idle()
    const expected = truthOf(sim)
    expect(expected).toHaveLength(200)
    const final = await tracked(
      room,
      (s) => JSON.stringify(trackedTruth(s)) === JSON.stringify(expected),
      'the ground truth',
    ).catch(() => room.fileRequests)
    expect(trackedTruth(final)).toEqual(expected)
    expect(drops.length).toBe(10)
    expect(expected.filter((g) => g.status === 0).length).toBeGreaterThan(10)
  }, 30_000)

  it('keeps the PIN and the tokens out of inspection and property walks', async () => {
    const pin = 'pin-5Qx81'
    const tokens = new Set<string>()
    // Reads the tokens off the wire, where the connection does not hide them.
    class Recording extends WebSocket {
      constructor(url: string, protocols?: string | string[], options?: object) {
        super(url, protocols, options)
        this.on('message', (data) => {
          const frame = JSON.parse(String(data)) as Record<string, unknown>
          for (const key of ['token', 'tokenForHttpServer'])
            if (typeof frame[key] === 'string') tokens.add(frame[key])
        })
      }
    }
    const { room } = await start(
      { pin },
      { pin, WebSocketCtor: Recording as unknown as WebSocketConstructor, httpTokenMaxAgeMs: 0 },
    )
    await ready(room)
    // An upload with a token older than its maximum age: uses and refreshes the HTTP token.
    await room.uploadFile('x', 'x.txt')
    expect(tokens.size).toBeGreaterThanOrEqual(3)
    const secrets = [pin, ...tokens]
    const inspected = inspect(room, { depth: 10, showHidden: true, getters: false })
    // Walks every own property (enumerable or not), Map and Set entries, like a serializer would.
    const seen = new Set<unknown>()
    const strings: string[] = []
    const walk = (value: unknown, depth: number): void => {
      if (typeof value === 'string') strings.push(value)
      if (typeof value !== 'object' || value === null || seen.has(value) || depth > 12) return
      seen.add(value)
      if (value instanceof Map) for (const entry of value) walk(entry, depth + 1)
      if (value instanceof Set) for (const v of value) walk(v, depth + 1)
      for (const key of Reflect.ownKeys(value)) {
        if (typeof key === 'string') strings.push(key)
        const descriptor = Object.getOwnPropertyDescriptor(value, key)
        if (descriptor !== undefined && 'value' in descriptor) walk(descriptor.value, depth + 1)
      }
    }
    walk(room, 0)
    const walked = strings.join('\n')
    // JSON.stringify with cycles cut: what a structured logger would print.
    const once = new WeakSet<object>()
    const json = JSON.stringify(room, (_key, value: unknown) => {
      if (typeof value === 'function') return undefined
      if (typeof value === 'object' && value !== null) {
        if (once.has(value)) return '[cycle]'
        once.add(value)
      }
      return value
    })
    for (const secret of secrets) {
      expect(inspected).not.toContain(secret)
      expect(walked).not.toContain(secret)
      expect(json).not.toContain(secret)
    }
    // The walks do reach the connection's state.
    const wsUrl = String(room.urls?.wsUrl)
    expect(inspected).toContain(wsUrl)
    expect(walked).toContain(wsUrl)
    expect(json).toContain(wsUrl)
    expect(Object.keys(room)).not.toContain('pin')
  })

  it('fails for good with one AuthenticationError on a wrong PIN, without retrying', async () => {
    const counting = countingWebSocket()
    const { sim, room } = await start(
      { pin: '4321' },
      { pin: '9876', WebSocketCtor: counting.Ctor },
    )
    // Made before the first subscription: it starts the connection and waits for the handshake.
    const pendingAtFailure = room
      .request({ method: 'getFileTransferAvailability' })
      .catch((e: unknown) => e)
    const states: ConnectionState[] = []
    const errors: unknown[] = []
    const eventErrors: unknown[] = []
    room.events$.subscribe({ error: (e: unknown) => eventErrors.push(e) })
    await new Promise<void>((resolve) =>
      room.state$.subscribe({
        next: (s) => states.push(s),
        error: (e: unknown) => (errors.push(e), resolve()),
      }),
    )
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(AuthenticationError)
    expect(isAuthenticationError(errors[0])).toBe(true)
    expect(errors[0]).toMatchObject({
      code: 'ERR_AUTHENTICATION',
      authType: 'secured',
      resultCode: 3,
    })
    expect(eventErrors).toEqual(errors)
    expect(String((errors[0] as Error).message)).not.toContain('9876')
    expect(JSON.stringify(states)).not.toContain('9876')
    expect(states.map((s) => s.status)).toEqual(['connecting', 'authenticating', 'closed'])
    expect(counting.count).toBe(1)
    await expect(pendingAtFailure).resolves.toBe(errors[0])
    await expect(room.request({ method: 'getFileTransferAvailability' })).rejects.toBe(errors[0])
    expect(counting.count).toBe(1)
    expect(sim.pin).toBe('4321')
  })

  it('times out a request whose reply the room holds back, and keeps the connection', async () => {
    const { sim, room } = await start()
    await ready(room)
    sim.injectFault({ type: 'stallReplies', durationMs: 1500 })
    const error = await room
      .request({ method: 'getFileTransferAvailability' }, { timeoutMs: 150 })
      .catch((e: unknown) => e)
    expect(isRequestTimeoutError(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'ERR_REQUEST_TIMEOUT',
      method: 'getFileTransferAvailability',
      timeoutMs: 150,
    })
    sim.clearFaults()
    await expect(room.request({ method: 'getFileTransferAvailability' })).resolves.toMatchObject({
      availability: 3,
    })
  })

  it('reports malformed and oversized frames while the stream stays up', async () => {
    const { sim, room } = await start({}, { maxFrameBytes: 64 * 1024 })
    await ready(room)
    const failures: DecodeFailure[] = []
    room.decodeFailures$.subscribe((f) => failures.push(f))
    const states: ConnectionState[] = []
    room.state$.subscribe((s) => states.push(s))
    sim.injectFault({
      type: 'malformedFrames',
      kinds: ['json', 'schema', 'oversized'],
      oversizedBytes: 100_000,
    })
    const id = sim.offerFile({ fileName: 'ok.txt', data: 'fine', progressStep: 10 })
    await tracked(room, (s) => request(s, id) !== undefined, 'the offer among bad frames')
    await room.acceptFile(id)
    await tracked(room, (s) => request(s, id)?.status === 3, 'the transfer among bad frames')
    sim.clearFaults()
    // One bad frame before each of the 15 events: every kind shows up, each reported, none fatal.
    expect(failures.length).toBeGreaterThanOrEqual(10)
    expect(new Set(failures.map((f) => f.reason))).toEqual(new Set(['json', 'schema', 'too-large']))
    expect(failures.find((f) => f.reason === 'too-large')?.frameLength).toBeGreaterThan(64 * 1024)
    expect(states.map((s) => s.status)).toEqual(['ready'])
  })

  it('shares one socket between subscribers', async () => {
    const counting = countingWebSocket()
    const { sim, room } = await start({}, { WebSocketCtor: counting.Ctor })
    const a = firstValueFrom(room.events$.pipe(take(2), toArray()))
    const b = firstValueFrom(room.events$.pipe(take(2), toArray()))
    await ready(room)
    const id = sim.offerFile({ fileName: 'shared.txt', data: 'x' })
    const [fromA, fromB] = await Promise.all([a, b])
    expect(fromA.map((e) => e.event)).toEqual(['receivedFileRequest', 'fileRequestStatusChanged'])
    expect(fromB).toEqual(fromA)
    expect(fromA[0]).toMatchObject({ fileRequestId: id })
    expect(counting.count).toBe(1)
    expect(sim.clientCount).toBe(1)
    room.close()
    await expect(lastValueFrom(room.state$)).resolves.toMatchObject({
      status: 'closed',
      reason: 'closed-by-caller',
    })
  })

  it('keeps tokens out of messages$ and of HTTP errors', async () => {
    const { room } = await start({ maxUploadBytes: 10 })
    const auth = first(
      room.messages$,
      (d) => d._tag === 'Message' && d.message.method === 'auth',
      'the auth reply',
    )
    await ready(room)
    expect(await auth).toMatchObject({
      message: { token: '***', tokenForHttpServer: '***', result: true },
    })
    const error = await room.uploadFile('more than ten bytes', 'big.txt').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_HTTP', status: 413, method: 'POST' })
    expect((error as { url: string }).url).toMatch(/token=\*\*\*$/)
    expect((error as Error).message).not.toMatch(/token=(?!\*)/)
  })

  it('refreshes the HTTP token with getTokenForHttpServer after it expired', async () => {
    // Only Date is faked: the room's token clock jumps past the lifetime at once, and then stands
    // still, so the refreshed token cannot expire too before the upload reaches the room, however
    // slow the machine (with a real 40 ms lifetime it could, and the upload then failed with 403).
    jest.useFakeTimers({ doNotFake: [...NOT_DATE] })
    const { sim, room } = await start({ tokenTtlMs: 60_000 })
    await ready(room)
    const tokenReplies: unknown[] = []
    room.messages$.subscribe((d) => {
      if (d._tag === 'Message' && d.message.method === 'getTokenForHttpServer')
        tokenReplies.push(d.message)
    })
    // Past the room's 60 s lifetime, still within the client's own maximum age (240 s): the client
    // learns of the expiry from the room's refusal.
    jest.setSystemTime(Date.now() + 60_001)
    const id = await room.sendFile({
      data: 'late upload',
      fileName: 'late.txt',
      to: 'bob@simulator.local',
    })
    expect(tokenReplies).toEqual([expect.objectContaining({ token: '***' })])
    await tracked(room, (s) => request(s, id)?.status === 3, 'the late upload to be delivered')
    expect(sim.groundTruth().find((g) => g.fileRequestId === id)?.status).toBe(3)
  })
})
