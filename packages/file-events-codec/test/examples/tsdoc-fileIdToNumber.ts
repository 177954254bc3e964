// From the TSDoc of fileIdToNumber; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { fileIdToNumber } from '../../src'
fileIdToNumber('42') // 42
export {}
