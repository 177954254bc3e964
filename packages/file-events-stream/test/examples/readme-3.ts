// From README.md; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import type { FileEvent } from '@org/file-events-codec'
import { initialFileRequestsState, reduceFileRequests } from '../../src/index'

declare const event: FileEvent
let state = initialFileRequestsState()
state = reduceFileRequests(state, { type: 'event', event, at: Date.now() })
console.log(state.activeCount, state.finishedCount)
export {}
