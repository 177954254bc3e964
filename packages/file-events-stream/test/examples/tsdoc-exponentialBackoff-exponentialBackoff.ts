// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { exponentialBackoff } from '../../src/index'
const delay = exponentialBackoff({ initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 })
;[1, 2, 3, 4, 5].map((n) => delay(n)) // [100, 200, 400, 800, 1000]
export {}
