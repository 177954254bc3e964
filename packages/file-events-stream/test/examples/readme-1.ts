// From README.md; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { type FileEvent, directionTypeName, isInboundFileReceived } from '@org/file-events-codec'
import { isAuthenticationError } from '../../src/index'
import { connectRoom } from '../../src/node'

// Connect: ports are discovered through http://HOST:80/public/default/config.json.
const room = connectRoom({ host: '192.168.1.20', pin: process.env.ROOM_PIN })

// When the connection ends for good (a wrong PIN, retries exhausted, ...), every stream errors
// with that same error, by design: give every subscription an error handler.
const onEnd = (e: unknown) => console.error(isAuthenticationError(e) ? 'wrong PIN' : e)

room.state$.subscribe({ next: (s) => console.log('connection:', s.status), error: onEnd })

// Watch transfers: one state per file request, updated by every event and every resync.
room.fileRequests$.subscribe({
  next: (state) => {
    // The map's iteration order is unspecified: sort for a stable listing.
    const requests = [...state.requests.values()].sort((a, b) => a.firstSeen - b.firstSeen)
    for (const r of requests) {
      // outcome: 'active', 'complete', 'failed' or 'rejected'.
      console.log(r.fileName, directionTypeName(r.direction), r.outcome, `${r.percent} %`)
    }
  },
  error: onEnd,
})

// Accept every offer, and download what arrives into ./inbox (which must exist).
const onEvent = async (event: FileEvent): Promise<void> => {
  if (event.event === 'receivedFileRequest') await room.acceptFile(event.fileRequestId)
  // A complete inbound file, with the fileId to download it by (the guard narrows).
  if (isInboundFileReceived(event)) {
    const saved = await room.downloadFile(event.fileId, { dir: './inbox' })
    console.log('saved', saved.path, saved.bytes, 'bytes')
  }
}
room.events$.subscribe({
  // A failed command rejects: catch it here, or it becomes an unhandled rejection.
  next: (event) => void onEvent(event).catch((e: unknown) => console.error('file action failed:', e)),
  error: onEnd,
})

// Send: upload to the room's HTTP server, then to a peer or to the ongoing conference.
const toPeer = await room.sendFile({ path: './report.pdf', to: 'user@server.trueconf' })
const toConference = await room.sendFile({ data: 'minutes', fileName: 'minutes.txt', to: 'conference' })
console.log('sent as', toPeer, toConference)

// When the app shuts down: streams complete, pending requests reject with ConnectionClosedError;
// the promise resolves once nothing of the connection is left running.
process.on('SIGINT', () => void room.close().then(() => console.log('closed')))
export {}
