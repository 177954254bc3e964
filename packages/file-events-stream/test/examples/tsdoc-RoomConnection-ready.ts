// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import type { RoomConnection } from '../../src/index'
declare const room: RoomConnection
const state = await room.ready({ signal: AbortSignal.timeout(30_000) })
console.log(`ready at ${state.url}`)
export {}
