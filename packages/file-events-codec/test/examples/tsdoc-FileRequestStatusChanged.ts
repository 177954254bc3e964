// From the TSDoc of FileRequestStatusChanged; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { FileRequestStatusChanged } from '../../src'
import { isRight } from 'fp-ts/lib/Either.js'
const result = FileRequestStatusChanged.decode({
  method: 'event', event: 'fileRequestStatusChanged', fileRequestId: '6c0e20a7', status: 2,
  directionType: 0, fileName: '2.jpg', timestamp: 1659284222850, fileSize: 3200,
})
isRight(result) // true
export { result }
