import type { Socket } from 'node:net'
import { createInterface } from 'node:readline'
import { WebSocketServer } from 'ws'
import { transferFrames } from './corpus'
import { replyTo, textFrame } from './roomReplies'

/**
 * The rooms of the sparse fleet benchmark, in a process of their own: one WebSocket server whose
 * every connection is a room. A client names its kind in the path (`/raw`, `/stream`, ...), so
 * that each kind's rooms can be sent to apart. Rooms answer `auth` and the resync lists like a
 * room. On a line `{"kind":K,"count":N,"rate":R}` on stdin, N event frames go to kind K's rooms,
 * round-robin, R a second in all, each in a write of its own (the socket has no delay), so that
 * each reaches the client in a read of its own; then the line `{"sent":N}`. Each room sends the
 * transfers of the corpus from a place of its own, in order, so its tracker sees whole lifecycles.
 * Prints `{"port":P}` when listening.
 */
const corpus = transferFrames(20_000, 3).map(textFrame)

interface Room {
  readonly tcp: Socket
  next: number
}

const rooms = new Map<string, Room[]>()

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, backlog: 4096 })
server.on('connection', (socket, request) => {
  const kind = (request.url ?? '/').slice(1)
  const tcp = (socket as unknown as { _socket: Socket })._socket
  tcp.setNoDelay(true)
  const list = rooms.get(kind) ?? []
  rooms.set(kind, list)
  const room: Room = { tcp, next: (list.length * 7919) % corpus.length }
  list.push(room)
  socket.on('message', (data) => {
    socket.send(replyTo(JSON.parse(String(data)) as { method?: unknown; requestId?: unknown }))
  })
  socket.on('close', () => list.splice(list.indexOf(room), 1))
})

const send = (kind: string, count: number, rate: number): void => {
  const list = rooms.get(kind) ?? []
  const started = performance.now()
  let sent = 0
  const tick = (): void => {
    const due = Math.min(count, Math.floor(((performance.now() - started) * rate) / 1000))
    while (sent < due && list.length > 0) {
      const room = list[sent % list.length] as Room
      room.tcp.write(corpus[room.next] as Buffer)
      room.next = (room.next + 1) % corpus.length
      sent++
    }
    if (sent < count && list.length > 0) return
    clearInterval(timer)
    process.stdout.write(`${JSON.stringify({ sent })}\n`)
  }
  const timer = setInterval(tick, 1)
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const { kind, count, rate } = JSON.parse(line) as { kind: string; count: number; rate: number }
  send(kind, count, rate)
})
server.on('listening', () => {
  const address = server.address()
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 })}\n`,
  )
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
process.stdin.on('end', () => process.exit(0))
