// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { connectRoom } from '../../src/index'
declare const room: ReturnType<typeof connectRoom>
const settings = await room.requestRaw({ method: 'getSettings' })
console.log(settings.result)
export {}
