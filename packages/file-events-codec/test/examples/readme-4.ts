// From README.md; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { decodeRoomMessage } from '../../src'

const result = decodeRoomMessage(
  '{"method":"event","event":"fileRequestStatusChanged","fileRequestId":"6c0e20a7","status":4,' +
    '"directionType":0,"fileName":"2.jpg","timestamp":1659284222850}',
)
if (result._tag === 'Left') {
  console.log(result.left.messages)
  // [
  //   'fileRequestStatusChanged.status: expected FileRequestStatus, received 4',
  //   'fileRequestStatusChanged.fileSize: expected FileSize (fileSize or size), missing',
  // ]
}
export { result }
