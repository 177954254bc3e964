import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import { isTerminalStatus } from '@org/file-events-codec'
import type { Fault } from './Fault'
import { FaultCodec } from './Scenario'
import type {
  FileOffer,
  FileSend,
  GroundTruthEntry,
  RoomSimulator,
  RoomSimulatorOptions,
} from './types'
import { checkArgument, closed as closedObject } from './internal/checks'
import { AuthThrottle } from './internal/AuthThrottle'
import { ClientHub } from './internal/ClientHub'
import { type CommandContext, routeFrame } from './internal/commandRouter'
import {
  AvailabilityField,
  CloseCode,
  FileRequestIdField,
  PercentField,
  Text,
  TextOrBytes,
  offerProps,
  timingProps,
} from './internal/fields'
import { FileStore } from './internal/FileStore'
import { handshakeOriginAllowed } from './internal/httpCommon'
import { createFileServer } from './internal/httpFiles'
import { resolveOptions } from './internal/options'
import { createPrng, prngUuid } from './internal/prng'
import { RoomState } from './internal/RoomState'
import { ScenarioRunner } from './internal/ScenarioRunner'
import { closeSilentConnections } from './internal/silentConnections'
import { createScheduler } from './internal/Scheduler'
import { StorageQuota } from './internal/StorageQuota'
import { TokenStore } from './internal/TokenStore'
import { TransferEngine } from './internal/TransferEngine'
import { createWebServer } from './internal/webServer'

const DEFAULT_OFFER_SIZE = 1024
const DEFAULT_PEER = 'alice@simulator.local'
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

const OfferArgument = closedObject(
  'offer',
  { fileName: Text },
  { data: TextOrBytes, ...offerProps },
)
const SendArgument = closedObject(
  'send',
  { fileName: Text, to: Text },
  { data: TextOrBytes, size: offerProps.size, ...timingProps },
)

const byteLength = (data: string | Uint8Array): number =>
  typeof data === 'string' ? Buffer.byteLength(data) : data.length

/** `data` and `size` together must agree: checked before anything changes. */
const checkSize = (
  method: string,
  argument: string,
  value: { data?: string | Uint8Array; size?: number },
): void => {
  if (value.data === undefined || value.size === undefined || value.size === byteLength(value.data))
    return
  throw new RangeError(
    `room-simulator: ${method}: ${argument}.size: expected the byte length of ${argument}.data (${byteLength(value.data)}) or no size, received ${value.size}`,
  )
}

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
export const startRoomSimulator = async (
  options: RoomSimulatorOptions = {},
): Promise<RoomSimulator> => {
  const o = resolveOptions(options)
  const { log } = o

  const ownStorage = o.storageDir === undefined
  const storageDir = o.storageDir ?? mkdtempSync(join(tmpdir(), 'room-simulator-'))
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

  let closed = false
  const isClosed = (): boolean => closed
  const idPrng = createPrng(o.seed)
  const state = new RoomState({ newId: () => prngUuid(idPrng), clock: Date.now })
  const scheduler = createScheduler({
    timeScale: o.timeScale,
    onError: (error) =>
      log(`scheduler: a step failed: ${error instanceof Error ? error.message : String(error)}`),
  })
  const tokens = new TokenStore(o.pin !== undefined ? Infinity : o.tokenTtlMs)
  const files = new FileStore(storageDir, new StorageQuota(o.maxStorageBytes))
  const ports = { web: 0, ws: 0, http: 0 }

  const hub: ClientHub = new ClientHub({
    prng: createPrng((o.seed ^ 0x9e3779b9) >>> 0),
    log,
    maxBufferedBytes: o.maxClientBufferedBytes,
    authTimeoutMs: o.authTimeoutMs,
    onFrame: (client, frame) => routeFrame(frame, { ...commandContext, client }),
  })
  const emit = hub.emit.bind(hub)
  const engine = new TransferEngine({
    state,
    scheduler,
    files,
    emit,
    log,
    closed: isClosed,
    autoAcceptOutgoing: o.autoAcceptOutgoing,
  })

  const offerFile = (offer: FileOffer): string => {
    checkArgument('offerFile', 'offer', OfferArgument, offer)
    checkSize('offerFile', 'offer', offer)
    if (closed) throw new Error('room-simulator: the simulator is closed')
    const { data } = offer
    const fileSize = data === undefined ? (offer.size ?? DEFAULT_OFFER_SIZE) : byteLength(data)
    const peerId = offer.peerId ?? DEFAULT_PEER
    const { record, events } = state.offerInbound({
      fileName: offer.fileName,
      fileSize,
      peerId,
      peerDn: offer.peerDn ?? (peerId.split('@')[0] || peerId),
      ...(offer.confId !== undefined ? { confId: offer.confId } : {}),
    })
    engine.track(record.fileRequestId, offer, data ?? { seed: idPrng.nextUint32(), size: fileSize })
    emit(events)
    return record.fileRequestId
  }

  const sendFile = async (send: FileSend): Promise<string> => {
    checkArgument('sendFile', 'send', SendArgument, send)
    checkSize('sendFile', 'send', send)
    if (closed) throw new Error('room-simulator: the simulator is closed')
    const sent = await engine.send(send, o.conferenceId, () => idPrng.nextUint32())
    if (!sent.ok) throw new Error(`room-simulator: sendFile: ${sent.error}`)
    return sent.fileRequestId
  }

  const setAvailability = (availability: 0 | 1 | 2 | 3): void => {
    checkArgument('setAvailability', 'availability', AvailabilityField, availability)
    emit(state.setAvailability(availability))
  }

  const injectFault = (fault: Fault): void => {
    checkArgument('injectFault', 'fault', FaultCodec, fault)
    hub.inject(fault)
  }

  const disconnectClients = (code?: number): void => {
    // `ws` throws for an invalid code only once a socket is half closed: check before touching any.
    if (code !== undefined) checkArgument('disconnectClients', 'code', CloseCode, code)
    hub.disconnect(code)
  }

  const failTransfer = (fileRequestId: string, atPercent?: number): void => {
    checkArgument('failTransfer', 'fileRequestId', FileRequestIdField, fileRequestId)
    if (atPercent !== undefined) checkArgument('failTransfer', 'atPercent', PercentField, atPercent)
    const record = state.request(fileRequestId)
    if (record === undefined)
      throw new Error(`room-simulator: no file request with fileRequestId ${fileRequestId}`)
    // Ending first is a race a test cannot always avoid, not a mistake: nothing to fail any more.
    if (record.rejected || isTerminalStatus(record.status)) {
      log(`failTransfer: file request ${fileRequestId} has already ended`)
      return
    }
    engine.fail(record, atPercent)
  }

  const runner = new ScenarioRunner(o.scenario, {
    scheduler,
    log,
    closed: isClosed,
    target: {
      offerFile,
      sendFile,
      setAvailability,
      injectFault,
      clearFaults: () => hub.clear(),
      disconnectClients,
      accept: (id) => {
        const accepted = state.accept(id)
        if (accepted.ok) engine.accepted(id, accepted.value.events)
        else log(`scenario: accept skipped: ${accepted.error}`)
      },
      reject: (id) => {
        const rejected = state.reject(id)
        if (rejected.ok) engine.rejected(id, rejected.value.events)
        else log(`scenario: reject skipped: ${rejected.error}`)
      },
    },
  })

  const commandContext: Omit<CommandContext, 'client'> = {
    state,
    engine,
    files,
    tokens,
    emit,
    pin: o.pin,
    conferenceId: o.conferenceId,
    httpPort: () => ports.http,
    log,
    onAuthenticated: () => runner.start(),
    authThrottle: new AuthThrottle(o.authAttemptsPerSecond),
    maxAuthFailures: o.maxAuthFailures,
  }

  const webServer = createWebServer({
    ports: () => ports,
    corsOrigins: o.corsOrigins,
    faults: () => hub.faults,
    log,
  })
  const wsHttpServer = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' })
    res.end('WebSocket only')
  })
  const fileServer = createFileServer({
    state,
    tokens,
    storageDir,
    maxUploadBytes: o.maxUploadBytes,
    quota: files.quota,
    corsOrigins: o.corsOrigins,
    faults: () => hub.faults,
    log,
  })
  closeSilentConnections(webServer, o)
  closeSilentConnections(fileServer, o)
  const handshakes = closeSilentConnections(wsHttpServer, o)
  try {
    ports.ws = await listen(wsHttpServer, o.wsPort, o.host, 'WebSocket')
    ports.http = await listen(fileServer, o.httpPort, o.host, 'HTTP file')
    ports.web = await listen(webServer, o.webPort, o.host, 'web')
  } catch (error) {
    await Promise.all([closeServer(wsHttpServer), closeServer(fileServer), closeServer(webServer)])
    if (ownStorage) rmSync(storageDir, { recursive: true, force: true })
    throw error
  }
  const wss = new WebSocketServer({
    server: wsHttpServer,
    path: '/',
    maxPayload: MAX_REQUEST_BYTES,
    verifyClient: ({ req }, refuse) => {
      if (o.anyWebSocketOrigin || handshakeOriginAllowed(o.corsOrigins, req, o.host)) refuse(true)
      else {
        log(
          `WebSocket: refused a handshake from origin ${String(req.headers.origin).slice(0, 100)}`,
        )
        refuse(false, 403, 'origin not allowed')
      }
    },
  })
  wss.on('connection', (_ws, req) => handshakes.heard(req.socket))
  hub.attach(wss)

  const urls = {
    web: `http://${urlHost(o.host)}:${ports.web}`,
    ws: `ws://${urlHost(o.host)}:${ports.ws}`,
    http: `http://${urlHost(o.host)}:${ports.http}`,
  }
  log(
    `listening: web ${urls.web}, WebSocket ${urls.ws}, HTTP ${urls.http}${o.pin !== undefined ? ' (PIN-protected)' : ''}`,
  )

  return {
    urls,
    pin: o.pin,
    storageDir,
    offerFile,
    sendFile,
    failTransfer,
    setAvailability,
    disconnectClients,
    injectFault,
    clearFaults: () => hub.clear(),
    groundTruth: (): ReadonlyArray<GroundTruthEntry> => state.groundTruth(),
    idle: async () => {
      await runner.whenStarted()
      await scheduler.whenIdle()
    },
    get clientCount() {
      return hub.size
    },
    close: async () => {
      if (closed) return
      closed = true
      scheduler.stop()
      runner.release()
      hub.closeAll()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await Promise.all([
        closeServer(wsHttpServer),
        closeServer(fileServer),
        closeServer(webServer),
      ])
      await files.settled()
      if (ownStorage) rmSync(storageDir, { recursive: true, force: true })
      log('closed')
    },
  }
}
