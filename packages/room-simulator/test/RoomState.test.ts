import fc from 'fast-check'
import {
  FileEvent,
  FileListItem,
  FileTransferHistoryItem,
  IncomingFileRequestItem,
  OutgoingFileRequestItem,
} from '@org/file-events-codec'
import * as t from 'io-ts'
import { RoomState } from '../src/internal/RoomState'

const newState = () => {
  let n = 0
  let now = 1_700_000_000_000
  return new RoomState({
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    clock: () => now++,
  })
}

const valid = (events: ReadonlyArray<unknown>) => {
  for (const e of events) expect(FileEvent.is(e)).toBe(true)
}

describe('RoomState (pure model)', () => {
  it('emits the inbound lifecycle and keeps fileId for completed requests', () => {
    const s = newState()
    const { record, events } = s.offerInbound({
      fileName: 'a',
      fileSize: 3,
      peerId: 'p@s',
      peerDn: 'P',
    })
    expect(events.map((e) => e.event)).toEqual(['receivedFileRequest', 'fileRequestStatusChanged'])
    const accepted = s.accept(record.fileRequestId)
    expect(accepted.ok && accepted.value.events.map((e) => e.event)).toEqual([
      'incomingFileRequestAccepted',
      'fileRequestStatusChanged',
    ])
    valid(s.progress(record.fileRequestId, 50))
    s.addFile({ fileId: s.allocateFileId(), fileName: 'a', size: 3, path: '/x' })
    const done = s.complete(record.fileRequestId, 1)
    valid(done)
    expect(done[0]).toMatchObject({ status: 3, fileId: 1, peerDisplayName: 'P' })
    expect(s.historyItems()).toHaveLength(1)
    expect(s.accept(record.fileRequestId)).toEqual({
      ok: false,
      error: `file request ${record.fileRequestId} is not waiting (status 3)`,
    })
  })

  it('uses seconds for outbound timestamps and milliseconds for inbound ones', () => {
    const s = newState()
    const inbound = s.offerInbound({
      fileName: 'a',
      fileSize: 1,
      peerId: 'p@s',
      peerDn: 'P',
    }).record
    s.addFile({ fileId: s.allocateFileId(), fileName: 'b', size: 1, path: '/b' })
    const out = s.sendToPeer(1, 'q@s')
    expect(inbound.timestamp).toBeGreaterThan(1e12)
    expect(out.ok && out.value.record.timestamp).toBeLessThan(1e11)
  })

  type Op =
    | { kind: 'offer' }
    | { kind: 'accept' | 'reject' | 'fail' | 'start' | 'complete'; index: number }
    | { kind: 'progress'; index: number; percent: number }
    | { kind: 'send'; conference: boolean }
    | { kind: 'availability'; value: 0 | 1 | 2 | 3 }
    | { kind: 'clear'; deleteFiles: boolean }

  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.constant<Op>({ kind: 'offer' }),
    fc.record({
      kind: fc.constantFrom('accept', 'reject', 'fail', 'start', 'complete'),
      index: fc.nat(20),
    }) as fc.Arbitrary<Op>,
    fc.record({
      kind: fc.constant('progress'),
      index: fc.nat(20),
      percent: fc.integer({ min: 0, max: 100 }),
    }) as fc.Arbitrary<Op>,
    fc.record({ kind: fc.constant('send'), conference: fc.boolean() }) as fc.Arbitrary<Op>,
    fc.record({
      kind: fc.constant('availability'),
      value: fc.constantFrom(0, 1, 2, 3),
    }) as fc.Arbitrary<Op>,
    fc.record({ kind: fc.constant('clear'), deleteFiles: fc.boolean() }) as fc.Arbitrary<Op>,
  )

  it('emits only codec-valid events and lists, and its ground truth follows the last status event of each request', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const s = newState()
        s.addFile({ fileId: s.allocateFileId(), fileName: 'up', size: 10, path: '/up' })
        const ids: string[] = []
        const lastStatus = new Map<string, number>()
        const rejected = new Set<string>()
        const apply = (events: ReadonlyArray<FileEvent>) => {
          valid(events)
          for (const e of events) {
            if (e.event === 'fileRequestStatusChanged') lastStatus.set(e.fileRequestId, e.status)
            if (e.event === 'incomingFileRequestRejected') rejected.add(e.fileRequestId)
          }
        }
        for (const o of ops) {
          const id = 'index' in o ? ids[o.index % Math.max(1, ids.length)] : undefined
          switch (o.kind) {
            case 'offer': {
              const r = s.offerInbound({ fileName: 'f', fileSize: 5, peerId: 'p@s', peerDn: 'P' })
              ids.push(r.record.fileRequestId)
              apply(r.events)
              break
            }
            case 'send': {
              const r = o.conference ? s.sendToConference(1, 'c#vcs') : s.sendToPeer(1, 'q@s')
              if (r.ok) {
                ids.push(r.value.record.fileRequestId)
                apply(r.value.events)
              }
              break
            }
            case 'accept':
            case 'reject':
              if (id !== undefined) {
                const r = o.kind === 'accept' ? s.accept(id) : s.reject(id)
                if (r.ok) apply(r.value.events)
              }
              break
            case 'fail':
              if (id !== undefined) apply(s.fail(id))
              break
            case 'start':
              if (id !== undefined) apply(s.startOutbound(id))
              break
            case 'complete':
              if (id !== undefined) apply(s.complete(id, 1))
              break
            case 'progress':
              if (id !== undefined) apply(s.progress(id, o.percent))
              break
            case 'availability':
              apply(s.setAvailability(o.value))
              break
            case 'clear':
              apply(s.clearHistory(o.deleteFiles).events)
              break
          }
        }
        expect(t.array(IncomingFileRequestItem).is(s.incomingItems())).toBe(true)
        expect(t.array(OutgoingFileRequestItem).is(s.outgoingItems())).toBe(true)
        expect(t.array(FileTransferHistoryItem).is(s.historyItems())).toBe(true)
        expect(t.array(FileListItem).is(s.fileList())).toBe(true)
        const truth = s.groundTruth()
        expect(truth.map((g) => g.fileRequestId)).toEqual(ids)
        for (const g of truth) {
          expect(g.status).toBe(lastStatus.get(g.fileRequestId))
          expect(g.rejected).toBe(rejected.has(g.fileRequestId))
        }
      }),
      { numRuns: 300 },
    )
  })
})
