// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { connectRoom } from '../../src/index'
declare const room: ReturnType<typeof connectRoom>
const state = await room.ready({ signal: AbortSignal.timeout(30_000) })
console.log(`ready at ${state.url}`)
export {}
