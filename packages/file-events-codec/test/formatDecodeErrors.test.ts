import * as t from 'io-ts'
import {
  AuthReply,
  FileRequestStatusChanged,
  SECRET_KEYS,
  decodeRoomMessage,
  decodeRoomRequest,
  formatDecodeErrors,
  renderValue,
} from '../src'

/** The documented `fileRequestStatusChanged` example, trimmed. */
const statusChanged = {
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
}

const messagesOf = (frame: string): ReadonlyArray<string> => {
  const result = decodeRoomMessage(frame)
  if (result._tag === 'Right') throw new Error('expected a failure')
  return result.left.messages
}

describe('pinned messages', () => {
  it('a status out of range', () => {
    expect(messagesOf(JSON.stringify({ ...statusChanged, status: 4 }))).toEqual([
      'fileRequestStatusChanged.status: expected FileRequestStatus, received 4',
    ])
  })

  it('a status of the wrong type', () => {
    expect(messagesOf(JSON.stringify({ ...statusChanged, status: '2' }))).toEqual([
      'fileRequestStatusChanged.status: expected FileRequestStatus, received "2"',
    ])
  })

  it('a missing field', () => {
    const { fileRequestId: _, ...rest } = statusChanged
    expect(messagesOf(JSON.stringify(rest))).toEqual([
      'fileRequestStatusChanged.fileRequestId: expected FileRequestId, missing',
    ])
  })

  it('fileSize and size both missing', () => {
    const { fileSize: _, ...rest } = statusChanged
    expect(messagesOf(JSON.stringify(rest))).toEqual([
      'fileRequestStatusChanged.fileSize: expected FileSize (fileSize or size), missing',
    ])
  })

  it('several failures, one line each, in field order', () => {
    expect(
      messagesOf(
        JSON.stringify({ ...statusChanged, directionType: 2, fileName: null, fileId: '01' }),
      ),
    ).toEqual([
      'fileRequestStatusChanged.directionType: expected DirectionType, received 2',
      'fileRequestStatusChanged.fileName: expected string, received null',
      'fileRequestStatusChanged.fileId: expected FileId, received "01"',
    ])
  })

  it('a nested list item, with its index', () => {
    const frame = JSON.stringify({
      method: 'getIncomingFilesRequests',
      requestId: '1',
      result: true,
      incomingFilesRequests: [
        { fileRequestId: 'a', fileName: '2.jpg', status: 1, timestamp: 1659249467212, size: 3200 },
        { fileRequestId: 'b', fileName: '3.png', status: 7, timestamp: 1659249491211, size: 'big' },
      ],
    })
    const result = decodeRoomMessage(frame)
    expect(result).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'DecodeFailure',
        reason: 'schema',
        messages: [
          'getIncomingFilesRequests.incomingFilesRequests[1].status: expected FileRequestStatus, received 7',
          'getIncomingFilesRequests.incomingFilesRequests[1].size: expected FileSize, received "big"',
        ],
        frameLength: frame.length,
        method: 'getIncomingFilesRequests',
        requestId: '1',
      },
    })
  })

  it('a known event with no payload at all', () => {
    expect(messagesOf('{"method":"event","event":"fileTransferAvailabilityChanged"}')).toEqual([
      'fileTransferAvailabilityChanged.availability: expected FileTransferAvailability, missing',
    ])
  })

  it('an event without a name', () => {
    expect(messagesOf('{"method":"event"}')).toEqual([
      'UnknownEvent.event: expected string, missing',
    ])
  })

  it('a reply without result', () => {
    expect(messagesOf('{"method":"getSettings","requestId":"7"}')).toEqual([
      'CommandReply.result: expected boolean, missing',
    ])
  })

  it('a failed reply with a wrong error', () => {
    expect(messagesOf('{"method":"sendFile","result":false,"error":404}')).toEqual([
      'sendFile.error: expected string, received 404',
    ])
  })

  it('the wire vector of a wrong PIN decodes: a failure reply is not a decode failure', () => {
    expect(
      decodeRoomMessage(
        '{ "method": "auth", "resultCode": 3, "result": false, "error": "Wrong credentials" }',
      )._tag,
    ).toBe('Right')
  })
})

describe('non-object frames', () => {
  it.each([
    ['[1,2]', 'RoomMessage: expected RoomMessage, received [1,2]'],
    ['null', 'RoomMessage: expected RoomMessage, received null'],
    ['42', 'RoomMessage: expected RoomMessage, received 42'],
    ['"event"', 'RoomMessage: expected RoomMessage, received "event"'],
    ['true', 'RoomMessage: expected RoomMessage, received true'],
  ])('%s', (frame, message) => {
    expect(decodeRoomMessage(frame)).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'DecodeFailure',
        reason: 'schema',
        messages: [message],
        frameLength: frame.length,
      },
    })
  })

  it('a request frame that is not an object', () => {
    expect(decodeRoomRequest('[]')).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'DecodeFailure',
        reason: 'schema',
        messages: ['RoomRequest: expected RoomRequest, received []'],
        frameLength: 2,
      },
    })
  })

  it('a frame that is not a string at all', () => {
    expect(decodeRoomMessage(42 as unknown as string)).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'DecodeFailure',
        reason: 'json',
        messages: ['expected a text frame, received number'],
        frameLength: 0,
      },
    })
    expect(decodeRoomRequest(undefined as unknown as string)._tag).toBe('Left')
  })
})

describe('invalid JSON', () => {
  it('says where, never what: a PIN in a broken frame is not echoed', () => {
    const frames = [
      '{"method":"auth","type":"secured","credentials":"987654"',
      '{"method":"auth","type":"secured","credentials":987654x}',
      "{'method':'auth','credentials':'987654'}",
      '{"method":"auth","credentials":"987654",}',
      '987654 987654',
    ]
    for (const frame of frames) {
      const result = decodeRoomMessage(frame)
      expect(result._tag).toBe('Left')
      if (result._tag === 'Left') {
        expect(result.left.reason).toBe('json')
        expect(result.left.frameLength).toBe(frame.length)
        expect(result.left.messages).toHaveLength(1)
        expect(result.left.messages[0]).toMatch(
          /^invalid JSON( at position \d+| \(unexpected end\))? in a frame of \d+ characters$/,
        )
        expect(result.left.messages.join('')).not.toContain('9876')
        expect(result.left).not.toHaveProperty('method')
      }
    }
  })

  it('pins the message of a cut frame and of an empty one', () => {
    const cut = '{"method":"auth","type":"secured","credentials":"987654"'
    expect(decodeRoomRequest(cut)).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'DecodeFailure',
        reason: 'json',
        messages: [`invalid JSON at position ${cut.length} in a frame of ${cut.length} characters`],
        frameLength: cut.length,
      },
    })
    expect(decodeRoomMessage('')).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'DecodeFailure',
        reason: 'json',
        messages: ['invalid JSON (unexpected end) in a frame of 0 characters'],
        frameLength: 0,
      },
    })
  })
})

describe('redaction', () => {
  it('credentials of the wrong type', () => {
    const result = decodeRoomRequest('{"method":"auth","type":"secured","credentials":987654}')
    expect(result._tag === 'Left' && result.left.messages).toEqual([
      'auth.credentials: expected string, received <redacted>',
    ])
  })

  it('token and tokenForHttpServer of the wrong type', () => {
    const result = decodeRoomMessage(
      '{"method":"auth","result":true,"token":987654,"tokenForHttpServer":{"secret":"x"}}',
    )
    expect(result._tag === 'Left' && result.left.messages).toEqual([
      'auth.token: expected string, received <redacted>',
      'auth.tokenForHttpServer: expected string, received <redacted>',
    ])
  })

  it('an auth request of an unknown or missing type names the field, never the PIN', () => {
    const result = decodeRoomRequest('{"method":"auth","type":"securd","credentials":"987654"}')
    expect(result._tag === 'Left' && result.left.messages).toEqual([
      'auth.type: expected "secured" | "unsecured", received "securd"',
    ])
    const untyped = decodeRoomRequest('{"method":"auth","credentials":"987654"}')
    expect(untyped._tag === 'Left' && untyped.left.messages).toEqual([
      'auth.type: expected "secured" | "unsecured", missing',
    ])
    // A known type still reports the fields of its own shape.
    const secured = decodeRoomRequest('{"method":"auth","type":"secured"}')
    expect(secured._tag === 'Left' && secured.left.messages).toEqual([
      'auth.credentials: expected string, missing',
    ])
  })

  it('secrets inside a value printed whole', () => {
    const list = decodeRoomMessage(
      '{"method":"getFileList","result":true,"fileList":{"token":"abc","credentials":"987654","x":{"tokenForHttpServer":"q"}}}',
    )
    expect(list._tag === 'Left' && list.left.messages).toEqual([
      'getFileList.fileList: expected Array<FileListItem>, received {"token":"<redacted>","credentials":"<redacted>","x":{"tokenForHttpServer":"<re…',
    ])
  })

  it('a secret below the failing field', () => {
    const codec = t.type({ outer: t.type({ token: t.number }) }, 'Outer')
    const result = codec.decode({ outer: { token: 'abc' } })
    expect(result._tag === 'Left' && formatDecodeErrors(result.left)).toEqual([
      'Outer.outer.token: expected number, received <redacted>',
    ])
  })

  it('covers the documented keys', () => {
    expect([...SECRET_KEYS].sort()).toEqual(['credentials', 'token', 'tokenForHttpServer'])
  })
})

describe('truncation at 80 characters', () => {
  it('a long string', () => {
    const result = decodeRoomMessage(JSON.stringify({ ...statusChanged, status: 'x'.repeat(500) }))
    expect(result._tag === 'Left' && result.left.messages).toEqual([
      `fileRequestStatusChanged.status: expected FileRequestStatus, received "${'x'.repeat(78)}…`,
    ])
  })

  it('a long array', () => {
    const lines = messagesOf(JSON.stringify({ ...statusChanged, fileName: ['a'.repeat(100)] }))
    const prefix = 'fileRequestStatusChanged.fileName: expected string, received '
    expect(lines).toEqual([`${prefix}["${'a'.repeat(77)}…`])
    expect((lines[0] as string).slice(prefix.length)).toHaveLength(80)
  })

  it('a value of exactly 80 characters is printed whole', () => {
    const value = 'y'.repeat(78) // 80 with its quotes
    expect(messagesOf(JSON.stringify({ ...statusChanged, status: value }))).toEqual([
      `fileRequestStatusChanged.status: expected FileRequestStatus, received "${value}"`,
    ])
  })
})

describe('formatDecodeErrors', () => {
  it("prints a union failing in the same place once, under the union's name", () => {
    const codec = t.union([t.string, t.number], 'StringOrNumber')
    const result = t.type({ a: codec }, 'A').decode({ a: true })
    expect(result._tag === 'Left' && result.left.length).toBe(2)
    expect(result._tag === 'Left' && formatDecodeErrors(result.left)).toEqual([
      'A.a: expected StringOrNumber, received true',
    ])
    const same = t.type({ a: t.string }, 'A').decode({ a: 1 })
    if (same._tag === 'Left') {
      expect(formatDecodeErrors([...same.left, ...same.left])).toEqual([
        'A.a: expected string, received 1',
      ])
    }
  })

  it("prints an error's own message", () => {
    expect(formatDecodeErrors([{ value: 1, context: [], message: 'custom reason' }])).toEqual([
      '(root): custom reason',
    ])
    const context = [{ key: '', type: t.string, actual: 1 }]
    expect(formatDecodeErrors([{ value: 1, context, message: 'not text' }])).toEqual([
      'string: not text',
    ])
  })

  it('an empty context', () => {
    expect(formatDecodeErrors([{ value: 5, context: [] }])).toEqual([
      '(root): expected unknown, received 5',
    ])
  })

  it('names an unlabelled codec by its name', () => {
    const result = AuthReply.decode({ method: 'auth', result: true, token: 't' })
    expect(result._tag === 'Left' && formatDecodeErrors(result.left)).toEqual([
      'auth.tokenForHttpServer: expected string, missing',
    ])
    const plain = t.type({ n: t.number }).decode({ n: 'x' })
    expect(plain._tag === 'Left' && formatDecodeErrors(plain.left)).toEqual([
      '{ n: number }.n: expected number, received "x"',
    ])
  })

  it('is what FileRequestStatusChanged.decode explains, as its @example says', () => {
    const result = FileRequestStatusChanged.decode({
      method: 'event',
      event: 'fileRequestStatusChanged',
    })
    expect(result._tag === 'Left' && formatDecodeErrors(result.left)[0]).toBe(
      'fileRequestStatusChanged.fileRequestId: expected FileRequestId, missing',
    )
  })
})

describe('renderValue', () => {
  it('prints compact JSON', () => {
    expect(renderValue({ a: [1, 'b', null, true], c: { d: false } })).toBe(
      '{"a":[1,"b",null,true],"c":{"d":false}}',
    )
    expect(renderValue([])).toBe('[]')
    expect(renderValue({})).toBe('{}')
    expect(renderValue('x"y')).toBe('"x\\"y"')
  })

  it('prints what JSON cannot', () => {
    expect(renderValue(undefined)).toBe('undefined')
    expect(renderValue(10n)).toBe('10n')
    expect(renderValue(Symbol('s'))).toBe('<symbol>')
    expect(renderValue(() => 1)).toBe('<function>')
    expect(renderValue(NaN)).toBe('NaN')
    expect(renderValue([undefined, 1n])).toBe('[undefined,1n]')
  })

  it('marks cycles instead of looping', () => {
    const a: Record<string, unknown> = { name: 'a' }
    a.self = a
    expect(renderValue(a)).toBe('{"name":"a","self":<circular>}')
    const list: unknown[] = [1]
    list.push(list)
    expect(renderValue(list)).toBe('[1,<circular>]')
  })

  it('redacts secrets at any depth', () => {
    expect(
      renderValue(
        {
          a: { b: [{ credentials: '1234', token: 't', tokenForHttpServer: 'h', other: 'o' }] },
        },
        200,
      ),
    ).toBe(
      '{"a":{"b":[{"credentials":"<redacted>","token":"<redacted>","tokenForHttpServer":"<redacted>","other":"o"}]}}',
    )
  })

  it('cuts to max characters, with an ellipsis', () => {
    expect(renderValue('abcdefghij', 6)).toBe('"abcd…')
    expect(renderValue('abcd', 6)).toBe('"abcd"')
    expect(renderValue([1, 2, 3, 4, 5], 6)).toBe('[1,2,…')
    expect(renderValue({ a: 1, b: 2 }, 8)).toBe('{"a":1,…')
    expect(renderValue({ abcdefgh: 1 }, 5)).toBe('{"ab…')
  })

  it('stops walking a deep or large value once the budget is spent', () => {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 100_000; i++) deep = { d: deep }
    const printed = renderValue(deep)
    expect(printed).toHaveLength(80)
    expect(printed.endsWith('…')).toBe(true)

    let visited = 0
    const huge = new Proxy(
      { keys: Array.from({ length: 10_000 }, (_, i) => `k${i}`) },
      {
        ownKeys: (target) => target.keys,
        getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true }),
        get: () => {
          visited++
          return 1
        },
      },
    )
    expect(renderValue(huge)).toHaveLength(80)
    expect(visited).toBeLessThan(20)
  })

  it('never throws, even on a value whose getters throw', () => {
    const hostile = {
      get boom(): never {
        throw new Error('boom')
      },
    }
    expect(renderValue(hostile)).toBe('<unprintable>')
    const revoked = Proxy.revocable({}, {})
    revoked.revoke()
    expect(renderValue(revoked.proxy)).toBe('<unprintable>')
  })
})

describe('formatDecodeErrors limits', () => {
  /** A reply of `n` list items that are all wrong: one error per item, at least. */
  const badList = (n: number): string =>
    JSON.stringify({
      method: 'getIncomingFilesRequests',
      requestId: '1',
      result: true,
      incomingFilesRequests: Array.from({ length: n }, (_, i) => ({ id: i })),
    })

  it('explains the first three failing items of a long list and counts the rest, in 20 lines at most', () => {
    const lines = messagesOf(badList(50_000))
    expect(lines[0]).toBe(
      'getIncomingFilesRequests.incomingFilesRequests: 50000 of 50000 items failed (the first 3 are explained)',
    )
    expect(lines.length).toBeLessThanOrEqual(21)
    expect(lines.slice(1).every((line) => /incomingFilesRequests\[[0-2]\]\./.test(line))).toBe(true)
    expect(lines).toContain(
      'getIncomingFilesRequests.incomingFilesRequests[2].fileRequestId: expected FileRequestId, missing',
    )
  })

  it('prints at most 20 lines by default, the last one counting the errors left out', () => {
    const result = t.array(t.string, 'Names').decode(Array.from({ length: 5000 }, (_, i) => i))
    if (result._tag === 'Right') throw new Error('expected a failure')
    const lines = formatDecodeErrors(result.left)
    expect(lines).toHaveLength(21)
    expect(lines[20]).toBe('... and 4980 more errors')
  })

  it('keeps a report of a 1 MiB frame of bad items within 16 KiB', () => {
    const frame = badList(75_000)
    expect(frame.length).toBeGreaterThan(900_000)
    const lines = messagesOf(frame)
    expect(lines.join('\n').length).toBeLessThanOrEqual(16 * 1024 + 40)
  })

  it('takes its limits as an argument: lines, then characters', () => {
    const result = t.array(t.string, 'Names').decode([1, 2, 3, 4, 5])
    if (result._tag === 'Right') throw new Error('expected a failure')
    expect(formatDecodeErrors(result.left, { maxLines: 2 })).toEqual([
      'Names[0]: expected string, received 1',
      'Names[1]: expected string, received 2',
      '... and 3 more errors',
    ])
    expect(formatDecodeErrors(result.left, { maxChars: 40 })).toEqual([
      'Names[0]: expected string, received 1',
      '... and 4 more errors',
    ])
    expect(formatDecodeErrors(result.left, { maxLines: 4 })).toEqual([
      'Names[0]: expected string, received 1',
      'Names[1]: expected string, received 2',
      'Names[2]: expected string, received 3',
      'Names[3]: expected string, received 4',
      '... and 1 more error',
    ])
    expect(formatDecodeErrors(result.left)).toHaveLength(5)
  })
})
