// From the TSDoc of fileRequestStatusName; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { fileRequestStatusName } from '../../src'
fileRequestStatusName(2) // 'in progress'
export {}
