// From the TSDoc of FileEvent; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import type { FileEvent } from '../../src'
const describe = (e: FileEvent): string => {
  switch (e.event) {
    case 'fileRequestStatusChanged': return `status ${e.status}`
    case 'incomingFileRequestDownloadingProgress': return `${e.processedPercents} %`
    default: return e.event
  }
}
export { describe }
