// From the TSDoc of timestampToDate; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { timestampToDate } from '../../src'
timestampToDate(1659286530).toISOString() // '2022-07-31T16:55:30.000Z'
timestampToDate(1659284222850).toISOString() // '2022-07-31T16:17:02.850Z'
export {}
