import {
  type FileEvent,
  type FileEventOf,
  type RoomMessage,
  fileIdToNumber,
  isInboundFileReceived,
} from '@org/file-events-codec'
import fc from 'fast-check'
import { type Observable, filter, from, map, retry, timer } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import {
  type Decoded,
  type FileRequestsState,
  type Frame,
  DECODE_DEFAULTS,
  decodeFrame,
  decodeFrames,
  exponentialBackoff,
  fileEvents,
  isDecodeFailure,
  ofEvent,
  trackFileRequests,
} from '../src/index'

const statusFrame = JSON.stringify({
  method: 'event',
  event: 'fileRequestStatusChanged',
  fileRequestId: '6c0e20a7-3c79-470d-869b-7c8287587620',
  status: 2,
  directionType: 0,
  fileName: '2.jpg',
  timestamp: 1659284222850,
  fileSize: 3200,
  peerId: '820_1@some.server',
  peerDisplayName: '820_1',
})
const availabilityFrame =
  '{"method":"event","event":"fileTransferAvailabilityChanged","availability":3}'
const unknownFrame = '{"method":"event","event":"appStateChanged","appState":3}'
const replyFrame =
  '{"method":"getFileTransferAvailability","requestId":"1","availability":3,"result":true}'

const message = (frame: string): RoomMessage => {
  const d = decodeFrame(frame)
  if (d._tag !== 'Message') throw new Error('fixture does not decode')
  return d.message
}

const newScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected))

describe('decodeFrames', () => {
  it('turns frames into messages and failures without ending the stream', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const frames = cold('a-b-c-d|', {
        a: statusFrame,
        b: 'not json',
        c: '{"method":"event","event":"fileRequestStatusChanged"}',
        d: replyFrame,
      })
      expectObservable(frames.pipe(decodeFrames())).toBe('a-b-c-d|', {
        a: { _tag: 'Message', message: message(statusFrame) },
        b: expect.objectContaining({ _tag: 'DecodeFailure', reason: 'json' }),
        c: expect.objectContaining({
          _tag: 'DecodeFailure',
          reason: 'schema',
          event: 'fileRequestStatusChanged',
        }),
        d: { _tag: 'Message', message: message(replyFrame) },
      })
    })
  })

  it('rejects oversized frames before parsing, counting UTF-8 bytes', () => {
    const cap = { maxFrameBytes: 100 }
    expect(decodeFrame('x'.repeat(101), cap)).toMatchObject({
      reason: 'too-large',
      frameLength: 101,
    })
    // 40 three-byte characters are 120 bytes although only 40 UTF-16 units.
    expect(decodeFrame(`"${'€'.repeat(40)}"`, cap)).toMatchObject({
      reason: 'too-large',
      frameLength: 122,
    })
    expect(decodeFrame(`"${'😀'.repeat(20)}"`, cap)).toMatchObject({
      reason: 'schema',
      frameLength: 42,
    })
    expect(decodeFrame(new Uint8Array(101), cap)).toMatchObject({
      reason: 'too-large',
      frameLength: 101,
    })
    expect(DECODE_DEFAULTS.maxFrameBytes).toBe(1024 * 1024)
    expect(decodeFrame('x'.repeat(1024 * 1024 + 1))).toMatchObject({ reason: 'too-large' })
  })

  it('reads binary frames as UTF-8', () => {
    const buffer = Buffer.from(availabilityFrame)
    const arrayBuffer = new TextEncoder().encode(availabilityFrame).buffer
    expect(decodeFrame(buffer)).toEqual({ _tag: 'Message', message: message(availabilityFrame) })
    expect(decodeFrame(arrayBuffer as ArrayBuffer)).toEqual({
      _tag: 'Message',
      message: message(availabilityFrame),
    })
    expect(decodeFrame(new DataView(arrayBuffer as ArrayBuffer))).toMatchObject({ _tag: 'Message' })
  })

  it('never throws or errors on random and mutated frames, and decodes every valid one', async () => {
    const valid = [statusFrame, availabilityFrame, unknownFrame, replyFrame]
    const frameArb = fc.oneof(
      fc.string(),
      fc.uint8Array({ maxLength: 200 }),
      fc.json(),
      fc
        .tuple(fc.constantFrom(...valid), fc.nat(), fc.string({ maxLength: 3 }))
        .map(([f, at, s]) => f.slice(0, at % f.length) + s + f.slice(at % f.length)),
      fc.constantFrom(...valid),
    )
    const frames = fc.sample(frameArb, { numRuns: 10_000, seed: 42 })
    let count = 0
    let failures = 0
    await new Promise<void>((resolve, reject) =>
      from(frames)
        .pipe(decodeFrames({ maxFrameBytes: 150 }))
        .subscribe({
          next: (d) => {
            count++
            if (isDecodeFailure(d)) {
              failures++
              expect(d.messages.length).toBeGreaterThan(0)
            }
          },
          error: reject,
          complete: resolve,
        }),
    )
    expect(count).toBe(frames.length)
    expect(failures).toBeGreaterThan(0)
    for (const f of valid) expect(decodeFrame(f)._tag).toBe('Message')
  })
})

describe('decodeFrame on values that are not frames', () => {
  it('returns a DecodeFailure for null, undefined and other non-frames', () => {
    for (const value of [
      null,
      undefined,
      42,
      true,
      {},
      [],
      { byteLength: 3 },
      Symbol('s'),
      () => 1,
    ]) {
      expect(decodeFrame(value as unknown as Frame)).toMatchObject({
        _tag: 'DecodeFailure',
        reason: 'json',
        frameLength: 0,
      })
    }
    expect(decodeFrame(null as unknown as Frame)).toMatchObject({
      messages: ['expected a text or binary frame, received null'],
    })
  })

  it('never throws, whatever the value', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withBoxedValues: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withNullPrototype: true,
          withDate: true,
        }),
        (value) => {
          const decoded = decodeFrame(value as Frame, { maxFrameBytes: 64 })
          expect(['Message', 'DecodeFailure']).toContain(decoded._tag)
        },
      ),
      { numRuns: 2_000 },
    )
  })

  it('keeps the decodeFrames stream going after a null or undefined frame', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const frames = cold('a-b-c|', {
        a: null as unknown as Frame,
        b: undefined as unknown as Frame,
        c: statusFrame,
      })
      expectObservable(frames.pipe(decodeFrames())).toBe('a-b-c|', {
        a: expect.objectContaining({ _tag: 'DecodeFailure', reason: 'json' }),
        b: expect.objectContaining({ _tag: 'DecodeFailure', reason: 'json' }),
        c: { _tag: 'Message', message: message(statusFrame) },
      })
    })
  })
})

describe('fileEvents and ofEvent', () => {
  it('keep file events, narrowed to the chosen names', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const decoded: Observable<Decoded> = cold('a-b-c-d-e|', {
        a: decodeFrame(statusFrame),
        b: decodeFrame('nope'),
        c: decodeFrame(unknownFrame),
        d: decodeFrame(availabilityFrame),
        e: decodeFrame(replyFrame),
      })
      expectObservable(decoded.pipe(fileEvents())).toBe('a-----d--|', {
        a: message(statusFrame),
        d: message(availabilityFrame),
      })
      const statuses: Observable<FileEventOf<'fileRequestStatusChanged'>> = decoded.pipe(
        ofEvent('fileRequestStatusChanged'),
      )
      expectObservable(statuses).toBe('a--------|', { a: message(statusFrame) })
      expectObservable(
        decoded.pipe(ofEvent('fileTransferAvailabilityChanged', 'fileRequestStatusChanged')),
      ).toBe('a-----d--|', {
        a: message(statusFrame),
        d: message(availabilityFrame),
      })
    })
  })

  it('accept plain messages too', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const messages = cold('a-b|', { a: message(unknownFrame), b: message(statusFrame) })
      expectObservable(messages.pipe(ofEvent('fileRequestStatusChanged'))).toBe('--b|', {
        b: message(statusFrame),
      })
    })
  })
})

describe('trackFileRequests', () => {
  it('emits a state per file-request message, stamped with the scheduler time', () => {
    const scheduler = newScheduler()
    scheduler.run(({ cold, expectObservable }) => {
      const decoded = cold('a 9ms b 9ms c|', {
        a: decodeFrame(statusFrame),
        b: decodeFrame('garbage'),
        c: decodeFrame(availabilityFrame),
      })
      const summary = (s: FileRequestsState) => {
        const r = s.get('6c0e20a7-3c79-470d-869b-7c8287587620')
        return {
          status: r?.status,
          firstSeen: r?.firstSeen,
          availability: s.availability,
          size: s.requests.size,
        }
      }
      expectObservable(decoded.pipe(trackFileRequests({ scheduler }), map(summary))).toBe(
        'a 19ms c|',
        {
          a: { status: 2, firstSeen: 0, availability: undefined, size: 1 },
          c: { status: 2, firstSeen: 0, availability: 3, size: 1 },
        },
      )
    })
  })

  it('starts from a given state and folds snapshot actions', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const actions = cold('a|', {
        a: {
          type: 'snapshot' as const,
          at: 5,
          incoming: [],
          outgoing: [],
          history: [
            {
              directionType: 1 as const,
              fileName: 'n',
              fileSize: 1,
              timestamp: 1,
              fileRequestId: 'h1',
              fileId: 3,
            },
          ],
        },
      })
      expectObservable(actions.pipe(trackFileRequests())).toBe('a|', {
        a: expect.objectContaining({ finishedCount: 1, activeCount: 0 }),
      })
    })
  })
})

describe('exponentialBackoff', () => {
  it('grows by the factor up to the cap, with jitter only downwards', () => {
    const delay = exponentialBackoff({
      initialDelayMs: 100,
      maxDelayMs: 1_000,
      factor: 2,
      jitter: 0,
    })
    expect([1, 2, 3, 4, 5, 6].map((n) => delay(n))).toEqual([100, 200, 400, 800, 1_000, 1_000])
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, r, jitter) => {
          const base = exponentialBackoff({ initialDelayMs: 50, maxDelayMs: 5_000, jitter: 0 })(
            attempt,
          )
          const d = exponentialBackoff({ initialDelayMs: 50, maxDelayMs: 5_000, jitter })(
            attempt,
            () => r,
          )
          expect(d).toBeLessThanOrEqual(base)
          expect(d).toBeGreaterThanOrEqual(Math.floor(base * (1 - jitter)))
          expect(d).toBeLessThanOrEqual(5_000)
        },
      ),
    )
  })

  it('paces retries of a failing source in virtual time', () => {
    const delay = exponentialBackoff({ initialDelayMs: 10, maxDelayMs: 40, jitter: 0 })
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#')
      const retried = source.pipe(retry({ count: 4, delay: (_error, n) => timer(delay(n)) }))
      expectObservable(retried).toBe('110ms #')
      // Subscriptions at 0, then after waits of 10, 20, 40 and 40 ms.
      expectSubscriptions(source.subscriptions).toBe([
        '(^!)',
        '10ms (^!)',
        '30ms (^!)',
        '70ms (^!)',
        '110ms (^!)',
      ])
    })
  })
})

describe("filtering with the codec's guards", () => {
  it('narrows: filter(isInboundFileReceived) gives events whose fileId needs no check', () => {
    const base = {
      method: 'event',
      event: 'fileRequestStatusChanged',
      fileRequestId: 'r1',
      fileName: 'a.txt',
      fileSize: 3,
      timestamp: 1,
    } as const
    const events: FileEvent[] = [
      { ...base, status: 3, directionType: 0, fileId: '7' },
      { ...base, status: 3, directionType: 1, fileId: 8 },
      { ...base, status: 2, directionType: 0, fileId: 9 },
      { ...base, status: 3, directionType: 0 },
    ]
    const ids: number[] = []
    from(events)
      .pipe(filter(isInboundFileReceived))
      .subscribe((e) => ids.push(fileIdToNumber(e.fileId)))
    expect(ids).toEqual([7])
  })
})
