// The README's "From code" sample; test/readme.test.ts fails when the two differ.
import { once } from 'node:events'
import { WebSocket } from 'ws'
import { startRoomSimulator } from '../../src'

export const run = async (): Promise<void> => {
const room = await startRoomSimulator({ pin: '1234', scenario: 'demo', timeScale: 0.1 })
console.log(room.urls) // { web: 'http://127.0.0.1:PORT', ws: 'ws://127.0.0.1:PORT', http: 'http://127.0.0.1:PORT' }

// The scenario starts when the first client has authenticated; events go to authenticated clients only.
const client = new WebSocket(room.urls.ws)
await once(client, 'open')
client.send(JSON.stringify({ method: 'auth', type: 'secured', credentials: '1234' }))
await once(client, 'message') // the auth reply

const id = room.offerFile({ fileName: 'report.pdf', size: 200_000, peerId: 'alice@example.com', peerDn: 'Alice' })
// An offer waits for a client's accept (idle() does not wait for it), so this client accepts it.
const done = new Promise<number>((resolve) => {
  client.on('message', (data) => {
    const m = JSON.parse(String(data)) as { event?: string; fileRequestId?: string; status?: number }
    if (m.event === 'fileRequestStatusChanged' && m.fileRequestId === id && (m.status === 3 || m.status === 0)) resolve(m.status)
  })
})
client.send(JSON.stringify({ method: 'acceptIncomingFileRequest', fileRequestId: id }))
console.log(await done) // 3: received and stored

await room.idle()          // the demo's remaining steps and running transfers have finished
console.log(room.groundTruth().find((entry) => entry.fileRequestId === id)?.status) // 3
client.close()
await room.close()         // closes sockets and servers, removes the temporary storage folder
}
