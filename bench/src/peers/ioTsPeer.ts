import { RoomMessage } from '@org/file-events-codec'
import type { PeerDecode } from './eventFields'

/**
 * The codec's own io-ts codecs the plain way: `JSON.parse`, then `RoomMessage.decode`, which runs
 * io-ts' `validate` through the codec tree (no compiled guard, so this is what the fast path saves).
 */
export const decodeWithIoTs: PeerDecode = (frame) => {
  let value: unknown
  try {
    value = JSON.parse(frame)
  } catch {
    return undefined
  }
  const result = RoomMessage.decode(value)
  return result._tag === 'Right' ? result.right : undefined
}
