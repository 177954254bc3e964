import type { Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { transferFrames } from './corpus'
import { replyTo, textFrame } from './roomReplies'

/**
 * The server side of the end-to-end benchmark, run in its own process so that its work does not
 * share the client's event loop. It answers `auth` and the resync list commands like a room, then
 * sends `count` pre-encoded event frames as fast as the socket takes them, then a `benchDone`
 * event. Prints `{"port":P}` when listening.
 */
const count = Number(process.argv[2] ?? 100_000)
const corpus = transferFrames(20_000, 3)
const DONE = JSON.stringify({ method: 'event', event: 'benchDone', count })

/**
 * The corpus as WebSocket wire bytes, built once: sending pre-framed bytes straight to the TCP
 * socket lets this process produce frames faster than any client consumes them, so the benchmark
 * measures the client, not the server.
 */
const wire = Buffer.concat(corpus.map(textFrame))

const blast = (socket: WebSocket): void => {
  const tcp = (socket as unknown as { _socket: Socket })._socket
  let sent = 0
  const pump = (): void => {
    while (sent < count) {
      // Whole corpus copies, then the remainder frame by frame.
      const ok =
        count - sent >= corpus.length
          ? tcp.write(wire)
          : tcp.write(Buffer.concat(corpus.slice(0, count - sent).map(textFrame)))
      sent += Math.min(corpus.length, count - sent)
      if (!ok) {
        tcp.once('drain', pump)
        return
      }
    }
    socket.send(DONE)
  }
  pump()
}

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
server.on('connection', (socket) => {
  let started = false
  socket.on('message', (data) => {
    const request = JSON.parse(String(data)) as { method?: unknown; requestId?: unknown }
    socket.send(replyTo(request))
    if (request.method === 'auth' && !started) {
      started = true
      blast(socket)
    }
  })
})
server.on('listening', () => {
  const address = server.address()
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 })}\n`,
  )
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
