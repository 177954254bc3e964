/**
 * Frames a room may send under the 1 MiB frame cap that io-ts' own validation turns into millions
 * of errors (300,000 bad list items: 666 MiB and seconds for one frame). Through a real connection
 * on real sockets, in a child process whose heap is capped far below what that costs: three such
 * frames, sent unprompted, are reported and the stream goes on to the next event. Needs the built
 * package (CI builds before testing).
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const PACKAGE = join(__dirname, '..')

const script = `
const { WebSocketServer, WebSocket } = require('ws')
const { connectRoom } = require('./dist/node.cjs')
const list = (method, field, count, item) =>
  JSON.stringify({ method, requestId: '', result: true, [field]: Array(count).fill(item) })
const frames = [
  list('getIncomingFilesRequests', 'incomingFilesRequests', 300000, {}),
  list('getFileTransferHistory', 'filesRequests', 300000, {}),
  list('getIncomingFilesRequests', 'incomingFilesRequests', 500000, 0),
]
const event = JSON.stringify({ method: 'event', event: 'fileTransferAvailabilityChanged', availability: 3 })
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
wss.on('connection', (socket) => socket.on('message', (data) => {
  const frame = JSON.parse(String(data))
  const reply = (fields) => socket.send(JSON.stringify({ method: frame.method, requestId: frame.requestId, result: true, ...fields }))
  if (frame.method === 'auth') reply({ token: 'session-token-0123', tokenForHttpServer: 'http-token-0123' })
  else if (frame.method === 'getIncomingFilesRequests') reply({ incomingFilesRequests: [] })
  else if (frame.method === 'getOutgoingFilesRequests') reply({ outgoingFilesRequests: [] })
  else if (frame.method === 'getFileTransferHistory') {
    reply({ filesRequests: [] })
    setTimeout(() => { for (const f of frames) socket.send(f); socket.send(event) }, 20)
  }
}))
wss.on('listening', () => {
  const room = connectRoom({ wsUrl: 'ws://127.0.0.1:' + wss.address().port, WebSocketCtor: WebSocket, keepAliveMs: 0 })
  const failures = []
  room.decodeFailures$.subscribe((f) => failures.push(f.messages[0]))
  room.events$.subscribe((e) => {
    process.stdout.write(JSON.stringify({ failures, event: e.event, heapMiB: Math.round(process.memoryUsage().heapUsed / 1048576) }))
    room.close()
    wss.close()
  })
})
`

const built = existsSync(join(PACKAGE, 'dist/node.cjs'))

describe('hostile frames through a connection', () => {
  ;(built ? it : it.skip)(
    'three frames of 300,000 and 500,000 bad items are reported within a 96 MiB heap, and the next event arrives',
    () => {
      const out = execFileSync(process.execPath, ['--max-old-space-size=96', '-e', script], {
        cwd: PACKAGE,
        encoding: 'utf8',
        timeout: 60_000,
      })
      const result = JSON.parse(out) as { failures: string[]; event: string; heapMiB: number }
      expect(result.event).toBe('fileTransferAvailabilityChanged')
      expect(result.failures).toEqual([
        'getIncomingFilesRequests.incomingFilesRequests: 300000 of 300000 items failed (the first 3 are explained)',
        'getFileTransferHistory.filesRequests: 300000 of 300000 items failed (the first 3 are explained)',
        'getIncomingFilesRequests.incomingFilesRequests: 500000 of 500000 items failed (the first 3 are explained)',
      ])
    },
  )
})
