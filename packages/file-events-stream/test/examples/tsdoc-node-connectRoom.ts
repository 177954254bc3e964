// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { connectRoom } from '../../src/node'
const room = connectRoom({ host: '127.0.0.1', pin: process.env.ROOM_PIN })
// Every stream errors with the terminal error (a wrong PIN, ...): handle it on each.
room.events$.subscribe({ next: (e) => console.log(e.event), error: (e: unknown) => console.error(e) })
export {}
