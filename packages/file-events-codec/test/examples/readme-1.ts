// From README.md; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { decodeRoomMessage } from '../../src'

const frame =
  '{"method":"event","event":"fileTransferAvailabilityChanged","availability":3}'
const result = decodeRoomMessage(frame)
if (result._tag === 'Right') {
  console.log(result.right.method) // 'event'
} else {
  console.error(result.left.reason, result.left.messages.join('\n'))
}
export { frame, result }
