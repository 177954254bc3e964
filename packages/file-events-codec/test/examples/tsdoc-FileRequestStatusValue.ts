// From the TSDoc of FileRequestStatusValue; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
/* eslint-disable @typescript-eslint/no-unused-expressions */
import { FileRequestStatusValue } from '../../src'
FileRequestStatusValue.complete // 3
export {}
