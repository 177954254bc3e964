// From README.md; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { connectRoom } from '../../src/node'

const room = connectRoom({ host: '192.168.1.20', pin: process.env.ROOM_PIN })
// At most ten minutes for the upload, however steadily its bytes move.
const sent = await room.sendFile({ path: './video.mp4', to: 'user@server.trueconf', signal: AbortSignal.timeout(600_000) })
// At most two minutes for a download, written to disk as it comes.
const saved = await room.downloadFile(42, { dir: './inbox', signal: AbortSignal.timeout(120_000) })
console.log(sent, saved.path)
export {}
