// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import type { RoomConnection } from '../../src/index'
declare const room: RoomConnection
const settings = await room.requestRaw({ method: 'getSettings' })
console.log(settings.result)
export {}
