import type { DecodeFailure, FileEvent } from '@org/file-events-codec'
import type { ConnectionState, FileRequestsState, FileRequestState } from '@org/file-events-stream'
import { Subject } from 'rxjs'
import {
  type RoomView,
  type RoomViewAction,
  type ViewedConnection,
  initialRoomView,
  reduceRoomView,
  roomView,
} from '../src/viewModel'
import { request } from './helpers/request'

const reduce = (actions: ReadonlyArray<RoomViewAction>, view = initialRoomView): RoomView =>
  actions.reduce((v, a) => reduceRoomView(v, a, { maxRetries: 5, maxLog: 4 }), view)

const requestsState = (requests: ReadonlyArray<FileRequestState>): FileRequestsState =>
  ({ requests: new Map(requests.map((r) => [r.fileRequestId, r])) }) as unknown as FileRequestsState

const rejected: FileEvent = {
  event: 'incomingFileRequestRejected',
  fileRequestId: 'id-1',
  fileName: 'holiday.jpg',
} as FileEvent

describe('reduceRoomView', () => {
  it('logs connection states and events in the views’ words, numbered, the newest last, capped', () => {
    const view = reduce([
      { type: 'state', at: 1, state: { status: 'connecting', attempt: 0, url: undefined } },
      { type: 'state', at: 2, state: { status: 'ready', url: 'ws://x', connects: 1 } },
      { type: 'event', at: 3, event: rejected },
      { type: 'note', at: 4, kind: 'action', text: 'accepted report.pdf' },
      {
        type: 'state',
        at: 5,
        state: { status: 'reconnecting', attempt: 1, delayMs: 1500, lastError: new Error('gone') },
      },
    ])
    expect(view.log.map((e) => [e.seq, e.kind, e.text])).toEqual([
      [2, 'connection', 'connection ready'],
      [3, 'event', '⇣ rejected holiday.jpg'],
      [4, 'action', 'accepted report.pdf'],
      [5, 'connection', 'connection reconnecting in 1.5 s (retry 1 of 5): gone'],
    ])
    expect(view.connectionText).toBe('reconnecting in 1.5 s (retry 1 of 5): gone')
  })

  it('says the error that ended the connection once, as fatal, and not as a state', () => {
    const error = new Error('Wrong credentials')
    const closed: ConnectionState = { status: 'closed', reason: 'authentication-failed', error }
    const view = reduce([
      { type: 'state', at: 1, state: closed },
      { type: 'fatal', at: 1, error },
      { type: 'fatal', at: 1, error: new Error('the same, from another stream') },
    ])
    expect(view.fatal).toBe(error)
    expect(view.log.map((e) => [e.kind, e.text])).toEqual([['fatal', '! Wrong credentials']])
  })

  it('counts bad frames', () => {
    const failure = { reason: 'schema', messages: ['bad status'] } as unknown as DecodeFailure
    const view = reduce([{ type: 'bad-frame', at: 1, failure }])
    expect(view.decodeFailures).toBe(1)
    expect(view.log[0]?.text).toBe('! bad frame: bad status')
  })

  it('samples bytes a second each way and the counts by outcome on each tick', () => {
    const inbound = request({ fileRequestId: 'in', fileSize: 10_000, percent: 10 })
    const outbound = request({ fileRequestId: 'out', direction: 1, fileSize: 4000, percent: 50 })
    const view = reduce([
      { type: 'requests', requests: requestsState([inbound, outbound]) },
      { type: 'tick', at: 1000 },
      {
        type: 'requests',
        requests: requestsState([
          { ...inbound, percent: 60 },
          { ...outbound, status: 0, terminal: true, outcome: 'failed' },
        ]),
      },
      { type: 'tick', at: 3000 },
    ])
    expect(view.samples).toEqual([
      {
        at: 1000,
        inBytesPerSecond: 0,
        outBytesPerSecond: 0,
        outcomes: { active: 2, complete: 0, failed: 0, rejected: 0 },
      },
      {
        at: 3000,
        // 5000 more bytes in over two seconds; nothing more out.
        inBytesPerSecond: 2500,
        outBytesPerSecond: 0,
        outcomes: { active: 1, complete: 0, failed: 1, rejected: 0 },
      },
    ])
  })

  it('never draws a negative speed when a request leaves the tracker', () => {
    const done = request({ fileRequestId: 'x', fileSize: 1000, percent: 100 })
    const view = reduce([
      { type: 'requests', requests: requestsState([done]) },
      { type: 'tick', at: 1000 },
      { type: 'requests', requests: requestsState([]) },
      { type: 'tick', at: 2000 },
    ])
    expect(view.samples[1]?.inBytesPerSecond).toBe(0)
  })
})

describe('roomView', () => {
  it('turns an error of the connection’s streams into fatal and keeps going (notes still arrive)', () => {
    const state$ = new Subject<ConnectionState>()
    const fileRequests$ = new Subject<FileRequestsState>()
    const connection = {
      state$,
      fileRequests$,
      events$: new Subject<FileEvent>(),
      decodeFailures$: new Subject<DecodeFailure>(),
    } as unknown as ViewedConnection
    const notes = new Subject<{ kind: 'action'; text: string }>()
    const views: RoomView[] = []
    const subscription = roomView(connection, notes, { now: () => 7, sampleMs: 60_000 }).subscribe(
      (v) => views.push(v),
    )
    state$.next({ status: 'ready', url: 'ws://x', connects: 1 })
    state$.error(new Error('retries exhausted'))
    fileRequests$.error(new Error('retries exhausted'))
    notes.next({ kind: 'action', text: 'still here' })
    subscription.unsubscribe()
    const last = views[views.length - 1] as RoomView
    expect(views[0]).toBe(initialRoomView)
    expect((last.fatal as Error).message).toBe('retries exhausted')
    expect(last.log.map((e) => e.text)).toEqual([
      'connection ready',
      '! retries exhausted',
      'still here',
    ])
  })
})
