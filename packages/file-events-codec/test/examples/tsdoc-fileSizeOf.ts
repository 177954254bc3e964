// From the TSDoc of fileSizeOf; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { fileSizeOf } from '../../src'
fileSizeOf({ size: 3200 }) // 3200
export {}
