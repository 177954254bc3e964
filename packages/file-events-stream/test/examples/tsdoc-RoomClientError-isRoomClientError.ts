// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { isRoomClientError } from '../../src/index'
try {
  // ... await room.acceptFile(id)
} catch (error) {
  if (isRoomClientError(error)) console.error(error.code, error.message)
  else throw error
}
export {}
