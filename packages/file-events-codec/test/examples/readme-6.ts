// From README.md; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { type FileEventOf, fileSizeOf, isTerminalStatus } from '../../src'

const finished = (event: FileEventOf<'fileRequestStatusChanged'>): string | undefined =>
  isTerminalStatus(event.status) ? `${event.fileName} (${fileSizeOf(event) ?? '?'} bytes)` : undefined
export { finished }
