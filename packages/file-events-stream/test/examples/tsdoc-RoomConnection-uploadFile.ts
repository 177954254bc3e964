// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import type { RoomConnection } from '../../src/index'
declare const room: RoomConnection
declare const file: Blob
// At most ten minutes in all, however steadily the bytes move.
const fileId = await room.uploadFile(file, 'report.pdf', { signal: AbortSignal.timeout(600_000) })
console.log(fileId)
export {}
