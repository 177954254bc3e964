// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { sanitizeFileName } from '../../src/index'
sanitizeFileName('../../etc/passwd') // 'passwd'
sanitizeFileName('CON.txt') // '_CON.txt'
export {}
