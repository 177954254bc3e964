import type * as t from 'io-ts'
import {
  RoomConfig,
  RoomMessage,
  RoomRequest,
  fileEventCodecs,
  replyCodecs,
  requestCodecs,
} from '../src'

/** Every codec of the package, named: each event, reply and request, the routers, discovery. */
export const everyCodec: Array<[string, t.Mixed]> = [
  ...Object.entries(fileEventCodecs).map(([k, c]) => [`event ${k}`, c] as [string, t.Mixed]),
  ...Object.entries(replyCodecs).map(([k, c]) => [`reply ${k}`, c] as [string, t.Mixed]),
  ...Object.entries(requestCodecs).map(([k, c]) => [`request ${k}`, c] as [string, t.Mixed]),
  ['RoomMessage', RoomMessage],
  ['RoomRequest', RoomRequest],
  ['RoomConfig', RoomConfig],
]
