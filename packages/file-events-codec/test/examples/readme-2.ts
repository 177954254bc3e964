// From README.md; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { type RoomMessage, fileRequestStatusName, isFileEvent, timestampToDate } from '../../src'

const describeMessage = (message: RoomMessage): string => {
  if (!isFileEvent(message)) return 'not a file event'
  switch (message.event) {
    case 'fileRequestStatusChanged':
      return `${message.fileName}: ${fileRequestStatusName(message.status)}`
    case 'incomingFileRequestDownloadingProgress':
    case 'outgoingFileRequestUploadingProgress':
      return `${message.fileName}: ${message.processedPercents} %`
    case 'receivedFileRequest':
      return `${message.fileName} offered at ${timestampToDate(message.timestamp).toISOString()}`
    default:
      return message.event
  }
}
export { describeMessage }
