import { getEventListeners, once } from 'node:events'
import { mkdirSync, readdirSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { type RoomSimulator, startRoomSimulator } from '@org/room-simulator'
import {
  isConfigurationError,
  isConnectionClosedError,
  isDownloadError,
  isHttpError,
} from '../src/index'
import { type NodeConnectRoomOptions, type NodeRoomConnection, connectRoom } from '../src/node'
import { ready, tempDir } from './helpers'

/** File actions at the edges: after the end of the connection, with bad arguments, with secrets in causes. */

const PIN = 'pin-7Hq2'
let simulator: RoomSimulator | undefined
let room: NodeRoomConnection | undefined
let folder: { dir: string; remove: () => void } | undefined

const start = async (
  options: Partial<NodeConnectRoomOptions> = {},
): Promise<{ sim: RoomSimulator; room: NodeRoomConnection; dir: string }> => {
  simulator = await startRoomSimulator({ timeScale: 0.02, pin: PIN })
  room = connectRoom({
    wsUrl: simulator.urls.ws,
    httpUrl: simulator.urls.http,
    pin: PIN,
    requestTimeoutMs: 5_000,
    ...options,
  })
  folder = tempDir()
  await ready(room)
  return { sim: simulator, room, dir: folder.dir }
}

afterEach(async () => {
  room?.close()
  room = undefined
  await simulator?.close()
  simulator = undefined
  folder?.remove()
  folder = undefined
})

/** What a promise rejects with (undefined if it resolves). */
const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

/** Whether the folder holds no file at all (no partial download either). */
const empty = (dir: string): boolean => readdirSync(dir).length === 0

describe('after close()', () => {
  it('uploads, sends and downloads reject with ConnectionClosedError and write nothing', async () => {
    const { room, dir } = await start()
    const fileId = await room.uploadFile('kept before the end', 'before.txt')
    room.close()
    expect(isConnectionClosedError(await rejection(room.uploadFile('hello', 'a.txt')))).toBe(true)
    expect(
      isConnectionClosedError(
        await rejection(
          room.sendFile({ data: 'hello', fileName: 'a.txt', to: 'bob@simulator.local' }),
        ),
      ),
    ).toBe(true)
    expect(isConnectionClosedError(await rejection(room.downloadFile(fileId, { dir })))).toBe(true)
    expect(isConnectionClosedError(await rejection(room.openDownload(fileId)))).toBe(true)
    expect(empty(dir)).toBe(true)
  })

  it('stops a download in progress: it rejects with ConnectionClosedError and leaves no partial file', async () => {
    const { room, dir } = await start()
    const fileId = await room.uploadFile(new Uint8Array(48 * 1024 * 1024), 'large.bin')
    const download = room.downloadFile(fileId, { dir })
    const settled = download.then(
      () => 'finished',
      () => 'failed',
    )
    // Waits until bytes are being written (the temporary file exists), then ends the connection.
    let writing = false
    while (!writing && (await Promise.race([settled, Promise.resolve('running')])) === 'running') {
      writing = readdirSync(dir).some((name) => name.endsWith('.part'))
      if (!writing) await new Promise((resolve) => setImmediate(resolve))
    }
    expect(writing).toBe(true)
    room.close()
    expect(isConnectionClosedError(await rejection(download))).toBe(true)
    expect(empty(dir)).toBe(true)
  })
})

describe('listeners', () => {
  it("finished uploads and downloads leave no listener on the caller's signal or the connection's", async () => {
    const { room, dir } = await start()
    const fileId = await room.uploadFile('hello', 'a.txt')
    const caller = new AbortController()
    for (let i = 0; i < 20; i++) {
      await room.downloadFile(fileId, { dir, signal: caller.signal })
      await room.downloadFile(fileId, { dir })
      await room.uploadFile('x', 'x.txt')
    }
    // fetch leaves its own listener on the signal it is given, so each request must get its own.
    const ended = (room as unknown as { policy: { parts: { ended: AbortController } } }).policy
      .parts.ended.signal
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)
    expect(getEventListeners(ended, 'abort')).toHaveLength(0)
  })
})

describe('bad arguments', () => {
  it('an already aborted signal fails the download as aborted, before any request', async () => {
    const { room, dir } = await start()
    const fileId = await room.uploadFile('x', 'x.txt')
    const error: unknown = await room
      .downloadFile(fileId, { dir, signal: AbortSignal.abort() })
      .catch((e: unknown) => e)
    expect(isDownloadError(error) && error.reason).toBe('aborted')
    expect(empty(dir)).toBe(true)
  })

  it('a folder, or a path that does not exist, as the file to send is a ConfigurationError', async () => {
    const { room, dir } = await start()
    const sub = join(dir, 'sub')
    mkdirSync(sub)
    for (const path of [sub, join(dir, 'missing.txt')]) {
      const error: unknown = await room
        .sendFile({ path, to: 'bob@simulator.local' })
        .catch((e: unknown) => e)
      expect(isConfigurationError(error)).toBe(true)
      expect((error as Error).message).toContain(path)
    }
  })

  it('an empty file name is refused before anything is uploaded', async () => {
    const { room } = await start()
    for (const fileName of ['', '   ']) {
      expect(
        isConfigurationError(
          await rejection(room.sendFile({ data: 'x', fileName, to: 'bob@simulator.local' })),
        ),
      ).toBe(true)
    }
  })
})

describe('secrets in causes', () => {
  it('a fetch failure that quotes the URL gives an HttpError whose printed form holds neither token nor PIN', async () => {
    const { sim } = await start()
    // fetch implementations quote the URL, token included, in some failures (undici: "Failed to
    // parse URL from ..."), at any depth of causes.
    const quoting = (url: string | URL | Request): Promise<Response> =>
      Promise.reject(
        new TypeError('fetch failed', {
          cause: new TypeError(`Failed to parse URL from ${String(url)}`, {
            cause: new Error(`${PIN} ${String(url)}`),
          }),
        }),
      )
    const broken = connectRoom({
      wsUrl: sim.urls.ws,
      httpUrl: sim.urls.http,
      pin: PIN,
      requestTimeoutMs: 5_000,
      fetch: quoting as typeof fetch,
    })
    try {
      const error: unknown = await rejection(broken.uploadFile('x', 'x.txt'))
      expect(isHttpError(error)).toBe(true)
      const printed = inspect(error, { depth: 10 })
      expect(printed).toContain('Failed to parse URL from')
      expect(printed).toContain('token=***')
      expect(printed).not.toMatch(/token=(?!\*\*\*)/)
      expect(printed).not.toContain(PIN)
    } finally {
      broken.close()
    }
  })

  it('a refused connection says why, not only "fetch failed"', async () => {
    // A port nothing listens on (fetch refuses some low ports by itself, such as 1).
    const server = createServer().listen(0, '127.0.0.1')
    await once(server, 'listening')
    const port = (server.address() as AddressInfo).port
    await new Promise((resolve) => server.close(resolve))
    const { room } = await start({ httpUrl: `http://127.0.0.1:${port}` })
    const error: unknown = await room.uploadFile('x', 'x.txt').catch((e: unknown) => e)
    expect(isHttpError(error)).toBe(true)
    expect((error as Error).message).toMatch(/ECONNREFUSED/)
  })
})
