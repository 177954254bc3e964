// From the TSDoc of isInboundFileReceived; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { type RoomMessage, isInboundFileReceived } from '../../src'
declare const message: RoomMessage
if (isInboundFileReceived(message)) console.log(`download ${message.fileId}: ${message.fileName}`)
export { message }
