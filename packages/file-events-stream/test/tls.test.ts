import { readFileSync } from 'node:fs'
import { type Server, createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import { type RoomConnection, isRetriesExhaustedError } from '../src/index'
import { connectRoom } from '../src/node'
import { ready } from './helpers'

// A self-signed certificate for 127.0.0.1, made for these tests only.
const cert = readFileSync(join(__dirname, 'fixtures/localhost-cert.pem'))
const key = readFileSync(join(__dirname, 'fixtures/localhost-key.pem'))

let server: Server
let wss: WebSocketServer
let url = ''
let connection: RoomConnection | undefined

beforeAll(async () => {
  server = createServer({ cert, key })
  wss = new WebSocketServer({ server })
  wss.on('connection', (socket) =>
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { method: string; requestId?: string }
      const lists = { incomingFilesRequests: [], outgoingFilesRequests: [], filesRequests: [] }
      socket.send(
        JSON.stringify({
          method: frame.method,
          requestId: frame.requestId ?? '',
          result: true,
          token: 't',
          tokenForHttpServer: 'h',
          ...lists,
        }),
      )
    }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `wss://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterEach(() => {
  connection?.close()
  connection = undefined
})

afterAll(async () => {
  for (const c of wss.clients) c.terminate()
  await new Promise((resolve) => wss.close(resolve))
  await new Promise((resolve) => server.close(resolve))
})

describe('TLS', () => {
  it('connects over wss with a custom CA passed to the ws client', async () => {
    connection = connectRoom({
      wsUrl: url,
      httpUrl: 'https://127.0.0.1:9',
      webSocketOptions: { ca: cert },
    })
    await expect(ready(connection)).resolves.toMatchObject({ status: 'ready', url })
  })

  it('refuses a certificate it cannot verify', async () => {
    connection = connectRoom({ wsUrl: url, httpUrl: 'https://127.0.0.1:9', maxRetries: 0 })
    const error = await new Promise((resolve) => connection?.state$.subscribe({ error: resolve }))
    expect(isRetriesExhaustedError(error)).toBe(true)
    expect(error).toMatchObject({
      attempts: 1,
      message: 'gave up after 1 failed connection attempt',
    })
    expect((error as { lastError: Error }).lastError).toMatchObject({ code: 'ERR_CONNECTION' })
    expect(String((error as { lastError: Error }).lastError.message)).toMatch(/certificate/i)
  })
})
