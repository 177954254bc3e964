import type { Fault } from './Fault'
import type { ScenarioInput } from './Scenario'

/**
 * Options of {@link startRoomSimulator}. Every field is optional.
 *
 * @category simulator
 * @since 0.1.0
 */
export interface RoomSimulatorOptions {
  /** Interface to bind. @default '127.0.0.1' */
  readonly host?: string
  /** Port of the web server that serves `config.json`; 0 picks a free port. @default 0 */
  readonly webPort?: number
  /** WebSocket port; 0 picks a free port. @default 0 */
  readonly wsPort?: number
  /** Built-in HTTP file server port; 0 picks a free port. @default 0 */
  readonly httpPort?: number
  /** PIN for `secured` auth. Absent: `unsecured` auth is accepted, and so is `secured` auth with any credentials. */
  readonly pin?: string
  /** A scenario, a preset name (`demo`, `load`) or a preset reference. Starts at the first auth. */
  readonly scenario?: ScenarioInput | string
  /** Seed of every random choice. @default 1 */
  readonly seed?: number
  /** Multiplies every scenario and transfer delay; 0 runs steps back to back. @default 1 */
  readonly timeScale?: number
  /** Uploads larger than this get HTTP 413. @default 67108864 (64 MiB) */
  readonly maxUploadBytes?: number
  /**
   * Bytes the storage folder may hold (uploads, received files, scenario sends): an upload that
   * would pass it gets HTTP 507 and nothing is kept, a received file that would pass it ends its
   * transfer with status 0. Deleted files give their bytes back. @default 268435456 (256 MiB)
   * @since 0.1.0
   */
  readonly maxStorageBytes?: number
  /**
   * A WebSocket client whose unsent data (frames it has not read yet, or replies held by
   * `stallReplies`) passes this many bytes is disconnected with close code 1008 and a log line, so a
   * client that never reads cannot grow the simulator's memory. @default 4194304 (4 MiB)
   * @since 0.1.0
   */
  readonly maxClientBufferedBytes?: number
  /**
   * Page origins (`'http://localhost:5173'`, or `'*'` for any) the web server and the HTTP file
   * server answer with `Access-Control-Allow-Origin`, exposing `FileId`, and whose preflights they
   * answer. An upload from a page of another origin is refused with 403 and not stored, and so is a
   * WebSocket handshake (a request without `Origin`, as Node and Python clients send, is accepted,
   * and so is one whose `Origin` names the WebSocket server itself at an IP address, `localhost` or
   * `host`). The public documentation does not say what a real room sends, so none is allowed by
   * default.
   * @default []
   * @since 0.1.0
   */
  readonly corsOrigins?: ReadonlyArray<string>
  /**
   * The WebSocket accepts a handshake from any `Origin`, as a real room is documented to, instead
   * of refusing browser pages outside `corsOrigins`: for tests of what a page sees when the room's
   * WebSocket lets it in while its HTTP servers do not. Any site's page in the user's browser can
   * then reach the room. @default false
   * @since 0.1.0
   */
  readonly anyWebSocketOrigin?: boolean
  /**
   * A connection to any of the three servers must send a request's headers within this many
   * milliseconds of connecting (or of starting a request), or it is closed: a client that connects
   * and never speaks cannot hold a socket. @default 10000
   * @since 0.1.0
   */
  readonly headersTimeoutMs?: number
  /**
   * An HTTP connection kept alive between requests is closed after this many idle milliseconds.
   * @default 5000
   * @since 0.1.0
   */
  readonly keepAliveTimeoutMs?: number
  /**
   * A WebSocket client that has not authenticated within this many milliseconds of connecting is
   * closed with code 1008. @default 10000
   * @since 0.1.0
   */
  readonly authTimeoutMs?: number
  /**
   * With a `pin`: a WebSocket client that fails `auth` this many times is closed with code 1008
   * after the last failure's reply. @default 5
   * @since 0.1.0
   */
  readonly maxAuthFailures?: number
  /**
   * With a `pin`: how many `auth` attempts a second the simulator checks from one remote address
   * (over all its connections); an attempt past it is refused unchecked (`too many authentication
   * attempts`), even with the right PIN. Successful attempts give their place back, so reconnecting
   * clients that know the PIN are never held up. Counted per simulator. @default 10
   * @since 0.1.0
   */
  readonly authAttemptsPerSecond?: number
  /** HTTP token lifetime; tokens never expire when a PIN is set, as the documentation says. @default 300000 */
  readonly tokenTtlMs?: number
  /**
   * Where stored files live (`upload-N`, `received-N`). A missing folder is created, parents
   * included; a given folder and the files stored in it are kept after `close()`, and files of an
   * earlier run with the same names are overwritten. @default a new temporary folder, removed with
   * its contents by `close()`
   */
  readonly storageDir?: string
  /** The remote peer accepts every file the room sends. @default true */
  readonly autoAcceptOutgoing?: boolean
  /** The conference files go to with `sendFileToConference`. @default '0000016f35f42ef6@simulator.local#vcs' */
  readonly conferenceId?: string
  /** Log sink; never receives secrets. @default no logging */
  readonly log?: (line: string) => void
}

/**
 * Defaults of {@link RoomSimulatorOptions}.
 *
 * @category simulator
 * @since 0.1.0
 */
export const DEFAULT_SIMULATOR_OPTIONS = {
  host: '127.0.0.1',
  webPort: 0,
  wsPort: 0,
  httpPort: 0,
  seed: 1,
  timeScale: 1,
  maxUploadBytes: 64 * 1024 * 1024,
  maxStorageBytes: 256 * 1024 * 1024,
  maxClientBufferedBytes: 4 * 1024 * 1024,
  corsOrigins: [] as ReadonlyArray<string>,
  anyWebSocketOrigin: false,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  authTimeoutMs: 10_000,
  maxAuthFailures: 5,
  authAttemptsPerSecond: 10,
  tokenTtlMs: 300_000,
  autoAcceptOutgoing: true,
  conferenceId: '0000016f35f42ef6@simulator.local#vcs',
} as const

/**
 * A file a peer offers to the room ({@link RoomSimulator.offerFile}).
 *
 * @category simulator
 * @since 0.1.0
 */
export interface FileOffer {
  readonly fileName: string
  /** The file's content; without it `size` bytes are generated from the seed. */
  readonly data?: Uint8Array | string
  /** Size when no `data` is given. @default 1024 */
  readonly size?: number
  /** @default 'alice@simulator.local' */
  readonly peerId?: string
  /** @default the part of `peerId` before `@` */
  readonly peerDn?: string
  /** Set when the offer comes from a group conference. */
  readonly confId?: string
  /** The transfer ends with status 0 when it reaches this percent. */
  readonly failAtPercent?: number
  /** Transfer speed in bytes per second. @default 1048576 */
  readonly speed?: number
  /** Transfer duration (overrides `speed`). */
  readonly durationMs?: number
  /** Percent between two progress events. @default 20 */
  readonly progressStep?: number
}

/**
 * A file the room sends itself ({@link RoomSimulator.sendFile}), as a scenario's `send` step does.
 *
 * @category simulator
 * @since 0.1.0
 */
export interface FileSend {
  readonly fileName: string
  /** A TrueConf ID, or `'conference'` for the conference (`conferenceId`). */
  readonly to: string
  /** The file's content; without it `size` bytes are generated from the seed. */
  readonly data?: Uint8Array | string
  /** Size when no `data` is given. @default 1024 */
  readonly size?: number
  /** The transfer ends with status 0 when it reaches this percent. */
  readonly failAtPercent?: number
  /** Transfer speed in bytes per second. @default 1048576 */
  readonly speed?: number
  /** Transfer duration (overrides `speed`). */
  readonly durationMs?: number
  /** Percent between two progress events. @default 20 */
  readonly progressStep?: number
}

/**
 * One file request's true state, for proving that a client lost or invented nothing.
 *
 * @category simulator
 * @since 0.1.0
 */
export interface GroundTruthEntry {
  readonly fileRequestId: string
  readonly directionType: 0 | 1
  readonly fileName: string
  readonly fileSize: number
  /** The request's true current status. */
  readonly status: 0 | 1 | 2 | 3
  /** Inbound request declined; the status stays what it was (1). */
  readonly rejected: boolean
  /** Outbound: the uploaded file; inbound: once complete. */
  readonly fileId?: number
  readonly peerId?: string
  readonly confId?: string
}

/**
 * A running simulator.
 *
 * @category simulator
 * @since 0.1.0
 */
export interface RoomSimulator {
  /** `web` serves `config.json`; `ws` is the WebSocket; `http` the built-in file server. */
  readonly urls: { readonly web: string; readonly ws: string; readonly http: string }
  readonly pin: string | undefined
  /**
   * The folder stored files live in: `storageDir` as given, or the simulator's own temporary folder.
   *
   * @since 0.1.0
   */
  readonly storageDir: string
  /** A peer offers a file: emits `receivedFileRequest` and status 1; returns the `fileRequestId`. */
  offerFile(offer: FileOffer): string
  /**
   * The room sends a file itself: stores it as an upload (`upload-N`), then sends it to a peer or to
   * the conference (`outgoingFileRequestSent…`, status 1, and on from there). Resolves with the
   * `fileRequestId`; rejects when file transfer is unavailable, the storage quota is used up or the
   * simulator is closed.
   *
   * @since 0.1.0
   */
  sendFile(send: FileSend): Promise<string>
  /** Makes a transfer end with status 0 when it reaches `atPercent` (now when already past it or absent); throws for an unknown id, does nothing for a request that has already ended. */
  failTransfer(fileRequestId: string, atPercent?: number): void
  /** Emits `fileTransferAvailabilityChanged` when the value changes. */
  setAvailability(availability: 0 | 1 | 2 | 3): void
  /** Closes every client socket: abruptly without a code, cleanly with one (e.g. 1000). */
  disconnectClients(code?: number): void
  injectFault(fault: Fault): void
  clearFaults(): void
  groundTruth(): ReadonlyArray<GroundTruthEntry>
  /**
   * Resolves when nothing is scheduled any more: every scenario step has run and every accepted
   * transfer has ended. It does not wait for offers still waiting for a client's accept (they stay at
   * status 1), nor for events to reach clients (socket buffers, `reorderEvents`, `stallReplies`). A
   * scenario not started yet (no client authenticated) counts as pending, so with a scenario and no
   * client it resolves only on `close()`.
   */
  idle(): Promise<void>
  /** Connected WebSocket clients. */
  readonly clientCount: number
  close(): Promise<void>
}
