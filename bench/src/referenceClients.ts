import { decodeRoomMessage, isFileEvent } from '@org/file-events-codec'
import { WebSocket } from 'ws'
import { type PlainRequestState, applyFileEvent } from './peers/rxjsZodMapClient'

/**
 * How far the end-to-end gap comes from what the stream does beyond validating: a raw `ws` client
 * that validates every frame with this project's codec (`decodeRoomMessage`), and one that also
 * keeps a `Map` of request states updated in place (the peer's bookkeeping). Neither keeps
 * snapshots, redacts or goes through rxjs: they are references for the stream's figure, not peers.
 */
export type ReferenceKey = 'wsCodec' | 'wsCodecMap'

export const REFERENCE_LABELS: Readonly<Record<ReferenceKey, string>> = {
  wsCodec: '`ws` + `decodeRoomMessage`',
  wsCodecMap: '`ws` + `decodeRoomMessage` + a `Map` of request states',
}

/**
 * Milliseconds from the first event frame to the blaster's `benchDone`, for a raw `ws` client that
 * decodes each frame with the codec and, with `track`, folds file events into a `Map`.
 */
export const codecClient = (
  url: string,
  track: boolean,
): Promise<{ readonly elapsedMs: number; readonly requests: number; readonly failures: number }> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    const requests = new Map<string, PlainRequestState>()
    let start = 0
    let failures = 0
    socket.on('open', () => socket.send(JSON.stringify({ method: 'auth', type: 'unsecured' })))
    socket.on('message', (data) => {
      const decoded = decodeRoomMessage(String(data))
      if (decoded._tag === 'Left') {
        failures++
        return
      }
      const message = decoded.right
      if (message.method !== 'event') return
      if (start === 0) start = performance.now()
      if (isFileEvent(message)) {
        if (track) applyFileEvent(requests, message as Parameters<typeof applyFileEvent>[1])
      } else if (message.event === 'benchDone') {
        const elapsedMs = performance.now() - start
        socket.close()
        resolve({ elapsedMs, requests: requests.size, failures })
      }
    })
    socket.on('error', reject)
  })
