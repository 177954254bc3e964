import {
  CONFIG_PATH,
  COMMAND_METHODS,
  DEFAULT_PORTS,
  FILE_EVENT_NAMES,
  Port,
  RoomConfig,
  RoomMessage,
  RoomRequest,
  UnknownRequest,
  decodeFailure,
  decodeRoomMessage,
  decodeRoomRequest,
  fileEventCodecs,
  isCommandMethod,
  isEvent,
  isFileEvent,
  isFileEventName,
  isReply,
  isUnknownEvent,
  replyCodecs,
  requestCodecs,
  type RoomMessage as RoomMessageType,
} from '../src'

const decoded = (frame: string): RoomMessageType => {
  const result = decodeRoomMessage(frame)
  if (result._tag === 'Left') throw new Error(result.left.messages.join('\n'))
  return result.right
}

describe('guards', () => {
  const fileEvent = decoded(
    '{"method":"event","event":"fileTransferAvailabilityChanged","availability":3}',
  )
  const unknownEvent = decoded('{"method":"event","event":"appStateChanged","appState":3}')
  const reply = decoded(
    '{"method":"sendFile","requestId":"1","sentFileRequestId":"x","result":true}',
  )
  const otherReply = decoded('{"method":"getSettings","requestId":"1","result":true,"settings":{}}')

  it.each([
    [
      'a file event',
      fileEvent,
      { isEvent: true, isFileEvent: true, isUnknownEvent: false, isReply: false },
    ],
    [
      'an unknown event',
      unknownEvent,
      { isEvent: true, isFileEvent: false, isUnknownEvent: true, isReply: false },
    ],
    [
      'a modelled reply',
      reply,
      { isEvent: false, isFileEvent: false, isUnknownEvent: false, isReply: true },
    ],
    [
      'another reply',
      otherReply,
      { isEvent: false, isFileEvent: false, isUnknownEvent: false, isReply: true },
    ],
  ])('%s', (_name, message, expected) => {
    expect({
      isEvent: isEvent(message),
      isFileEvent: isFileEvent(message),
      isUnknownEvent: isUnknownEvent(message),
      isReply: isReply(message),
    }).toEqual(expected)
  })

  it('isFileEventName and isCommandMethod know their names only, not inherited properties', () => {
    for (const name of FILE_EVENT_NAMES) expect(isFileEventName(name)).toBe(true)
    for (const method of COMMAND_METHODS) expect(isCommandMethod(method)).toBe(true)
    for (const name of [
      'constructor',
      'toString',
      '__proto__',
      'hasOwnProperty',
      '',
      'FileRequestStatusChanged',
    ]) {
      expect(isFileEventName(name)).toBe(false)
      expect(isCommandMethod(name)).toBe(false)
    }
  })

  it('lists every codec by name', () => {
    expect(FILE_EVENT_NAMES).toEqual(Object.keys(fileEventCodecs))
    expect(FILE_EVENT_NAMES).toHaveLength(11)
    expect(COMMAND_METHODS).toEqual(Object.keys(requestCodecs))
    expect(Object.keys(replyCodecs)).toEqual(Object.keys(requestCodecs))
    expect(COMMAND_METHODS).toHaveLength(16)
  })
})

describe('decodeFailure', () => {
  it('copies method, event and requestId when they are strings', () => {
    expect(
      decodeFailure('schema', ['m'], 10, { method: 'event', event: 'x', requestId: '7', other: 1 }),
    ).toEqual({
      _tag: 'DecodeFailure',
      reason: 'schema',
      messages: ['m'],
      frameLength: 10,
      method: 'event',
      event: 'x',
      requestId: '7',
    })
    expect(decodeFailure('schema', [], 3, { method: 1, event: null, requestId: 7 })).toEqual({
      _tag: 'DecodeFailure',
      reason: 'schema',
      messages: [],
      frameLength: 3,
    })
    expect(
      decodeFailure('too-large', ['frame of 2000000 characters over the cap'], 2_000_000),
    ).toEqual({
      _tag: 'DecodeFailure',
      reason: 'too-large',
      messages: ['frame of 2000000 characters over the cap'],
      frameLength: 2_000_000,
    })
  })

  it('keeps the requestId of a failed reply, so it can still be matched', () => {
    const result = decodeRoomMessage('{"method":"sendFile","requestId":"42","result":true}')
    expect(result).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'DecodeFailure',
        reason: 'schema',
        messages: ['sendFile.sentFileRequestId: expected FileRequestId, missing'],
        frameLength: 52,
        method: 'sendFile',
        requestId: '42',
      },
    })
  })
})

describe('RoomMessage and RoomRequest', () => {
  it('decode a reply to an unmodelled command as a CommandReply, extra fields kept', () => {
    const frame = '{"result":true,"newPin":"ABC123","method":"setAuthParams","requestId":"1"}'
    expect(decodeRoomMessage(frame)).toEqual({ _tag: 'Right', right: JSON.parse(frame) })
  })

  it('decode an unmodelled request as UnknownRequest', () => {
    const frame = '{"method":"getSettings","requestId":"3","x":1}'
    expect(decodeRoomRequest(frame)).toEqual({ _tag: 'Right', right: JSON.parse(frame) })
    expect(UnknownRequest.is({ method: 'x' })).toBe(true)
    expect(decodeRoomRequest('{"requestId":"3"}')).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'DecodeFailure',
        reason: 'schema',
        messages: ['UnknownRequest.method: expected string, missing'],
        frameLength: 17,
        requestId: '3',
      },
    })
  })

  it('a modelled request must match its codec', () => {
    const result = decodeRoomRequest('{"method":"sendFile","requestId":"1","fileId":1}')
    expect(result._tag === 'Left' && result.left.messages).toEqual([
      'sendFile.callId: expected PeerId (callId or peerId), missing',
    ])
  })

  it('accept sendFile with callId or peerId', () => {
    expect(decodeRoomRequest('{"method":"sendFile","fileId":"1","peerId":"a@b"}')._tag).toBe(
      'Right',
    )
    expect(decodeRoomRequest('{"method":"sendFile","fileId":1,"callId":"a@b"}')._tag).toBe('Right')
  })

  it('encode as the identity', () => {
    const value = { method: 'event', event: 'x', y: 1 }
    expect(RoomMessage.encode(value as unknown as RoomMessage)).toBe(value)
    expect(RoomRequest.encode({ method: 'getAppState' })).toEqual({ method: 'getAppState' })
    expect(RoomMessage.decode(null)._tag).toBe('Left')
    expect(RoomRequest.is(5)).toBe(false)
  })
})

describe('discovery', () => {
  it('has the documented path and default ports', () => {
    expect(CONFIG_PATH).toBe('/public/default/config.json')
    expect(DEFAULT_PORTS).toEqual({ web: 80, websocket: 8765, http: 8766 })
  })

  it('RoomConfig reads the real document and rejects a bad port', () => {
    const doc = {
      config: { websocket: { hostname: null, port: 8765 }, http: { hostname: null, port: 8766 } },
    }
    expect(RoomConfig.decode(doc)).toEqual({ _tag: 'Right', right: doc })
    expect(
      RoomConfig.is({ config: { ...doc.config, http: { hostname: 'room', port: 70000 } } }),
    ).toBe(false)
    for (const p of [0, 80, 65535]) expect(Port.is(p)).toBe(true)
    for (const p of [-1, 65536, 80.5, '80']) expect(Port.is(p)).toBe(false)
  })
})
