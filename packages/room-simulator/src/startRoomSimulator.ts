import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import type { Server } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import type { WebSocket } from 'ws'
import {
  CONFIG_PATH,
  type CommandMethod,
  type CommandReply,
  type FailureReply,
  type FileEvent,
  type RequestOf,
  type RoomConfig,
  type SuccessReplyOf,
  decodeRoomRequest,
  fileIdToNumber,
} from '@org/file-events-codec'
import * as t from 'io-ts'
import type { Fault } from './Fault'
import { FaultCodec, type Scenario, type ScenarioStep, type TransferTiming, resolveScenario } from './Scenario'
import {
  DEFAULT_SIMULATOR_OPTIONS,
  type FileOffer,
  type GroundTruthEntry,
  type RoomSimulator,
  type RoomSimulatorOptions,
} from './types'
import { checkArgument, closed, described, numberIn } from './internal/checks'
import { ClientConnection } from './internal/ClientConnection'
import {
  AvailabilityField,
  CloseCode,
  FileRequestIdField,
  FileSizeField,
  Milliseconds,
  PercentField,
  Text,
  TextOrBytes,
  offerProps,
} from './internal/fields'
import { createFileServer } from './internal/httpFiles'
import { createPrng, prngChunks, prngUuid } from './internal/prng'
import { type FileRequestRecord, RoomState } from './internal/RoomState'
import { createScheduler } from './internal/Scheduler'
import { TokenStore, newSessionToken } from './internal/TokenStore'

const DEFAULT_SPEED = 1024 * 1024
const DEFAULT_PROGRESS_STEP = 20
const DEFAULT_OFFER_SIZE = 1024
const DEFAULT_PEER = 'alice@simulator.local'
/** Virtual ms between `sendFile` and the remote peer accepting (status 2). */
const PEER_ACCEPT_DELAY_MS = 100
/** Inbound frames larger than this are refused (a real client never sends more than a few hundred bytes). */
const MAX_REQUEST_BYTES = 1024 * 1024

/** Listens and returns the bound port; turns EADDRINUSE into an error that names the listener. */
const listen = (server: Server, port: number, host: string, what: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `room-simulator: the ${what} port ${port} on ${host} is already in use`
            : `room-simulator: cannot listen on ${host}:${port} for the ${what} server: ${error.message}`,
          { cause: error },
        ),
      )
    }
    const onListening = () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })

/** The `scenario` option resolved, or refused like every other option: a `TypeError` naming it. */
const scenarioOption = (input: Parameters<typeof resolveScenario>[0]): Scenario => {
  try {
    return resolveScenario(input)
  } catch (error) {
    throw new TypeError(`room-simulator: startRoomSimulator: options.scenario: ${error instanceof Error ? error.message : String(error)}`)
  }
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    if (!server.listening) {
      resolve()
      return
    }
    server.close(() => resolve())
    server.closeAllConnections()
  })

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host)

const Port = numberIn('Port', 0, 65535, 'a port: an integer 0..65535', true)
/** The PIN is a secret: its failure never prints the value received. */
const Pin = new t.Type<string, string, unknown>(
  'PIN',
  (u): u is string => typeof u === 'string' && u.length > 0,
  (u, c) =>
    typeof u === 'string' && u.length > 0
      ? t.success(u)
      : t.failure(u, c, `expected a non-empty string, received ${typeof u === 'string' ? 'an empty string' : `a value of type ${u === null ? 'null' : typeof u}`}`),
  t.identity,
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
    tokenTtlMs: Milliseconds,
    storageDir: Text,
    autoAcceptOutgoing: described('boolean', (u): u is boolean => typeof u === 'boolean', 'a boolean', false),
    conferenceId: Text,
    log: described('function', (u): u is (line: string) => void => typeof u === 'function', 'a function (line: string) => void', false),
  },
)
const OfferArgument = closed('offer', { fileName: Text }, { data: TextOrBytes, ...offerProps })

/**
 * Starts a simulated TrueConf Room (file-transfer API) on real sockets: a web server for
 * `config.json`, the WebSocket API and the built-in HTTP file server.
 *
 * @example
 * ```ts
 * import { startRoomSimulator } from '@org/room-simulator'
 *
 * const room = await startRoomSimulator({ pin: '1234', scenario: 'demo', timeScale: 0.1 })
 * console.log(room.urls.ws)
 * await room.close()
 * ```
 *
 * @category simulator
 * @since 0.1.0
 */
export const startRoomSimulator = async (options: RoomSimulatorOptions = {}): Promise<RoomSimulator> => {
  checkArgument('startRoomSimulator', 'options', Options, options)
  // An option set to undefined means its default, as when it is absent.
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as RoomSimulatorOptions
  const o = { ...DEFAULT_SIMULATOR_OPTIONS, ...given }
  const log = options.log ?? (() => undefined)
  const scenario: Scenario | undefined = options.scenario === undefined ? undefined : scenarioOption(options.scenario)

  const ownStorage = options.storageDir === undefined
  const storageDir = options.storageDir ?? mkdtempSync(join(tmpdir(), 'room-simulator-'))
  if (!ownStorage) {
    try {
      mkdirSync(storageDir, { recursive: true })
    } catch (error) {
      throw new Error(
        `room-simulator: cannot create the storage folder ${storageDir}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      )
    }
  }

  const idPrng = createPrng(o.seed)
  const faultPrng = createPrng((o.seed ^ 0x9e3779b9) >>> 0)
  const state = new RoomState({ newId: () => prngUuid(idPrng), clock: Date.now })
  const scheduler = createScheduler({
    timeScale: o.timeScale,
    onError: (error) => log(`scheduler: a step failed: ${error instanceof Error ? error.message : String(error)}`),
  })
  const tokens = new TokenStore(o.pin !== undefined ? Infinity : o.tokenTtlMs)

  const clients = new Set<ClientConnection>()
  let faults: Fault[] = []
  let stallUntil = 0
  let nextClientId = 1
  const timings = new Map<string, TransferTiming>()
  const failAt = new Map<string, number>()
  const inboundData = new Map<string, Uint8Array | string | { seed: number; size: number }>()
  let scenarioStarted = scenario === undefined
  let markScenarioStarted: () => void = () => undefined
  const scenarioStart = new Promise<void>((resolve) => {
    markScenarioStarted = resolve
  })
  let closed = false
  /** File writes in flight; `close()` waits for them before removing the storage folder. */
  const writes = new Set<Promise<unknown>>()
  /**
   * Writes without blocking the event loop; the scheduler holds later steps until the write settles.
   * Generated content arrives as chunks made while the file is written, so a large one never sits in
   * memory whole.
   */
  const writeStored = async (path: string, bytes: Uint8Array | Iterable<Uint8Array>): Promise<void> => {
    const write = writeFile(path, bytes)
    writes.add(write)
    try {
      await write
    } finally {
      writes.delete(write)
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Listeners

  const webServer = createServer()
  const wsHttpServer = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' })
    res.end('WebSocket only')
  })
  const fileServer = createFileServer({ state, tokens, storageDir, maxUploadBytes: o.maxUploadBytes, log })
  const ports = { web: 0, ws: 0, http: 0 }
  try {
    ports.ws = await listen(wsHttpServer, o.wsPort, o.host, 'WebSocket')
    ports.http = await listen(fileServer, o.httpPort, o.host, 'HTTP file')
    ports.web = await listen(webServer, o.webPort, o.host, 'web')
  } catch (error) {
    await Promise.all([closeServer(wsHttpServer), closeServer(fileServer), closeServer(webServer)])
    if (ownStorage) rmSync(storageDir, { recursive: true, force: true })
    throw error
  }

  webServer.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', 'http://room.invalid').pathname
    if (req.method === 'GET' && path === CONFIG_PATH) {
      const config: RoomConfig = {
        config: { websocket: { hostname: null, port: ports.ws }, http: { hostname: null, port: ports.http } },
      }
      const body = JSON.stringify(config)
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) })
      res.end(body)
      return
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' })
    res.end('not found')
  })

  const wss = new WebSocketServer({ server: wsHttpServer, path: '/', maxPayload: MAX_REQUEST_BYTES })

  // ---------------------------------------------------------------------------------------------
  // Delivery

  const emit = (events: ReadonlyArray<FileEvent>): void => {
    for (const event of events) {
      const frame = JSON.stringify(event)
      for (const client of clients) if (client.authenticated) client.sendEvent(frame)
    }
  }

  const reply = <M extends CommandMethod>(client: ClientConnection, value: SuccessReplyOf<M>): void => {
    client.sendReply(JSON.stringify(value))
  }

  const fail = (client: ClientConnection, method: string, requestId: string, error: string, resultCode?: number): void => {
    const value: FailureReply<string> = {
      method,
      requestId,
      result: false,
      error,
      ...(resultCode !== undefined ? { resultCode } : {}),
    }
    client.sendReply(JSON.stringify(value))
  }

  // ---------------------------------------------------------------------------------------------
  // Transfers

  const durationOf = (record: FileRequestRecord): number => {
    const timing = timings.get(record.fileRequestId) ?? {}
    if (timing.durationMs !== undefined) return timing.durationMs
    return (record.fileSize / (timing.speed ?? DEFAULT_SPEED)) * 1000
  }

  /**
   * Stores a received file, then ends the transfer with status 3; the file is downloadable and listed
   * before that event goes out. A transfer failed meanwhile keeps its status 0 and its file is dropped;
   * a failed write ends the transfer with status 0.
   */
  const completeInbound = async (record: FileRequestRecord): Promise<void> => {
    const source = inboundData.get(record.fileRequestId) ?? { seed: 0, size: record.fileSize }
    inboundData.delete(record.fileRequestId)
    const bytes =
      typeof source === 'string' ? Buffer.from(source, 'utf8') : source instanceof Uint8Array ? source : prngChunks(source.seed, source.size)
    const size = bytes instanceof Uint8Array ? bytes.length : record.fileSize
    const fileId = state.allocateFileId()
    const path = join(storageDir, `received-${fileId}`)
    try {
      await writeStored(path, bytes)
    } catch (error) {
      if (closed) return
      log(`cannot store received file ${fileId}: ${error instanceof Error ? error.message : String(error)}`)
      if (record.status === 2) emit(state.fail(record.fileRequestId))
      forget(record.fileRequestId)
      return
    }
    if (closed || record.status !== 2) {
      await rm(path, { force: true })
      return
    }
    state.addFile({ fileId, fileName: record.fileName, size, path })
    emit(state.complete(record.fileRequestId, fileId))
    forget(record.fileRequestId)
  }

  /** Drops a finished request's transfer settings; long runs keep only the ground truth. */
  const forget = (fileRequestId: string): void => {
    timings.delete(fileRequestId)
    failAt.delete(fileRequestId)
    inboundData.delete(fileRequestId)
  }

  /** Progress every `progressStep` percent over the transfer's duration, then status 3 (or 0 at `failAtPercent`). */
  const runTransfer = (record: FileRequestRecord): void => {
    const step = timings.get(record.fileRequestId)?.progressStep ?? DEFAULT_PROGRESS_STEP
    const percents: number[] = []
    for (let p = 0; p < 100; p += step) percents.push(Math.round(p * 100) / 100)
    percents.push(100)
    const gap = durationOf(record) / (percents.length - 1)
    let i = 0
    const tick = (): Promise<void> | undefined => {
      if (record.status !== 2) {
        forget(record.fileRequestId)
        return
      }
      const percent = percents[i] as number
      const failing = failAt.get(record.fileRequestId)
      if (failing !== undefined && percent >= failing) {
        emit(state.fail(record.fileRequestId))
        forget(record.fileRequestId)
        return
      }
      emit(state.progress(record.fileRequestId, percent))
      if (percent >= 100) {
        if (record.directionType === 0) return completeInbound(record)
        emit(state.complete(record.fileRequestId))
        forget(record.fileRequestId)
        return
      }
      i++
      scheduler.schedule(gap, tick)
    }
    // The first tick is at 0 %, so it never writes: nothing to wait for.
    void tick()
  }

  const offerFile = (offer: FileOffer): string => {
    checkArgument('offerFile', 'offer', OfferArgument, offer)
    if (closed) throw new Error('room-simulator: the simulator is closed')
    const data = offer.data
    if (data !== undefined && offer.size !== undefined) {
      const length = typeof data === 'string' ? Buffer.byteLength(data) : data.length
      if (offer.size !== length) {
        throw new RangeError(
          `room-simulator: offerFile: offer.size: expected the byte length of offer.data (${length}) or no size, received ${offer.size}`,
        )
      }
    }
    const fileSize = data === undefined ? (offer.size ?? DEFAULT_OFFER_SIZE) : typeof data === 'string' ? Buffer.byteLength(data) : data.length
    const peerId = offer.peerId ?? DEFAULT_PEER
    const { record, events } = state.offerInbound({
      fileName: offer.fileName,
      fileSize,
      peerId,
      peerDn: offer.peerDn ?? (peerId.split('@')[0] || peerId),
      ...(offer.confId !== undefined ? { confId: offer.confId } : {}),
    })
    inboundData.set(record.fileRequestId, data ?? { seed: idPrng.nextUint32(), size: fileSize })
    timings.set(record.fileRequestId, {
      ...(offer.speed !== undefined ? { speed: offer.speed } : {}),
      ...(offer.durationMs !== undefined ? { durationMs: offer.durationMs } : {}),
      ...(offer.progressStep !== undefined ? { progressStep: offer.progressStep } : {}),
    })
    if (offer.failAtPercent !== undefined) failAt.set(record.fileRequestId, offer.failAtPercent)
    emit(events)
    return record.fileRequestId
  }

  const startAccepted = (fileRequestId: string, events: FileEvent[]): void => {
    emit(events)
    const record = state.request(fileRequestId)
    if (record !== undefined) runTransfer(record)
  }

  const startOutbound = (record: FileRequestRecord, events: FileEvent[]): void => {
    emit(events)
    if (!o.autoAcceptOutgoing) return
    scheduler.schedule(PEER_ACCEPT_DELAY_MS, () => {
      const started = state.startOutbound(record.fileRequestId)
      if (started.length === 0) return
      emit(started)
      runTransfer(record)
    })
  }

  // ---------------------------------------------------------------------------------------------
  // Scenario

  /** The room uploads a file itself and sends it; the upload is stored before anything is sent. */
  const runSend = async (send: Extract<ScenarioStep, { send: unknown }>['send']): Promise<void> => {
    const size = send.data !== undefined ? Buffer.byteLength(send.data) : (send.size ?? DEFAULT_OFFER_SIZE)
    const bytes = send.data !== undefined ? Buffer.from(send.data, 'utf8') : prngChunks(idPrng.nextUint32(), size)
    const fileId = state.allocateFileId()
    const path = join(storageDir, `upload-${fileId}`)
    try {
      await writeStored(path, bytes)
    } catch (error) {
      if (!closed) log(`scenario: send skipped: cannot store ${send.fileName}: ${error instanceof Error ? error.message : String(error)}`)
      return
    }
    if (closed) return
    state.addFile({ fileId, fileName: send.fileName, size, path })
    const result = send.to === 'conference' ? state.sendToConference(fileId, o.conferenceId) : state.sendToPeer(fileId, send.to)
    if (!result.ok) {
      log(`scenario: send skipped: ${result.error}`)
      return
    }
    timings.set(result.value.record.fileRequestId, {
      ...(send.speed !== undefined ? { speed: send.speed } : {}),
      ...(send.durationMs !== undefined ? { durationMs: send.durationMs } : {}),
      ...(send.progressStep !== undefined ? { progressStep: send.progressStep } : {}),
    })
    if (send.failAtPercent !== undefined) failAt.set(result.value.record.fileRequestId, send.failAtPercent)
    startOutbound(result.value.record, result.value.events)
  }

  const runStep = (step: ScenarioStep): Promise<void> | undefined => {
    if ('offer' in step) {
      const { offer } = step
      const id = offerFile({
        fileName: offer.fileName,
        ...(offer.data !== undefined ? { data: offer.data } : { size: offer.size ?? DEFAULT_OFFER_SIZE }),
        ...(offer.peerId !== undefined ? { peerId: offer.peerId } : {}),
        ...(offer.peerDn !== undefined ? { peerDn: offer.peerDn } : {}),
        ...(offer.confId !== undefined ? { confId: offer.confId } : {}),
        ...(offer.failAtPercent !== undefined ? { failAtPercent: offer.failAtPercent } : {}),
        ...(offer.speed !== undefined ? { speed: offer.speed } : {}),
        ...(offer.durationMs !== undefined ? { durationMs: offer.durationMs } : {}),
        ...(offer.progressStep !== undefined ? { progressStep: offer.progressStep } : {}),
      })
      const then = step.then ?? 'wait'
      if (then === 'wait') return
      scheduler.schedule(step.thenAfterMs ?? 0, () => {
        if (then === 'accept') {
          const accepted = state.accept(id)
          if (accepted.ok) startAccepted(id, accepted.value.events)
          else log(`scenario: accept skipped: ${accepted.error}`)
        } else {
          const rejected = state.reject(id)
          if (rejected.ok) {
            forget(id)
            emit(rejected.value.events)
          }
          else log(`scenario: reject skipped: ${rejected.error}`)
        }
      })
      return
    }
    if ('send' in step) return runSend(step.send)
    if ('availability' in step) emit(state.setAvailability(step.availability))
    else if ('fault' in step) injectFault(step.fault)
    else if ('clearFaults' in step) clearFaults()
    else disconnectClients(step.disconnect.code)
    return undefined
  }

  const startScenario = (): void => {
    if (scenarioStarted || scenario === undefined) return
    scenarioStarted = true
    log(`scenario "${scenario.name ?? 'unnamed'}" started (${scenario.steps.length} steps)`)
    // Scheduled from inside one step, so that every step is timed from that step's single due time:
    // outside a step, the scheduler reads the real clock on each call, and on a loaded machine the
    // readings drift apart (times 1/timeScale), which could reorder near-simultaneous steps.
    scheduler.schedule(0, () => {
      for (const step of scenario.steps) scheduler.schedule(step.at, () => runStep(step))
    })
    markScenarioStarted()
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  const handleFrame = (client: ClientConnection, frame: string): void => {
    const decoded = decodeRoomRequest(frame)
    if (decoded._tag === 'Left') {
      const f = decoded.left
      fail(client, f.method ?? '', f.requestId ?? '', `invalid request: ${f.messages.join('; ')}`)
      return
    }
    // A known command's frame was validated by that command's codec, so the casts below are sound.
    const request = decoded.right
    const requestId = request.requestId ?? ''
    const base = { requestId, result: true } as const

    if (request.method === 'auth' && 'type' in request) {
      const secured = request.type === 'secured'
      if (o.pin !== undefined && (!secured || !('credentials' in request) || request.credentials !== o.pin)) {
        log(`client ${client.id}: auth refused (${secured ? 'wrong PIN' : 'PIN required'})`)
        fail(client, 'auth', requestId, secured ? 'Wrong credentials' : 'The room is PIN-protected: use "secured" auth', 3)
        return
      }
      client.authenticated = true
      reply<'auth'>(client, { method: 'auth', ...base, previleges: 2, token: newSessionToken(), tokenForHttpServer: tokens.issue() })
      log(`client ${client.id}: authenticated`)
      startScenario()
      return
    }
    if (request.method === 'setUsedApiVersion') {
      reply<'setUsedApiVersion'>(client, { method: 'setUsedApiVersion', ...base })
      return
    }
    if (!client.authenticated) {
      fail(client, request.method, requestId, `not authorized: send "auth" before "${request.method}"`)
      return
    }

    switch (request.method) {
      case 'getTokenForHttpServer':
        reply<'getTokenForHttpServer'>(client, { method: 'getTokenForHttpServer', ...base, token: tokens.issue() })
        return
      case 'getAppState': {
        const value: SuccessReplyOf<'getAppState'> & Record<string, unknown> = {
          method: 'getAppState',
          ...base,
          embeddedHttpPort: ports.http,
          appState: 3,
          desktopSharing: { running: false },
          broadcastPicture: { running: false },
          audioCaptureTest: false,
        }
        client.sendReply(JSON.stringify(value))
        return
      }
      // No codec covers these (they are not file commands); the generic reply type checks the envelope.
      case 'getSettings': {
        const value: CommandReply = { method: 'getSettings', ...base, settings: [] }
        client.sendReply(JSON.stringify(value))
        return
      }
      case 'getSystemInfo': {
        const value: CommandReply = {
          method: 'getSystemInfo',
          ...base,
          authInfo: { peerId: 'room@simulator.local', peerDn: 'Simulated Room' },
          productName: 'room-simulator',
        }
        client.sendReply(JSON.stringify(value))
        return
      }
      case 'getMonitorsInfo': {
        const value: CommandReply = { method: 'getMonitorsInfo', ...base, monitors: [], currentMonitor: 0 }
        client.sendReply(JSON.stringify(value))
        return
      }
      case 'sendFile':
      case 'sendFileToConference': {
        const fileId = fileIdToNumber((request as RequestOf<'sendFileToConference'>).fileId)
        let result: ReturnType<RoomState['sendToPeer']>
        if (request.method === 'sendFile') {
          const r = request as RequestOf<'sendFile'>
          result = state.sendToPeer(fileId, r.callId ?? r.peerId ?? '')
        } else {
          result = state.sendToConference(fileId, o.conferenceId)
        }
        if (!result.ok) {
          fail(client, request.method, requestId, result.error)
          return
        }
        const sentFileRequestId = result.value.record.fileRequestId
        if (request.method === 'sendFile') reply<'sendFile'>(client, { method: 'sendFile', ...base, sentFileRequestId })
        else reply<'sendFileToConference'>(client, { method: 'sendFileToConference', ...base, sentFileRequestId })
        startOutbound(result.value.record, result.value.events)
        return
      }
      case 'acceptIncomingFileRequest': {
        const { fileRequestId } = request as RequestOf<'acceptIncomingFileRequest'>
        const result = state.accept(fileRequestId)
        if (!result.ok) {
          fail(client, request.method, requestId, result.error)
          return
        }
        reply<'acceptIncomingFileRequest'>(client, { method: 'acceptIncomingFileRequest', ...base })
        startAccepted(fileRequestId, result.value.events)
        return
      }
      case 'rejectIncomingFileRequest': {
        const { fileRequestId } = request as RequestOf<'rejectIncomingFileRequest'>
        const result = state.reject(fileRequestId)
        if (!result.ok) {
          fail(client, request.method, requestId, result.error)
          return
        }
        forget(fileRequestId)
        reply<'rejectIncomingFileRequest'>(client, { method: 'rejectIncomingFileRequest', ...base })
        emit(result.value.events)
        return
      }
      case 'getFileRequestInfo': {
        const info = state.info((request as RequestOf<'getFileRequestInfo'>).fileRequestId)
        if (!info.ok) fail(client, request.method, requestId, info.error)
        else reply<'getFileRequestInfo'>(client, { method: 'getFileRequestInfo', ...base, ...info.value })
        return
      }
      case 'getIncomingFilesRequests':
        reply<'getIncomingFilesRequests'>(client, { method: 'getIncomingFilesRequests', ...base, incomingFilesRequests: state.incomingItems() })
        return
      case 'getOutgoingFilesRequests':
        reply<'getOutgoingFilesRequests'>(client, { method: 'getOutgoingFilesRequests', ...base, outgoingFilesRequests: state.outgoingItems() })
        return
      case 'getFileTransferHistory':
        reply<'getFileTransferHistory'>(client, { method: 'getFileTransferHistory', ...base, filesRequests: state.historyItems() })
        return
      case 'getFileList':
        reply<'getFileList'>(client, { method: 'getFileList', ...base, fileList: state.fileList() })
        return
      case 'getFileTransferAvailability':
        reply<'getFileTransferAvailability'>(client, { method: 'getFileTransferAvailability', ...base, availability: state.availability })
        return
      case 'clearFileTransferHistory': {
        const deleteFiles = (request as RequestOf<'clearFileTransferHistory'>).deleteFilesFromDisk === true
        const { events, removed } = state.clearHistory(deleteFiles)
        for (const file of removed) rmSync(file.path, { force: true })
        reply<'clearFileTransferHistory'>(client, { method: 'clearFileTransferHistory', ...base })
        emit(events)
        return
      }
      case 'deleteFileTransferFile': {
        const result = state.deleteFile(fileIdToNumber((request as RequestOf<'deleteFileTransferFile'>).fileId))
        if (!result.ok) {
          fail(client, request.method, requestId, result.error)
          return
        }
        if (result.value.removed !== undefined) rmSync(result.value.removed.path, { force: true })
        reply<'deleteFileTransferFile'>(client, { method: 'deleteFileTransferFile', ...base })
        emit(result.value.events)
        return
      }
      default:
        break
    }
    fail(client, request.method, requestId, `unknown command "${request.method}"`)
  }

  wss.on('connection', (ws: WebSocket) => {
    const client = new ClientConnection(ws, nextClientId++, {
      faults: () => faults,
      prng: faultPrng,
      stallUntil: () => stallUntil,
      log,
    })
    clients.add(client)
    log(`client ${client.id}: connected (${clients.size} connected)`)
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        fail(client, '', '', 'binary frames are not supported: send JSON text frames')
        return
      }
      handleFrame(client, Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'))
    })
    ws.on('close', (code) => {
      clients.delete(client)
      client.dispose()
      log(`client ${client.id}: disconnected with code ${code} (${clients.size} connected)`)
    })
    ws.on('error', (error) => log(`client ${client.id}: socket error: ${error.message}`))
  })

  // ---------------------------------------------------------------------------------------------
  // Driving

  const injectFault = (fault: Fault): void => {
    checkArgument('injectFault', 'fault', FaultCodec, fault)
    faults = [...faults.filter((f) => f.type !== fault.type), fault]
    if (fault.type === 'closeAfterMessages') for (const c of clients) c.resetCloseCount()
    if (fault.type === 'stallReplies') stallUntil = Date.now() + fault.durationMs
    log(`fault injected: ${fault.type}`)
  }

  const clearFaults = (): void => {
    faults = []
    stallUntil = 0
    for (const c of clients) c.flushHeld()
  }

  const disconnectClients = (code?: number): void => {
    // `ws` throws for an invalid code only once a socket is half closed: check before touching any.
    if (code !== undefined) checkArgument('disconnectClients', 'code', CloseCode, code)
    for (const c of [...clients]) {
      if (code !== undefined) c.flushHeld()
      c.close(code)
    }
  }

  const failTransfer = (fileRequestId: string, atPercent?: number): void => {
    checkArgument('failTransfer', 'fileRequestId', FileRequestIdField, fileRequestId)
    if (atPercent !== undefined) checkArgument('failTransfer', 'atPercent', PercentField, atPercent)
    const record = state.request(fileRequestId)
    if (record === undefined) throw new Error(`room-simulator: no file request with fileRequestId ${fileRequestId}`)
    // Ending first is a race a test cannot always avoid, not a mistake: nothing to fail any more.
    if (record.rejected || record.status === 0 || record.status === 3) {
      log(`failTransfer: file request ${fileRequestId} has already ended`)
      return
    }
    if (atPercent === undefined || (record.status === 2 && record.progress >= atPercent)) {
      emit(state.fail(fileRequestId))
      forget(fileRequestId)
      return
    }
    failAt.set(fileRequestId, atPercent)
  }

  const urls = {
    web: `http://${urlHost(o.host)}:${ports.web}`,
    ws: `ws://${urlHost(o.host)}:${ports.ws}`,
    http: `http://${urlHost(o.host)}:${ports.http}`,
  }
  log(`listening: web ${urls.web}, WebSocket ${urls.ws}, HTTP ${urls.http}${o.pin !== undefined ? ' (PIN-protected)' : ''}`)

  const simulator: RoomSimulator = {
    urls,
    pin: o.pin,
    storageDir,
    offerFile,
    failTransfer,
    setAvailability: (availability) => {
      checkArgument('setAvailability', 'availability', AvailabilityField, availability)
      emit(state.setAvailability(availability))
    },
    disconnectClients,
    injectFault,
    clearFaults,
    groundTruth: (): ReadonlyArray<GroundTruthEntry> => state.groundTruth(),
    idle: async () => {
      if (!scenarioStarted) await scenarioStart
      await scheduler.whenIdle()
    },
    get clientCount() {
      return clients.size
    },
    close: async () => {
      if (closed) return
      closed = true
      scheduler.stop()
      markScenarioStarted()
      for (const c of clients) c.close()
      clients.clear()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await Promise.all([closeServer(wsHttpServer), closeServer(fileServer), closeServer(webServer)])
      await Promise.allSettled([...writes])
      if (ownStorage) rmSync(storageDir, { recursive: true, force: true })
      log('closed')
    },
  }
  return simulator
}
