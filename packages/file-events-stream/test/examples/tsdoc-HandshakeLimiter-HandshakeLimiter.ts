// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { HandshakeLimiter, connectRoom } from '../../src/index'
// Rooms behind a slow link: fewer handshakes at once, each given more time.
const handshakeLimiter = new HandshakeLimiter({ maxInFlight: 32 })
const room = connectRoom({ host: '192.168.1.20', handshakeLimiter, connectTimeoutMs: 20_000 })
room.state$.subscribe((s) => console.log(s.status))
export {}
