// From the TSDoc of decodeRoomMessage; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { decodeRoomMessage, isFileEvent } from '../../src'
const result = decodeRoomMessage('{"method":"event","event":"fileTransferAvailabilityChanged","availability":3}')
if (result._tag === 'Right' && isFileEvent(result.right)) {
  console.log(result.right.event) // 'fileTransferAvailabilityChanged'
} else if (result._tag === 'Left') {
  console.error(result.left.messages.join('\n'))
}
export { result }
