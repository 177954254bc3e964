// From README.md; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { formatDecodeErrors, replyCodecs } from '../../src'

const result = replyCodecs.getIncomingFilesRequests.decode({
  method: 'getIncomingFilesRequests',
  result: true,
  incomingFilesRequests: [{ fileRequestId: 'b', fileName: '3.png', status: 7, timestamp: 1, size: 1 }],
})
if (result._tag === 'Left') {
  console.log(formatDecodeErrors(result.left))
  // ['getIncomingFilesRequests.incomingFilesRequests[0].status: expected FileRequestStatus, received 7']
}
export { result }
