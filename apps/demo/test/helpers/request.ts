import type { FileRequestState } from '@org/file-events-stream'

/** A request as the tracker would hold it: report.pdf from Alice, 40 % in; `over` changes fields. */
export const request = (over: Partial<FileRequestState> = {}): FileRequestState => {
  const state: Omit<FileRequestState, 'outcome'> = {
    fileRequestId: 'f0b88b11-9263-4f8c-9eb6-91266eeab4e9',
    direction: 0,
    fileName: 'report.pdf',
    fileSize: 200_000,
    peerId: 'alice@simulator.local',
    peerDisplayName: 'Alice',
    confId: undefined,
    fileId: undefined,
    status: 2,
    rejected: false,
    terminal: false,
    percent: 40,
    firstSeen: 1,
    lastSeen: 2,
    finishedAt: undefined,
    history: [],
    anomalies: [],
    ...over,
  }
  const outcome: FileRequestState['outcome'] = state.rejected
    ? 'rejected'
    : state.status === 3
      ? 'complete'
      : state.status === 0
        ? 'failed'
        : 'active'
  return { outcome, ...state }
}
