// From the TSDoc of RoomConfig; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { RoomConfig } from '../../src'
RoomConfig.is({ config: { websocket: { hostname: null, port: 8765 }, http: { hostname: null, port: 8766 } } }) // true
export {}
