// From the TSDoc of fileDownloadPath; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { fileDownloadPath } from '../../src'
fileDownloadPath(42) // '/files/42'
export {}
