// From the TSDoc of isFileEvent; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { type RoomMessage, isFileEvent } from '../../src'
declare const message: RoomMessage
if (isFileEvent(message) && message.event === 'fileRequestStatusChanged') {
  console.log(message.fileRequestId, message.status)
}
export { message }
