import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Observable, firstValueFrom, filter, timeout } from 'rxjs'
import { WebSocket } from 'ws'
import type {
  ConnectionState,
  FileRequestsState,
  RoomConnection,
  WebSocketConstructor,
} from '../src/index'

/** A `ws` WebSocket class that counts the sockets it opens. */
export const countingWebSocket = (): { Ctor: WebSocketConstructor; readonly count: number } => {
  const counter = { count: 0 }
  class Counting extends WebSocket {
    constructor(url: string, protocols?: string | string[], options?: object) {
      super(url, protocols, options)
      counter.count++
    }
  }
  return {
    Ctor: Counting as unknown as WebSocketConstructor,
    get count() {
      return counter.count
    },
  }
}

/** The first value matching `predicate`, failing after `ms` with a readable message. */
export const first = <T>(
  source: Observable<T>,
  predicate: (value: T) => boolean,
  what: string,
  ms = 10_000,
): Promise<T> =>
  firstValueFrom(
    source.pipe(
      filter(predicate),
      timeout({
        first: ms,
        with: () => {
          throw new Error(`timed out after ${ms} ms waiting for ${what}`)
        },
      }),
    ),
  )

export const ready = (connection: RoomConnection): Promise<ConnectionState> =>
  first(connection.state$, (s) => s.status === 'ready', 'the connection to be ready')

export const tracked = (
  connection: RoomConnection,
  predicate: (state: FileRequestsState) => boolean,
  what: string,
  ms?: number,
): Promise<FileRequestsState> => first(connection.fileRequests$, predicate, what, ms)

/** A temporary folder, removed by the returned function. */
export const tempDir = (): { dir: string; remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), 'file-events-stream-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Resolves once `check()` holds, polling every 5 ms; rejects after `timeoutMs` (so no test hangs). */
export const until = async (check: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/**
 * Runs `script` in a Node child process with `--expose-gc` (from the package folder, so that it
 * can require `ws` and `dist/`), and parses the one JSON object it writes to stdout; when it writes
 * none, the result carries its stderr as `error`.
 */
export const runChild = async <T extends object>(
  script: string,
): Promise<Partial<T> & { error?: string }> => {
  const child = spawn(process.execPath, ['--expose-gc', '-e', script], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += String(d)))
  child.stderr.on('data', (d: Buffer) => (err += String(d)))
  await new Promise((resolve) => child.on('exit', resolve))
  const result: Partial<T> & { error?: string } =
    out === '' ? {} : (JSON.parse(out) as Partial<T> & { error?: string })
  if (out === '') result.error = `no result; stderr: ${err}`
  return result
}
