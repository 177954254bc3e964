/**
 * What the room sends reaches the application as sent, whatever the PIN and the tokens are: the
 * redaction is for text meant for people (errors, reports, logs), never for the data an
 * application acts on. On real sockets: a `ws` room on port 0 that checks the PIN, answers the
 * lists, and accepts only the request ids it offered, byte for byte.
 */
import fc from 'fast-check'
import { WebSocket } from 'ws'
import type { DecodeFailure, FileEvent } from '@org/file-events-codec'
import {
  type Decoded,
  type FileRequestsState,
  type RoomConnection,
  type WebSocketConstructor,
  connectRoom,
} from '../src/index'
import { FakeRoom } from './fakeRoom'
import { ready, until } from './helpers'
import { closeRooms, startRoom } from './wsRoom'

const Ctor = WebSocket as unknown as WebSocketConstructor

const connections: RoomConnection[] = []
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.close()
  await closeRooms()
})

interface Watched {
  readonly connection: RoomConnection
  readonly events: FileEvent[]
  readonly messages: Decoded[]
  readonly failures: DecodeFailure[]
  readonly states: FileRequestsState[]
  readonly errors: unknown[]
}

const watch = async (url: string, pin: string): Promise<Watched> => {
  const connection = connectRoom({ wsUrl: url, pin, WebSocketCtor: Ctor, keepAliveMs: 0 })
  connections.push(connection)
  const watched: Watched = {
    connection,
    events: [],
    messages: [],
    failures: [],
    states: [],
    errors: [],
  }
  const error = (e: unknown) => watched.errors.push(e)
  connection.events$.subscribe({ next: (e) => watched.events.push(e), error })
  connection.messages$.subscribe({ next: (m) => watched.messages.push(m), error })
  connection.decodeFailures$.subscribe({ next: (f) => watched.failures.push(f), error })
  connection.fileRequests$.subscribe({ next: (s) => watched.states.push(s), error })
  await ready(connection)
  return watched
}

/** Resolves once `events` holds `count` events. */
const eventsArrive = (watched: Watched, count: number): Promise<void> =>
  until(() => watched.events.length >= count)

const received = (fields: Record<string, unknown>) =>
  JSON.stringify({
    method: 'event',
    event: 'receivedFileRequest',
    fileRequestId: '6c0e20a7-3c79-470d-869b-7c8287587620',
    fileName: 'a.txt',
    fileSize: 1024,
    directionType: 0,
    status: 1,
    peerId: 'alice@room.example',
    peerDisplayName: 'Alice',
    timestamp: 1659284222850,
    ...fields,
  })

const statusChanged = (fields: Record<string, unknown>) =>
  JSON.stringify({
    method: 'event',
    event: 'fileRequestStatusChanged',
    fileRequestId: '6c0e20a7-3c79-470d-869b-7c8287587620',
    fileName: 'a.txt',
    fileSize: 1024,
    directionType: 0,
    status: 3,
    timestamp: 1659284222850,
    ...fields,
  })

describe('data reaches the application as the room sent it, whatever the PIN', () => {
  it('PIN 1234: a request id with a 1234 group and "invoice 1234.pdf" stay as sent, and acceptFile sends the id back unchanged', async () => {
    const id = '6c0e20a7-1234-470d-869b-7c8287587620'
    const room = await startRoom({ pin: '1234', offered: [id] })
    const w = await watch(room.url, '1234')
    const frame = received({ fileRequestId: id, fileName: 'invoice 1234.pdf' })
    room.push(frame)
    await eventsArrive(w, 1)
    expect(JSON.stringify(w.events[0])).toBe(frame)
    expect(w.messages.at(-1)).toEqual({ _tag: 'Message', message: JSON.parse(frame) })
    const tracked = w.states.at(-1)?.get(id)
    expect(tracked).toMatchObject({ fileRequestId: id, fileName: 'invoice 1234.pdf' })
    await w.connection.acceptFile((w.events[0] as { fileRequestId: string }).fileRequestId)
    expect(room.accepted).toEqual([id])
    expect(w.errors).toEqual([])
  })

  it('PIN 7: fileId "7", "7.pdf" and a peer "Room 7" stay as sent; the tracker holds fileId 7', async () => {
    const id = '6c0e20a7-3c79-470d-869b-7c8287587620'
    const room = await startRoom({ pin: '7', offered: [id] })
    const w = await watch(room.url, '7')
    const offer = received({ fileName: '7.pdf', peerDisplayName: 'Room 7', peerId: '7' })
    const done = statusChanged({ fileId: '7', fileName: '7.pdf' })
    room.push(offer)
    await eventsArrive(w, 1)
    await w.connection.acceptFile(id)
    room.push(done)
    await eventsArrive(w, 2)
    expect(w.events.map((e) => JSON.stringify(e))).toEqual([offer, done])
    expect(w.states.at(-1)?.get(id)).toMatchObject({
      fileName: '7.pdf',
      fileId: 7,
      peerId: '7',
      peerDisplayName: 'Room 7',
      status: 3,
    })
    expect(room.accepted).toEqual([id])
    expect(w.failures).toEqual([])
    expect(w.errors).toEqual([])
  })

  it('still keeps the PIN out of what is meant for people: a decode failure report and a refused command', async () => {
    const room = await startRoom({ pin: '1234', offered: [] })
    const w = await watch(room.url, '1234')
    room.push(statusChanged({ fileName: ['PIN 1234 in a list'] }))
    await until(() => w.failures.length > 0)
    expect(w.failures[0]?.messages.join('\n')).toContain('PIN *** in a list')
    const refused = await w.connection.acceptFile('1234').catch((e: unknown) => e)
    expect((refused as Error).message).not.toMatch(/1234/)
    // The command itself carried the id as given.
    expect(room.accepted).toEqual(['1234'])
  })

  it('messages$ masks only the fields that carry secrets: credentials, token, tokenForHttpServer', async () => {
    const room = await startRoom({ pin: '246810', offered: [] })
    const w = await watch(room.url, '246810')
    const auth = w.messages.find((m) => m._tag === 'Message' && m.message.method === 'auth')
    expect(auth).toEqual({
      _tag: 'Message',
      message: {
        method: 'auth',
        requestId: expect.any(String) as unknown,
        result: true,
        token: '***',
        tokenForHttpServer: '***',
      },
    })
    const echo = JSON.stringify({
      method: 'event',
      event: 'custom',
      credentials: '246810',
      note: 'pin 246810',
    })
    room.push(echo)
    await until(() =>
      w.messages.some(
        (m) =>
          m._tag === 'Message' &&
          m.message.method === 'event' &&
          (m.message as { event?: unknown }).event === 'custom',
      ),
    )
    expect(w.messages.at(-1)).toEqual({
      _tag: 'Message',
      message: { method: 'event', event: 'custom', credentials: '***', note: 'pin 246810' },
    })
  })
})

describe('tokens are learned only from replies to requests this connection sent', () => {
  it('an unsolicited token reply, and a token equal to a field name, change nothing', async () => {
    const id = '6c0e20a7-3c79-470d-869b-7c8287587620'
    const room = await startRoom({ pin: '246810', offered: [id] })
    const w = await watch(room.url, '246810')
    room.push(
      JSON.stringify({
        method: 'getTokenForHttpServer',
        requestId: '',
        result: true,
        token: 'fileRequestId',
      }),
    )
    room.push(
      JSON.stringify({
        method: 'auth',
        requestId: '999',
        result: true,
        token: 'fileName',
        tokenForHttpServer: 'status',
      }),
    )
    const frame = received({ fileRequestId: id })
    room.push(frame)
    await eventsArrive(w, 1)
    expect(JSON.stringify(w.events[0])).toBe(frame)
    expect(w.states.at(-1)?.get(id)).toMatchObject({ fileRequestId: id, fileName: 'a.txt' })
    // A report meant for people is not touched either: the room did not teach these words.
    room.push(statusChanged({ fileRequestId: id, status: 'x' }))
    await until(() => w.failures.length > 0)
    expect(w.failures[0]?.messages.join('\n')).toContain('fileRequestStatusChanged.status')
    await w.connection.acceptFile(id)
    expect(room.accepted).toEqual([id])
    expect(w.errors).toEqual([])
  })

  it('a room whose own auth token equals a field name still delivers every event and state whole', async () => {
    const id = '6c0e20a7-3c79-470d-869b-7c8287587620'
    const room = await startRoom({
      pin: '246810',
      offered: [id],
      token: 'fileRequestId',
      tokenForHttpServer: 'fileName',
    })
    const w = await watch(room.url, '246810')
    const offer = received({ fileRequestId: id })
    room.push(offer)
    room.push(statusChanged({ fileRequestId: id, status: 2 }))
    await eventsArrive(w, 2)
    expect(JSON.stringify(w.events[0])).toBe(offer)
    expect(w.states.at(-1)?.get(id)).toMatchObject({ fileRequestId: id, status: 2 })
    expect(w.states.at(-1)?.activeCount).toBe(1)
    expect(w.errors).toEqual([])
  })
})

describe('data as sent, for any PIN (property, virtual time)', () => {
  it('events$, messages$ and the tracker carry every id, name, fileId and peer exactly, with the PIN inside them', async () => {
    const pinArb = fc.oneof(
      fc.stringMatching(/^[0-9]{1,8}$/),
      fc.string({ minLength: 1, maxLength: 12 }),
    )
    await fc.assert(
      fc.asyncProperty(
        pinArb,
        fc.nat(5),
        fc.string({ maxLength: 6 }),
        async (pin, where, around) => {
          const room = new FakeRoom()
          const c = connectRoom({
            wsUrl: 'ws://room.test:8765',
            pin,
            WebSocketCtor: room.Ctor,
            scheduler: room.scheduler,
            keepAliveMs: 0,
          })
          try {
            const events: FileEvent[] = []
            const messages: Decoded[] = []
            let state: FileRequestsState | undefined
            c.events$.subscribe((e) => events.push(e))
            c.messages$.subscribe((m) => messages.push(m))
            c.fileRequests$.subscribe((s) => (state = s))
            room.advance(10)
            const fields = [
              `${around}${pin}`,
              `${pin}${around}`,
              pin,
              `${around} ${pin}.pdf`,
              `x-${pin}-y`,
              `${pin}`,
            ]
            const text = fields[where] as string
            const sent = {
              method: 'event',
              event: 'fileRequestStatusChanged',
              fileRequestId: `id-${text}`,
              fileName: text,
              fileSize: 10,
              directionType: 0,
              status: 3,
              timestamp: 1659284222850,
              peerId: text,
              peerDisplayName: text,
              fileId: 42,
            }
            room.sockets[0]?.deliver(JSON.stringify(sent))
            room.advance(10)
            // The tracker folds a burst once, after it (a microtask).
            await new Promise((resolve) => setImmediate(resolve))
            expect(events).toEqual([sent])
            expect(messages.at(-1)).toEqual({ _tag: 'Message', message: sent })
            expect(state?.get(sent.fileRequestId)).toMatchObject({
              fileName: text,
              peerId: text,
              peerDisplayName: text,
              fileId: 42,
            })
          } finally {
            c.close()
          }
        },
      ),
      { numRuns: 200 },
    )
  })
})
