import fc from 'fast-check'
import { type DecodeFailure, decodeRoomMessage } from '@org/file-events-codec'
import { type Decoded, type RoomConnection, connectRoom } from '../src/index'
import { Redactor } from '../src/Redactor'
import { FakeRoom } from './fakeRoom'

/** A frame whose mistyped `fileName` holds `pin` where the codec's report cuts a value (80 characters). */
const longNoteFrame = (pin: string): string =>
  JSON.stringify({
    method: 'event',
    event: 'fileRequestStatusChanged',
    fileRequestId: 'r1',
    status: 2,
    directionType: 0,
    fileName: { note: `${'n'.repeat(64)}${pin}` },
    fileSize: 3,
    timestamp: 1,
  })

const redactor = (...secrets: string[]): Redactor => {
  const r = new Redactor()
  for (const s of secrets) r.learn(s)
  return r
}

describe('Redactor', () => {
  it('replaces a long secret wherever it stands, its JSON-escaped and URL-encoded forms too', () => {
    const r = redactor('tok-ABCDEFGH', 'pa"ss\\word-99', 'p&w=1 2;3')
    expect(r.redact('token tok-ABCDEFGHtok-ABCDEFGH, x')).toBe('token ******, x')
    expect(r.redact(JSON.stringify({ pin: 'pa"ss\\word-99' }))).toBe('{"pin":"***"}')
    expect(r.redact(`?pin=${encodeURIComponent('p&w=1 2;3')}`)).toBe('?pin=***')
  })

  it('matches a short secret only as a word of its own, and never garbles other text', () => {
    const r = redactor('1')
    expect(r.redact('wrong pin 1')).toBe('wrong pin ***')
    expect(r.redact('{"credentials":"1"}')).toBe('{"credentials":"***"}')
    expect(r.redact('pin=1&x')).toBe('pin=***&x')
    expect(r.redact('the pin was 1.')).toBe('the pin was ***.')
    const untouched = [
      '100',
      'a1b',
      '2021-11-01',
      'v1',
      '6c0e20a7-3c79-470d-869b-7c8287587620',
      'file_1_2',
      '1.5',
      '0,1',
      'x٣1',
    ]
    for (const text of untouched) expect(r.redact(text)).toBe(text)
  })

  it('finds a short PIN beside any punctuation a message may put around it', () => {
    const r = redactor('1234')
    for (const [text, shown] of [
      ['wrong PIN 1234!', 'wrong PIN ***!'],
      ['«1234»', '«***»'],
      ['PIN—1234', 'PIN—***'],
      ['1234-retry', '***-retry'],
      ['1234...', '***...'],
      ['1234…', '***…'],
      ['(1234)', '(***)'],
    ]) {
      expect(r.redact(text as string)).toBe(shown)
    }
    expect(r.redact('12345 and 412340')).toBe('12345 and 412340')
  })

  it('keeps the PIN however many tokens come after it', () => {
    const r = redactor()
    r.learn('4711', 'pin')
    for (let i = 0; i < 200; i++) r.learn(`token-${String(i).padStart(8, '0')}`)
    expect(r.redact('bad PIN 4711 given')).toBe('bad PIN *** given')
    expect(r.redact('token-00000199 token-00000000')).toBe('*** token-00000000')
  })

  it('searches the decoded strings of a frame that escapes a secret (\\/, \\u)', () => {
    const r = redactor('ab/cd+ef==')
    const frame = '{"method":"event","event":"x","note":"ab\\/cd+ef==","other":"\\u0061b/cd+ef=="}'
    expect(r.holds(frame)).toBe(true)
    expect(JSON.stringify(r.strings(JSON.parse(frame)))).not.toContain('cd+ef')
  })

  it('takes the longest secret first, so one inside another is replaced whole', () => {
    expect(redactor('1234', '1234567890ab').redact('1234567890ab and 1234')).toBe('*** and ***')
  })

  it('redacts before it cuts: no prefix of a secret survives the cut', () => {
    const r = redactor('4815162342')
    const text = `${'x'.repeat(75)} 4815162342`
    expect(r.redact(text, 80)).toBe(`${'x'.repeat(75)} ***`)
    expect(r.redact(`${'y'.repeat(100)} 4815162342`, 80)).toBe(`${'y'.repeat(79)}…`)
  })

  it('never lets a long secret through, whatever surrounds it (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9]{8,24}$/),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          const out = redactor(secret).redact(before + secret + after)
          expect(out.includes(secret)).toBe(false)
        },
      ),
    )
  })

  it('leaves text that holds no secret as it is, and says it holds none (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), fc.string(), (secret, text) => {
        fc.pre(!text.includes(secret))
        const r = redactor(secret)
        expect(r.redact(text)).toBe(text)
        // A text with an escape may spell the secret otherwise: that one is always searched.
        expect(r.holds(text)).toBe(text.includes('\\'))
      }),
    )
  })

  it('reformats a decode failure from the redacted value, so the report cut at 80 characters holds no part of the PIN', () => {
    const pin = '9081726354'
    const frame = longNoteFrame(pin)
    const raw = decodeRoomMessage(frame)
    if (raw._tag === 'Right') throw new Error('expected a failure')
    // What the codec prints alone: the value cut in the middle of the PIN.
    expect(raw.left.messages.join('\n')).toContain('90817')
    const shown = redactor(pin).failure(raw.left, frame)
    expect(shown.messages.join('\n')).not.toMatch(/9081|\*\*\*…$/)
    expect(shown.messages.join('\n')).toContain('***')
  })
})

describe('what the connection shows', () => {
  let room: FakeRoom
  let connection: RoomConnection | undefined
  afterEach(() => connection?.close())

  const watch = (pin: string): { messages: Decoded[]; failures: DecodeFailure[] } => {
    room = new FakeRoom()
    const c = connectRoom({
      wsUrl: 'ws://room.test:8765',
      pin,
      WebSocketCtor: room.Ctor,
      scheduler: room.scheduler,
      keepAliveMs: 0,
    })
    connection = c
    const messages: Decoded[] = []
    const failures: DecodeFailure[] = []
    c.messages$.subscribe((m) => messages.push(m))
    c.decodeFailures$.subscribe((f) => failures.push(f))
    room.advance(10)
    return { messages, failures }
  }
  const event = (fields: Record<string, unknown>) => ({
    method: 'event',
    event: 'fileRequestStatusChanged',
    fileRequestId: 'r1',
    status: 2,
    directionType: 0,
    fileName: 'a.txt',
    fileSize: 3,
    timestamp: 1659284222850,
    ...fields,
  })

  it('hides a PIN or a token echoed in a mistyped field from the reports, and leaves valid data as sent', () => {
    const { messages, failures } = watch('pin-8413')
    const socket = room.sockets[0]
    socket?.deliver(event({ fileName: ['pin-8413'] }))
    socket?.deliver(event({ fileName: { echo: 'session-secret' } }))
    const valid = event({ fileName: 'my pin-8413 file', peerId: 'http-secret' })
    socket?.deliver(valid)
    room.advance(10)
    const reports = JSON.stringify([messages.slice(0, -1), failures])
    for (const secret of ['pin-8413', 'session-secret', 'http-secret'])
      expect(reports).not.toContain(secret)
    expect(failures).toHaveLength(2)
    expect(messages[messages.length - 1]).toEqual({ _tag: 'Message', message: valid })
  })

  it('hides a PIN that JSON escapes', () => {
    const pin = 'a"b\\c-77'
    const { failures } = watch(pin)
    room.sockets[0]?.deliver(event({ fileName: [pin] }))
    room.advance(10)
    const shown = JSON.stringify(failures) + failures.flatMap((f) => f.messages).join('\n')
    expect(shown).not.toContain('a\\"b')
    expect(shown).not.toContain('b\\\\c')
    expect(failures[0]?.messages[0]).toContain('***')
  })

  it('leaves every frame as it is when the PIN is short and stands nowhere as a word', () => {
    const { messages } = watch('1')
    const frames = [
      event({ fileName: 'report 100.pdf', fileRequestId: 'r-1x', fileSize: 1 }),
      event({ fileName: 'v1.txt', fileRequestId: '11' }),
    ]
    for (const f of frames) room.sockets[0]?.deliver(f)
    room.advance(10)
    const shown = messages.slice(-2).map((m) => (m._tag === 'Message' ? m.message : m))
    expect(shown).toEqual(frames)
  })

  it('redacts a binary frame like a text frame, before any value is cut', () => {
    const pin = '5647382910'
    const { failures } = watch(pin)
    room.sockets[0]?.onmessage?.({ data: new TextEncoder().encode(longNoteFrame(pin)).buffer })
    room.advance(10)
    expect(failures).toHaveLength(1)
    expect(failures[0]?.messages.join('\n')).not.toMatch(/5647/)
  })
})
