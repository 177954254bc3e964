// From the TSDoc of formatDecodeErrors; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { FileRequestStatusChanged, formatDecodeErrors } from '../../src'
const result = FileRequestStatusChanged.decode({ method: 'event', event: 'fileRequestStatusChanged' })
if (result._tag === 'Left') console.log(formatDecodeErrors(result.left).join('\n'))
// fileRequestStatusChanged.fileRequestId: expected FileRequestId, missing
// ...
export { result }
