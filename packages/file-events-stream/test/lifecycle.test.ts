/**
 * The connection's life as users expect it, on real sockets: `await room.ready()`, `await
 * room.close()` that resolves once nothing is left running, `await using`, and a `signal` on every
 * action.
 */
import { createServer } from 'node:http'
import { readdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { WebSocket } from 'ws'
import {
  type RoomConnection,
  type WebSocketConstructor,
  connectRoom,
  isAuthenticationError,
  isConnectionClosedError,
} from '../src/index'
import { connectRoom as connectNodeRoom } from '../src/node'
import { tempDir, until } from './helpers'
import { closeRooms, startRoom } from './wsRoom'

const Ctor = WebSocket as unknown as WebSocketConstructor
const connections: RoomConnection[] = []
afterEach(async () => {
  for (const c of connections.splice(0)) await c.close()
  await closeRooms()
})
const connect = (url: string, pin = '246810'): RoomConnection => {
  const c = connectRoom({ wsUrl: url, pin, WebSocketCtor: Ctor, keepAliveMs: 0, maxRetries: 0 })
  connections.push(c)
  return c
}

/** The PIN and the command the rooms below leave waiting (no reply ever comes). */
const WAITING = {
  pin: '246810',
  offered: [],
  unanswered: ['acceptIncomingFileRequest', 'sendFileToConference'],
}

describe('ready()', () => {
  it('resolves with the ready state, connecting if nothing has yet, and at once when ready', async () => {
    const room = await startRoom({ pin: '246810', offered: [] })
    const c = connect(room.url)
    const state = await c.ready()
    expect(state).toMatchObject({ status: 'ready', url: room.url, connects: 1 })
    await expect(c.ready()).resolves.toMatchObject({ status: 'ready' })
  })

  it('rejects with the error that ends the connection: a wrong PIN', async () => {
    const room = await startRoom({ pin: '246810', offered: [] })
    const error = await connect(room.url, '000000')
      .ready()
      .catch((e: unknown) => e)
    expect(isAuthenticationError(error)).toBe(true)
  })

  it('rejects with the signal’s reason, and after close() with ConnectionClosedError', async () => {
    // A room that never answers auth: ready never comes.
    const room = await startRoom({ ...WAITING, unanswered: ['auth'] })
    const c = connect(room.url)
    const reason = new Error('gave up waiting')
    const controller = new AbortController()
    const waiting = c.ready({ signal: controller.signal })
    controller.abort(reason)
    await expect(waiting).rejects.toBe(reason)
    await expect(c.ready({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
    const later = c.ready()
    await c.close()
    expect(isConnectionClosedError(await later.catch((e: unknown) => e))).toBe(true)
    expect(isConnectionClosedError(await c.ready().catch((e: unknown) => e))).toBe(true)
  })
})

describe('close()', () => {
  it('resolves once the socket is closed: the server holds none, and the same promise comes again', async () => {
    const room = await startRoom(WAITING)
    const c = connect(room.url)
    await c.ready()
    expect(room.clients()).toBe(1)
    const closing = c.close()
    expect(c.close()).toBe(closing)
    await closing
    // The client's end is closed; the server sees it once the close frame has gone both ways.
    await until(() => room.clients() === 0, 2_000)
  })

  it('resolves after a waiting command has settled, with ConnectionClosedError', async () => {
    const room = await startRoom(WAITING)
    const c = connect(room.url)
    await c.ready()
    let settled: unknown
    const accepting = c.acceptFile('r1').catch((e: unknown) => {
      settled = e
    })
    await c.close()
    expect(isConnectionClosedError(settled)).toBe(true)
    await accepting
  })

  it('resolves after a download in progress has ended and its partial file is gone', async () => {
    const room = await startRoom(WAITING)
    // The HTTP server sends half a file, then nothing.
    const http = createServer((_request, response) => {
      response.writeHead(200, { 'content-length': '2000000' })
      response.write(Buffer.alloc(1_000_000))
    })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    const httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
    const c = connectNodeRoom({ wsUrl: room.url, httpUrl, pin: '246810', keepAliveMs: 0 })
    connections.push(c)
    await c.ready()
    const { dir, remove } = tempDir()
    try {
      let settled = false
      const download = c.downloadFile(7, { dir }).finally(() => {
        settled = true
      })
      download.catch(() => undefined)
      await until(() => readdirSync(dir).length > 0)
      await c.close()
      expect(settled).toBe(true)
      expect(readdirSync(dir)).toEqual([])
    } finally {
      remove()
      http.closeAllConnections()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    }
  })
})

describe('close() and a room that never answers the close frame', () => {
  it('ends the socket after the 2 s grace, and resolves', async () => {
    const { WebSocketServer } = await import('ws')
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
    const raws: Array<{ pause(): void; destroy(): void }> = []
    wss.on('connection', (socket) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as Record<string, unknown>
        const fields: Record<string, unknown> =
          frame['method'] === 'auth'
            ? { token: 'session-token-0123', tokenForHttpServer: 'http-token-0123' }
            : { incomingFilesRequests: [], outgoingFilesRequests: [], filesRequests: [] }
        socket.send(
          JSON.stringify({
            method: frame['method'],
            requestId: frame['requestId'],
            result: true,
            ...fields,
          }),
        )
        if (frame['method'] === 'getFileTransferHistory') {
          // From now on the room reads nothing: the close frame is never answered.
          const raw = (socket as unknown as { _socket: { pause(): void; destroy(): void } })._socket
          raw.pause()
          raws.push(raw)
        }
      })
    })
    try {
      const c = connect(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`)
      await c.ready()
      const started = Date.now()
      await c.close()
      // Not before the grace: the client waited for the room's answer first, then ended the socket.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_900)
      expect(raws).toHaveLength(1)
    } finally {
      for (const raw of raws) raw.destroy()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    }
  })
})

describe('await using', () => {
  it('closes the connection, and waits for it, at the end of the block', async () => {
    const server = await startRoom(WAITING)
    {
      await using room = connectRoom({
        wsUrl: server.url,
        pin: '246810',
        WebSocketCtor: Ctor,
        keepAliveMs: 0,
      })
      await room.ready()
      expect(server.clients()).toBe(1)
    }
    await until(() => server.clients() === 0, 2_000)
  })
})

describe('a signal on every action', () => {
  it('acceptFile, rejectFile and sendUploaded reject with the signal’s reason', async () => {
    const room = await startRoom(WAITING)
    const c = connect(room.url)
    await c.ready()
    const reason = new Error('not any more')
    const controller = new AbortController()
    const accepting = c.acceptFile('r1', { signal: controller.signal })
    controller.abort(reason)
    await expect(accepting).rejects.toBe(reason)
    await expect(c.rejectFile('r2', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
    await expect(c.sendUploaded(5, 'carol', { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    )
    const sending = new AbortController()
    const toConference = c.sendUploaded(5, 'conference', { signal: sending.signal })
    sending.abort(reason)
    await expect(toConference).rejects.toBe(reason)
    await c.close()
  })
})

describe('no process warning in ordinary use', () => {
  it('twelve uploads at once add one listener to the connection, not twelve', async () => {
    const room = await startRoom(WAITING)
    let next = 0
    const http = createServer((request, response) => {
      request.resume()
      request.on('end', () => {
        response.writeHead(200, { FileId: String(++next) })
        response.end()
      })
    })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    const httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
    const c = connectRoom({
      wsUrl: room.url,
      httpUrl,
      pin: '246810',
      WebSocketCtor: Ctor,
      keepAliveMs: 0,
    })
    connections.push(c)
    await c.ready()
    const ids = await Promise.all(
      Array.from({ length: 12 }, (_, i) => c.uploadFile(`file ${i}`, `f${i}.txt`)),
    )
    expect(new Set(ids).size).toBe(12)
    await new Promise((resolve) => setImmediate(resolve))
    expect((globalThis as { __processWarnings?: string[] }).__processWarnings).toEqual([])
    await c.close()
    await new Promise<void>((resolve) => http.close(() => resolve()))
  })
})
