import { join } from 'node:path'
import { endToEndBenchmark } from '../src/endToEnd'
import { type PlainRequestState, applyFileEvent } from '../src/peers/rxjsZodMapClient'

process.env.BENCH_DIST = join(__dirname, '..', 'dist')

describe('the end-to-end peer (rxjs webSocket + zod + Map)', () => {
  it('folds a transfer into its Map', () => {
    const requests = new Map<string, PlainRequestState>()
    const base = {
      fileRequestId: 'r1',
      fileName: 'a.pdf',
      fileSize: 10,
      peerId: 'p@s',
      timestamp: 1,
    }
    applyFileEvent(requests, { method: 'event', event: 'receivedFileRequest', ...base })
    applyFileEvent(requests, {
      method: 'event',
      event: 'incomingFileRequestDownloadingProgress',
      ...base,
      processedPercents: 40,
    })
    expect(requests.get('r1')).toMatchObject({
      direction: 0,
      status: 1,
      processedPercents: 40,
      fileSize: 10,
    })
    applyFileEvent(requests, {
      method: 'event',
      event: 'fileRequestStatusChanged',
      ...base,
      status: 3,
      directionType: 0,
    })
    expect(requests.get('r1')).toMatchObject({ status: 3, processedPercents: 100 })
    applyFileEvent(requests, { method: 'event', event: 'fileTransferHistoryCleared' })
    expect(requests.size).toBe(0)
  })
})

describe('the end-to-end benchmark at a small size', () => {
  it('runs the raw client, the stream and the peer over the same frames', async () => {
    const result = await endToEndBenchmark(2_000, 2)
    expect(result.project.ratio).toBeGreaterThan(0)
    expect(result.peer.ratio).toBeGreaterThan(0)
    // Both shares are of the same raw-client rounds.
    expect(result.peer.baselineOpsPerSec).toBe(result.project.baselineOpsPerSec)
    expect(result.project.detail).toMatch(/^2 rounds of 2,000 frames/)
  }, 60_000)
})
