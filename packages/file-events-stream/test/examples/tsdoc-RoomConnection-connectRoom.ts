// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { WebSocket } from 'ws'
import { connectRoom } from '../../src/index'
const room = connectRoom({ host: '192.168.1.20', pin: process.env.ROOM_PIN, WebSocketCtor: WebSocket })
// Every stream errors with the terminal error (a wrong PIN, ...): handle it on each.
room.state$.subscribe({ next: (s) => console.log(s.status), error: (e: unknown) => console.error(e) })
room.fileRequests$.subscribe({
  next: (state) => console.log(state.activeCount, 'active transfers'),
  error: (e: unknown) => console.error(e),
})
export {}
