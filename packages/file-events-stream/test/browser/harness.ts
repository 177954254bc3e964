// Runs inside the page, bundled for the browser with the package's main entry (src/index.ts) by
// browser.test.ts. It drives one connection and answers the test in plain JSON.
import {
  type ConnectRoomOptions,
  type FileRequestsState,
  type RoomConnection,
  connectRoom,
  exponentialBackoff,
} from '../../src/index'

/** An error as the test sees it: plain fields, and which streams ended with this very object. */
export interface ErrorReport {
  readonly name: string
  readonly code: string | undefined
  readonly message: string
  /** A `RetriesExhaustedError`'s `lastError` message: why the last attempt failed. */
  readonly lastError: string | undefined
  readonly streams: string[]
}

export interface TrackedReport {
  readonly id: string
  readonly direction: number
  readonly fileName: string
  readonly status: number
  readonly terminal: boolean
  readonly rejected: boolean
  readonly fileId: number | undefined
}

export interface HarnessReport {
  readonly states: string[]
  readonly readyCount: number
  readonly events: number
  readonly eventNames: string[]
  readonly tracked: TrackedReport[]
  readonly errors: ErrorReport[]
  readonly urls: { readonly wsUrl: string; readonly httpUrl: string } | undefined
}

/** What `start` takes: the endpoint and PIN, plain JSON from the test. */
export type StartOptions = Pick<ConnectRoomOptions, 'host' | 'webPort' | 'wsUrl' | 'httpUrl' | 'maxRetries'> & {
  readonly pin: string
}

let room: RoomConnection | undefined
let states: string[] = []
let events: string[] = []
let tracker: FileRequestsState | undefined
let errors: { error: unknown; streams: string[] }[] = []
const waiters = new Set<() => void>()
const changed = (): void => waiters.forEach((w) => w())

const fail = (stream: string) => (error: unknown) => {
  const seen = errors.find((e) => e.error === error)
  if (seen) seen.streams.push(stream)
  else errors.push({ error, streams: [stream] })
  changed()
}

const report = (): HarnessReport => ({
  states,
  readyCount: states.filter((s) => s === 'ready').length,
  events: events.length,
  eventNames: [...new Set(events)],
  tracked: [...(tracker?.requests.values() ?? [])].map((r) => ({
    id: r.fileRequestId,
    direction: r.direction,
    fileName: r.fileName ?? '',
    status: r.status,
    terminal: r.terminal,
    rejected: r.rejected,
    fileId: r.fileId === undefined ? undefined : Number(r.fileId),
  })),
  errors: errors.map(({ error, streams }) => {
    const e = error as { name?: string; code?: string; message?: string; lastError?: { message?: string } }
    const lastError = e.lastError?.message
    return { name: String(e.name), code: e.code, message: String(e.message), lastError, streams }
  }),
  urls: room?.urls,
})

/** Resolves with the report once `test` holds for it (checked after every change). */
const until = (test: (r: HarnessReport) => boolean): Promise<HarnessReport> =>
  new Promise((resolve) => {
    const check = (): void => {
      const r = report()
      if (!test(r)) return
      waiters.delete(check)
      resolve(r)
    }
    waiters.add(check)
    check()
  })

const describeError = (error: unknown): string => {
  const e = error as { name?: string; message?: string }
  return `${String(e.name)}: ${String(e.message)}`
}

const harness = {
  start(options: StartOptions): void {
    states = []
    events = []
    errors = []
    tracker = undefined
    room = connectRoom({ ...options, backoff: exponentialBackoff({ initialDelayMs: 20, maxDelayMs: 200 }) })
    room.state$.subscribe({ next: (s) => (states.push(s.status), changed()), error: fail('state$') })
    room.events$.subscribe({ next: (e) => (events.push(e.event), changed()), error: fail('events$') })
    room.fileRequests$.subscribe({ next: (s) => ((tracker = s), changed()), error: fail('fileRequests$') })
    room.decodeFailures$.subscribe({ error: fail('decodeFailures$') })
  },
  report,
  untilReady: (count = 1) => until((r) => r.readyCount >= count),
  untilEnded: () => until((r) => r.states.includes('closed') && r.errors.length > 0),
  untilTerminal: (count: number) => until((r) => r.tracked.filter((t) => t.terminal).length >= count),
  untilWaitingOffer: () => until((r) => r.tracked.some((t) => t.direction === 0 && t.status === 1 && !t.terminal)),
  accept: (id: string): Promise<string> =>
    room!.acceptFile(id).then(
      () => 'ok',
      (e: unknown) => describeError(e),
    ),
  reject: (id: string): Promise<string> =>
    room!.rejectFile(id).then(
      () => 'ok',
      (e: unknown) => describeError(e),
    ),
  /** `sendFile` with a Blob; the new fileRequestId, or the error as text. */
  sendBlob: (text: string, fileName: string, to: string): Promise<{ id?: string; error?: string }> =>
    room!.sendFile({ data: new Blob([text], { type: 'text/plain' }), fileName, to }).then(
      (id) => ({ id }),
      (e: unknown) => ({ error: describeError(e) }),
    ),
  /** `openDownload`; the body as text, or the error as text. */
  download: (fileId: number): Promise<{ text?: string; error?: string }> =>
    room!
      .openDownload(fileId)
      .then((response) => response.text())
      .then(
        (text) => ({ text }),
        (e: unknown) => ({ error: describeError(e) }),
      ),
  close(): void {
    room?.close()
    room = undefined
  },
}

export type Harness = typeof harness
;(globalThis as unknown as { harness: Harness }).harness = harness
