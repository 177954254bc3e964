// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { initialFileRequestsState, reduceFileRequests } from '../../src/index'
let state = initialFileRequestsState({ maxFinished: 100 })
state = reduceFileRequests(state, {
  type: 'event',
  at: Date.now(),
  event: {
    method: 'event', event: 'receivedFileRequest', fileRequestId: 'r1', fileName: 'a.txt',
    peerId: 'p@s', peerDn: 'p', fileSize: 3, timestamp: 0,
  },
})
console.log(state.get('r1')?.status) // 1
export {}
