import type { FileEvent } from '@org/file-events-codec'
import { FILE_REQUEST_ANOMALIES } from '@org/file-events-stream'
import fc from 'fast-check'
import {
  ANOMALY_EXPLANATIONS,
  describeEvent,
  explainAnomaly,
  formatAgo,
  formatDuration,
  formatSpeed,
  peerLabel,
  sortRequests,
  speedOf,
  stateLabel,
  timeLeftOf,
} from '../src/presentation'
import { request } from './helpers/request'

describe('the words both views use', () => {
  it('says a status change in the log with the word the table shows for that state', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
        fc.constantFrom(0 as const, 1 as const),
        (status, direction) => {
          const event = {
            event: 'fileRequestStatusChanged',
            fileRequestId: 'id-1',
            fileName: 'report.pdf',
            status,
            directionType: direction,
          } as FileEvent
          const word = stateLabel(request({ status, direction }))
          expect(describeEvent(event)).toBe(`${direction === 0 ? '⇣' : '⇡'} report.pdf: ${word}`)
        },
      ),
    )
  })

  it('names the peer, then its ID, then the conference', () => {
    expect(peerLabel(request())).toBe('Alice')
    expect(peerLabel(request({ peerDisplayName: undefined }))).toBe('alice@simulator.local')
    expect(
      peerLabel(request({ peerDisplayName: undefined, peerId: undefined, confId: 'c#vcs' })),
    ).toBe('conference')
  })

  it('explains every anomaly the tracker can report', () => {
    expect(Object.keys(ANOMALY_EXPLANATIONS).sort()).toEqual([...FILE_REQUEST_ANOMALIES].sort())
    expect(explainAnomaly('progress-regression')).toBe(
      'progress-regression: progress went backwards',
    )
  })

  it('writes speeds, durations and moments in a few characters', () => {
    expect(formatSpeed(1536)).toBe('1.5 KiB/s')
    expect(formatDuration(400)).toBe('0.4 s')
    expect(formatDuration(12_400)).toBe('12 s')
    expect(formatDuration(185_000)).toBe('3 min 05 s')
    expect(formatDuration(7_440_000)).toBe('2 h 04 min')
    expect(formatAgo(10_000, 10_500)).toBe('just now')
    expect(formatAgo(10_000, 22_000)).toBe('12 s ago')
    expect(formatAgo(0, 185_000)).toBe('3 min ago')
  })
})

describe('speed and time left', () => {
  const moving = request({
    fileSize: 200_000,
    percent: 40,
    firstSeen: 1000,
    lastSeen: 3000,
    history: [
      { status: 1, at: 1000 },
      { status: 2, at: 2000 },
    ],
  })

  it('measures the mean speed from the start of the transfer to its last progress', () => {
    // 80 000 bytes in the second between 2000 and 3000.
    expect(speedOf(moving)).toBe(80_000)
    expect(timeLeftOf(moving)).toBe(1500)
  })

  it('has no speed before a transfer moves, and no time left once it ended', () => {
    expect(speedOf(request({ status: 1, percent: 0, history: [{ status: 1, at: 1 }] }))).toBe(
      undefined,
    )
    const done = request({
      status: 3,
      terminal: true,
      percent: 100,
      finishedAt: 4000,
      history: [
        { status: 2, at: 2000 },
        { status: 3, at: 4000 },
      ],
    })
    expect(speedOf(done)).toBe(100_000)
    expect(timeLeftOf(done)).toBe(undefined)
  })
})

describe('sortRequests', () => {
  it('sorts by a column either way, ties in first-sight order', () => {
    const a = request({ fileRequestId: 'a', fileName: 'b.txt', firstSeen: 1, fileSize: 5 })
    const b = request({ fileRequestId: 'b', fileName: 'a.txt', firstSeen: 2, fileSize: 5 })
    const c = request({ fileRequestId: 'c', fileName: 'c.txt', firstSeen: 3, fileSize: 1 })
    const ids = (rs: ReadonlyArray<{ fileRequestId: string }>) => rs.map((r) => r.fileRequestId)
    expect(ids(sortRequests([c, b, a]))).toEqual(['a', 'b', 'c'])
    expect(ids(sortRequests([a, b, c], 'name'))).toEqual(['b', 'a', 'c'])
    expect(ids(sortRequests([a, b, c], 'name', false))).toEqual(['c', 'a', 'b'])
    expect(ids(sortRequests([a, b, c], 'size'))).toEqual(['c', 'a', 'b'])
    expect(ids(sortRequests([a, b, c], 'size', false))).toEqual(['a', 'b', 'c'])
  })
})
