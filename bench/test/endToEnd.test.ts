import { join } from 'node:path'
import { endToEndBenchmark, startBlaster } from '../src/endToEnd'
import {
  type PlainRequestState,
  applyFileEvent,
  rxjsZodMapClient,
} from '../src/peers/rxjsZodMapClient'
import { codecClient } from '../src/referenceClients'

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
    for (const reference of Object.values(result.references)) {
      expect(reference.ratio).toBeGreaterThan(0)
      expect(reference.baselineOpsPerSec).toBe(result.project.baselineOpsPerSec)
    }
  }, 60_000)

  it('has the reference client decode every frame and keep as many requests as the peer', async () => {
    const blaster = await startBlaster(3_000)
    try {
      const peer = await rxjsZodMapClient(blaster.url)
      const tracked = await codecClient(blaster.url, true)
      const untracked = await codecClient(blaster.url, false)
      expect(tracked.failures).toBe(0)
      expect(tracked.requests).toBeGreaterThan(100)
      expect(tracked.requests).toBe(peer.requests)
      expect(untracked.requests).toBe(0)
    } finally {
      await blaster.stop()
    }
  }, 60_000)
})
