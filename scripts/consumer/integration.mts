// A newcomer's integration, written against the packed tarballs as a user installs them: a
// simulator, a connection, `await room.ready()`, rxjs operators, accept, download, `await using`.
// scripts/check-consumer.mjs type-checks it under --strict (no `!`, no casts) and runs it; it
// must print no warning. It prints one JSON line with what happened.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isInboundFileReceived } from '@org/file-events-codec'
import { isRoomClientError, ofEvent } from '@org/file-events-stream'
import { connectRoom } from '@org/file-events-stream/node'
import { startRoomSimulator } from '@org/room-simulator'
import { filter, firstValueFrom } from 'rxjs'

const dir = await mkdtemp(join(tmpdir(), 'newcomer-'))
const simulator = await startRoomSimulator({ pin: '123456' })
try {
  await using room = connectRoom({
    wsUrl: simulator.urls.ws,
    httpUrl: simulator.urls.http,
    pin: '123456',
  })
  const offered = room.events$.pipe(ofEvent('receivedFileRequest'))
  const received = firstValueFrom(room.events$.pipe(filter(isInboundFileReceived)))
  offered.subscribe({
    next: (offer) =>
      void room.acceptFile(offer.fileRequestId).catch((e: unknown) => console.error(e)),
    error: (e: unknown) => console.error(isRoomClientError(e) ? e.code : e),
  })
  const state = await room.ready({ signal: AbortSignal.timeout(10_000) })
  simulator.offerFile({
    fileName: 'report.pdf',
    data: 'hello from the room',
    peerId: 'alice@example.com',
  })
  const done = await received
  const saved = await room.downloadFile(done.fileId, { dir })
  const tracked = room.fileRequests.get(done.fileRequestId)
  console.log(
    JSON.stringify({
      ready: state.status,
      outcome: tracked?.outcome,
      file: saved.path.endsWith('report.pdf'),
      content: await readFile(saved.path, 'utf8'),
    }),
  )
} finally {
  await simulator.close()
  await rm(dir, { recursive: true, force: true })
}
