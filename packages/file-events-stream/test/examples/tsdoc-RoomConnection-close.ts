// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import type { RoomConnection } from '../../src/index'
declare const room: RoomConnection
await room.close() // nothing of the connection is left running
export {}
