// A copy of the sample in the repository README, type-checked by `tsc`; test/rootReadme.test.ts keeps them equal.
export {}
import { isInboundFileReceived } from '@org/file-events-codec'
import { isAuthenticationError } from '@org/file-events-stream'
import { connectRoom } from '@org/file-events-stream/node'

await using room = connectRoom({ host: '10.0.0.5', pin: process.env.ROOM_PIN }) // closed at the end of the block
const fail = (error: unknown) => {
  // Every stream ends with the error that ended the connection for good (a wrong PIN, say).
  console.error(isAuthenticationError(error) ? 'wrong PIN' : error)
}
room.events$.subscribe({
  error: fail,
  next: (e) => {
    if (e.event === 'receivedFileRequest') room.acceptFile(e.fileRequestId).catch(fail)
    if (isInboundFileReceived(e)) room.downloadFile(e.fileId, { dir: './inbox' }).catch(fail) // the folder must exist
  },
})
room.fileRequests$.subscribe({ error: fail, next: (state) => console.log(`${state.activeCount} transfers in progress`) })
await room.ready() // rejects with AuthenticationError on a wrong PIN
