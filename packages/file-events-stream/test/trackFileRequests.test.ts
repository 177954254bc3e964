import { Subject, VirtualTimeScheduler } from 'rxjs'
import { type FileRequestsState, type TrackerInput, trackFileRequests } from '../src/index'

const offer = (id: string) =>
  ({
    method: 'event',
    event: 'receivedFileRequest',
    fileRequestId: id,
    fileName: 'a.txt',
    peerId: 'p@s',
    fileSize: 1,
    timestamp: 1,
  }) as unknown as TrackerInput
const reply = {
  method: 'getAppState',
  requestId: '1',
  result: true,
  appState: 3,
} as unknown as TrackerInput
const tick = () => new Promise<void>((resolve) => queueMicrotask(resolve))

describe('trackFileRequests({ batch: true })', () => {
  it('folds a burst once, stamped with the time the burst began', async () => {
    const scheduler = new VirtualTimeScheduler()
    const source = new Subject<TrackerInput>()
    const states: FileRequestsState[] = []
    source.pipe(trackFileRequests({ batch: true, scheduler })).subscribe((s) => states.push(s))
    scheduler.frame = 1_000
    source.next(offer('a'))
    source.next(offer('b'))
    await tick()
    expect(states).toHaveLength(1)
    expect(states[0]?.get('b')?.firstSeen).toBe(1_000)
  })

  it('does not stamp a later event with the time of an input that was not one', async () => {
    const scheduler = new VirtualTimeScheduler()
    const source = new Subject<TrackerInput>()
    const states: FileRequestsState[] = []
    source.pipe(trackFileRequests({ batch: true, scheduler })).subscribe((s) => states.push(s))
    scheduler.frame = 1_000
    source.next(reply)
    await tick()
    scheduler.frame = 90_000
    source.next(offer('late'))
    await tick()
    expect(states[states.length - 1]?.get('late')?.firstSeen).toBe(90_000)
  })
})
