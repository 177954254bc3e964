import * as fc from 'fast-check'
import type * as t from 'io-ts'
import {
  FILE_EVENT_NAMES,
  RoomConfig,
  RoomMessage,
  RoomRequest,
  SECRET_KEYS,
  decodeRoomMessage,
  decodeRoomRequest,
  fileEventCodecs,
  formatDecodeErrors,
  isFileEvent,
  isFileEventName,
  isReply,
  isUnknownEvent,
  replyCodecs,
  requestCodecs,
} from '../src'
import {
  allSpecs,
  badFileId,
  badFileSize,
  badHostname,
  badPort,
  badEnum,
  eventSpecs,
  fileId,
  fileRequestStatus,
  listReplies,
  notBoolean,
  notNumber,
  notString,
  peerId,
  replySpecs,
  requestSpecs,
  roomConfig,
  securedAuthRequest,
  authReplySuccess,
  successReply,
  json,
  text,
  timestamp,
  unknownEvent,
  unknownEventName,
  type Spec,
} from './arbitraries'

/** Runs per property and codec: about 50 codecs, each with several properties. */
const RUNS = 60

const decodeFrame = (spec: Spec, frame: string) =>
  spec.frame === 'request' ? decodeRoomRequest(frame) : decodeRoomMessage(frame)

/** Every field of a spec that can be mutated, with its bad values, as one arbitrary of [field, bad value]. */
const mutation = (mutations: Readonly<Record<string, fc.Arbitrary<unknown>>>) =>
  fc
    .constantFrom(...Object.entries(mutations))
    .chain(([field, bad]) => bad.map((value) => [field, value] as const))

/** The values a spec generates, valid and with one field mutated: the inputs on which `is` and `decode` must agree. */
const validOrMutated = (spec: Spec): fc.Arbitrary<unknown> => {
  const arbs: fc.Arbitrary<unknown>[] = [spec.valid]
  if (Object.keys(spec.mutations).length > 0) {
    arbs.push(
      fc.tuple(spec.valid, mutation(spec.mutations)).map(([v, [k, bad]]) => ({ ...v, [k]: bad })),
    )
  }
  if (
    spec.success !== undefined &&
    spec.successMutations !== undefined &&
    Object.keys(spec.successMutations).length > 0
  ) {
    arbs.push(
      fc
        .tuple(spec.success, mutation(spec.successMutations))
        .map(([v, [k, bad]]) => ({ ...v, [k]: bad })),
    )
  }
  return fc.oneof(...arbs)
}

const messagesOf = (codec: t.Mixed, value: unknown): ReadonlyArray<string> => {
  const result = codec.decode(value)
  if (result._tag === 'Right')
    throw new Error(`expected a failure, decoded ${JSON.stringify(value)}`)
  return formatDecodeErrors(result.left)
}

describe.each(allSpecs.map((spec) => [spec.name, spec] as const))('%s', (_name, spec) => {
  it('decodes every valid value to the same object, and encodes it back unchanged', () => {
    fc.assert(
      fc.property(spec.valid, (value) => {
        expect(spec.codec.is(value)).toBe(true)
        const result = spec.codec.decode(value)
        expect(result._tag).toBe('Right')
        if (result._tag === 'Right') {
          expect(result.right).toBe(value)
          expect(spec.codec.encode(result.right)).toEqual(value)
        }
      }),
      { numRuns: RUNS },
    )
  })

  if (spec.frame !== 'none') {
    it(`decodes every valid value from its JSON text with ${spec.frame === 'request' ? 'decodeRoomRequest' : 'decodeRoomMessage'}`, () => {
      fc.assert(
        fc.property(spec.valid, (value) => {
          const frame = JSON.stringify(value)
          const result = decodeFrame(spec, frame)
          expect(result).toEqual({ _tag: 'Right', right: value })
          expect(result).toEqual({ _tag: 'Right', right: JSON.parse(frame) })
        }),
        { numRuns: RUNS },
      )
    })
  }

  const fieldLines = (field: string, messages: ReadonlyArray<string>) =>
    messages.filter((m) => m.startsWith(`${spec.label}.${field}: `))

  const checkMutated = (value: object, field: string, bad: unknown) => {
    const mutated = { ...value, [field]: bad }
    expect(spec.codec.is(mutated)).toBe(false)
    const messages = messagesOf(spec.codec, mutated)
    const lines = fieldLines(field, messages)
    expect(lines).not.toHaveLength(0)
    if (SECRET_KEYS.has(field)) {
      for (const line of lines) expect(line).toMatch(/received <redacted>$/)
    }
    if (spec.frame !== 'none') {
      const frame = JSON.stringify(mutated)
      const result = decodeFrame(spec, frame)
      expect(result._tag).toBe('Left')
      if (result._tag === 'Left') {
        expect(result.left.reason).toBe('schema')
        expect(result.left.frameLength).toBe(frame.length)
        expect(result.left.messages).toEqual(messagesOf(spec.codec, JSON.parse(frame)))
      }
    }
  }

  if (Object.keys(spec.mutations).length > 0) {
    it(`fails with a message naming the field when one of ${Object.keys(spec.mutations).join(', ')} is wrong`, () => {
      fc.assert(
        fc.property(spec.valid, mutation(spec.mutations), (value, [field, bad]) =>
          checkMutated(value, field, bad),
        ),
        { numRuns: RUNS * 2 },
      )
    })
  }

  const { success, successMutations } = spec
  if (
    success !== undefined &&
    successMutations !== undefined &&
    Object.keys(successMutations).length > 0
  ) {
    it(`fails with a message naming the field when one of ${Object.keys(successMutations).join(', ')} is wrong in a successful reply`, () => {
      fc.assert(
        fc.property(success, mutation(successMutations), (value, [field, bad]) =>
          checkMutated(value, field, bad),
        ),
        { numRuns: RUNS * 2 },
      )
    })
  }

  if ('fileSize' in spec.mutations) {
    it('fails on fileSize when neither fileSize nor size is present', () => {
      fc.assert(
        fc.property(spec.valid, (value) => {
          const { fileSize: _f, size: _s, ...rest } = value as Record<string, unknown>
          expect(messagesOf(spec.codec, rest)).toContain(
            `${spec.label}.fileSize: expected FileSize (fileSize or size), missing`,
          )
        }),
        { numRuns: RUNS / 4 },
      )
    })
  }

  it('agrees between is (the fast path) and decode, on valid and mutated values', () => {
    fc.assert(
      fc.property(validOrMutated(spec), (value) => {
        expect(spec.codec.is(value)).toBe(spec.codec.decode(value)._tag === 'Right')
      }),
      { numRuns: RUNS * 2 },
    )
  })
})

describe('list items inside replies', () => {
  it.each(listReplies.map((r) => [r.method, r] as const))(
    '%s names the item index in the path',
    (_m, reply) => {
      fc.assert(
        fc.property(
          successReply(reply.method, fc.constant({})),
          fc.array(reply.item as fc.Arbitrary<object>, { minLength: 1, maxLength: 5 }),
          fc.nat(),
          badFileId,
          (base, items, n, bad) => {
            const index = n % items.length
            const list = items.map((item, i) => (i === index ? { ...item, fileId: bad } : item))
            const value = { ...base, [reply.key]: list }
            expect(reply.codec.is(value)).toBe(false)
            expect(
              messagesOf(reply.codec, value).some((m) =>
                m.startsWith(`${reply.method}.${reply.key}[${index}].fileId: `),
              ),
            ).toBe(true)
          },
        ),
        { numRuns: RUNS },
      )
    },
  )

  it('names a wrong status inside getIncomingFilesRequests', () => {
    const codec = listReplies[0].codec
    fc.assert(
      fc.property(
        successReply('getIncomingFilesRequests', fc.constant({})),
        fc.array(listReplies[0].item as fc.Arbitrary<object>, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        badEnum(4),
        (base, items, n, bad) => {
          const index = n % items.length
          const list = items.map((item, i) => (i === index ? { ...item, status: bad } : item))
          const messages = messagesOf(codec, { ...base, incomingFilesRequests: list })
          expect(
            messages.some((m) =>
              m.startsWith(`getIncomingFilesRequests.incomingFilesRequests[${index}].status: `),
            ),
          ).toBe(true)
        },
      ),
      { numRuns: RUNS },
    )
  })
})

describe('RoomConfig endpoints', () => {
  it('names config.websocket / config.http and the field', () => {
    fc.assert(
      fc.property(
        roomConfig,
        fc.constantFrom('websocket' as const, 'http' as const),
        fc.oneof(
          fc.tuple(fc.constant('port' as const), badPort),
          fc.tuple(fc.constant('hostname' as const), badHostname),
        ),
        (value, endpoint, [field, bad]) => {
          const mutated = {
            ...value,
            config: { ...value.config, [endpoint]: { ...value.config[endpoint], [field]: bad } },
          }
          expect(RoomConfig.is(mutated)).toBe(false)
          expect(
            messagesOf(RoomConfig, mutated).some((m) =>
              m.startsWith(`RoomConfig.config.${endpoint}.${field}: `),
            ),
          ).toBe(true)
        },
      ),
      { numRuns: RUNS },
    )
  })
})

// ---------------------------------------------------------------------------------------------
// Whatever arrives

/** Every field name the package models, so random objects reach deep into the codecs. */
const KNOWN_FIELDS = [
  'method',
  'event',
  'requestId',
  'result',
  'error',
  'resultCode',
  'fileRequestId',
  'status',
  'directionType',
  'fileName',
  'timestamp',
  'fileSize',
  'size',
  'fileId',
  'peerId',
  'peerDn',
  'peerDisplayName',
  'confId',
  'processedPercents',
  'availability',
  'removedFromDisk',
  'token',
  'tokenForHttpServer',
  'previleges',
  'sentFileRequestId',
  'incomingFilesRequests',
  'outgoingFilesRequests',
  'filesRequests',
  'fileList',
  'appState',
  'embeddedHttpPort',
  'type',
  'credentials',
  'version',
  'callId',
  'deleteFilesFromDisk',
  'config',
]

/** Values that are sometimes valid for some field and often not. */
const fieldValue = fc.oneof(
  json({ maxDepth: 2 }),
  fileId,
  timestamp,
  fileRequestStatus,
  peerId,
  text,
  badFileSize,
  fc.array(fc.dictionary(fc.constantFrom(...KNOWN_FIELDS), json({ maxDepth: 1 }), { maxKeys: 6 }), {
    maxLength: 2,
  }),
)

const methodName = fc.oneof(
  fc.constantFrom('event', ...Object.keys(replyCodecs)),
  fc.string({ maxLength: 8 }),
)
const eventName = fc.oneof(fc.constantFrom(...FILE_EVENT_NAMES), unknownEventName)

/** A JSON object built from the package's own field names with random values, and a method and event. */
const fieldSoup = fc
  .tuple(
    fc.dictionary(
      fc.oneof(fc.constantFrom(...KNOWN_FIELDS), fc.string({ maxLength: 6 })),
      fieldValue,
      { maxKeys: 12 },
    ),
    fc.record({ method: methodName, event: eventName, result: fc.boolean() }, { requiredKeys: [] }),
  )
  .map(([fields, envelope]) => ({ ...fields, ...envelope }) as Record<string, unknown>)

const eventSoup = fc
  .tuple(fieldSoup, eventName)
  .map(([fields, event]) => ({ ...fields, method: 'event', event }) as Record<string, unknown>)

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
})

describe('decodeRoomMessage and decodeRoomRequest never throw', () => {
  const decoders = [
    ['decodeRoomMessage', decodeRoomMessage],
    ['decodeRoomRequest', decodeRoomRequest],
  ] as const

  it.each(decoders)('%s: arbitrary strings', (_name, decode) => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json()), (frame) => {
        const result = decode(frame)
        if (result._tag === 'Left') {
          expect(['json', 'schema']).toContain(result.left.reason)
          expect(result.left.messages.length).toBeGreaterThan(0)
          expect(result.left.frameLength).toBe(frame.length)
        }
      }),
      { numRuns: 500 },
    )
  })

  it.each(decoders)('%s: arbitrary JSON values', (_name, decode) => {
    fc.assert(
      fc.property(json(), (value) => {
        const frame = JSON.stringify(value)
        const result = decode(frame)
        if (result._tag === 'Right') expect(result.right).toEqual(JSON.parse(frame))
        else expect(result.left.reason).toBe('schema')
      }),
      { numRuns: 500 },
    )
  })

  it.each(decoders)('%s: objects made of the modelled field names', (_name, decode) => {
    fc.assert(
      fc.property(fieldSoup, (value) => {
        const frame = JSON.stringify(value)
        const result = decode(frame)
        if (result._tag === 'Right') expect(result.right).toEqual(JSON.parse(frame))
        else {
          expect(result.left.reason).toBe('schema')
          expect(result.left.messages.every((m) => typeof m === 'string' && m.length > 0)).toBe(
            true,
          )
        }
      }),
      { numRuns: 500 },
    )
  })

  it('rejects a frame that is not a string instead of throwing', () => {
    fc.assert(
      fc.property(
        anything.filter((v) => typeof v !== 'string'),
        (value) => {
          const result = decodeRoomMessage(value as string)
          expect(result._tag).toBe('Left')
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('formatDecodeErrors never throws', () => {
  const codecs: ReadonlyArray<t.Mixed> = [
    RoomMessage,
    RoomRequest,
    RoomConfig,
    ...allSpecs.map((s) => s.codec),
  ]
  it('on the errors of any codec for any value, including non-JSON values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...codecs),
        fc.oneof(anything, fieldSoup, eventSoup),
        (codec, value) => {
          const result = codec.decode(value)
          if (result._tag === 'Left') {
            const lines = formatDecodeErrors(result.left)
            expect(lines.length).toBeGreaterThan(0)
            for (const line of lines) expect(line).toMatch(/^\S*: /)
          }
        },
      ),
      { numRuns: 1000 },
    )
  })
})

describe('events', () => {
  it('an object with a known event name is that file event or a failure, never an UnknownEvent', () => {
    fc.assert(
      fc.property(
        eventSoup.filter((v) => isFileEventName(v.event as string)),
        (value) => {
          const name = value.event as keyof typeof fileEventCodecs
          const result = decodeRoomMessage(JSON.stringify(value))
          if (result._tag === 'Right') {
            expect(isFileEvent(result.right)).toBe(true)
            expect(isUnknownEvent(result.right)).toBe(false)
            expect(fileEventCodecs[name].is(result.right)).toBe(true)
          } else {
            expect(result.left.event).toBe(name)
            expect(result.left.method).toBe('event')
          }
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('every valid file event decodes as a file event of its name', () => {
    fc.assert(
      fc.property(fc.oneof(...eventSpecs.map((s) => s.valid)), (value) => {
        const result = decodeRoomMessage(JSON.stringify(value))
        expect(
          result._tag === 'Right' && isFileEvent(result.right) && !isUnknownEvent(result.right),
        ).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })

  it('an unknown event name always decodes as UnknownEvent with all its fields kept', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          unknownEvent,
          eventSoup.filter((v) => !isFileEventName(v.event as string)),
        ),
        (value) => {
          const frame = JSON.stringify(value)
          const result = decodeRoomMessage(frame)
          expect(result).toEqual({ _tag: 'Right', right: JSON.parse(frame) })
          if (result._tag === 'Right') {
            expect(isUnknownEvent(result.right)).toBe(true)
            expect(isFileEvent(result.right)).toBe(false)
            expect(isReply(result.right)).toBe(false)
          }
        },
      ),
      { numRuns: 500 },
    )
  })

  it('a wrong event name type is an event failure, not a reply', () => {
    fc.assert(
      fc.property(notString, (event) => {
        const result = decodeRoomMessage(JSON.stringify({ method: 'event', event }))
        expect(result._tag).toBe('Left')
        if (result._tag === 'Left')
          expect(result.left.messages.some((m) => m.startsWith('UnknownEvent.event: '))).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })
})

describe('the fast path (is) agrees with decode', () => {
  const dispatchers = [
    ['RoomMessage', RoomMessage],
    ['RoomRequest', RoomRequest],
  ] as const
  const inputs = fc.oneof(
    json(),
    fieldSoup,
    eventSoup,
    anything,
    ...[...eventSpecs, ...replySpecs, ...requestSpecs].map(validOrMutated),
  )

  it.each(dispatchers)('%s', (_name, codec) => {
    fc.assert(
      fc.property(inputs, (value) => {
        expect(codec.is(value)).toBe(codec.decode(value)._tag === 'Right')
      }),
      { numRuns: 1000 },
    )
  })

  it('every codec, on random objects made of the modelled field names', () => {
    const codecs: ReadonlyArray<t.Mixed> = [
      ...allSpecs.map((s) => s.codec),
      ...Object.values(fileEventCodecs),
      ...Object.values(replyCodecs),
      ...Object.values(requestCodecs),
    ]
    fc.assert(
      fc.property(fc.constantFrom(...codecs), fc.oneof(fieldSoup, eventSoup), (codec, value) => {
        expect(codec.is(value)).toBe(codec.decode(value)._tag === 'Right')
      }),
      { numRuns: 1000 },
    )
  })
})

describe('secrets never reach the messages', () => {
  const secret = fc.uuid().map((u) => `S3CRET-${u}`)

  it('the PIN of an auth request with any other field wrong', () => {
    fc.assert(
      fc.property(
        securedAuthRequest,
        secret,
        fc.constantFrom('type', 'requestId', 'role', 'method'),
        notString,
        (value, pin, field, bad) => {
          const frame = JSON.stringify({ ...value, credentials: pin, [field]: bad })
          const result = decodeRoomRequest(frame)
          expect(result._tag).toBe('Left')
          if (result._tag === 'Left')
            expect(result.left.messages.join('\n')).not.toContain('S3CRET')
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('the tokens of an auth reply with any other field wrong', () => {
    const otherField = fc.oneof(
      fc.tuple(fc.constant('result'), notBoolean),
      fc.tuple(fc.constant('requestId'), notString),
      fc.tuple(fc.constant('previleges'), notNumber),
      fc.tuple(fc.constant('error'), notString),
    )
    fc.assert(
      fc.property(authReplySuccess, secret, otherField, (value, token, [field, bad]) => {
        const frame = JSON.stringify({ ...value, token, tokenForHttpServer: token, [field]: bad })
        const result = decodeRoomMessage(frame)
        expect(result._tag).toBe('Left')
        if (result._tag === 'Left') expect(result.left.messages.join('\n')).not.toContain('S3CRET')
      }),
      { numRuns: RUNS },
    )
  })

  it('a PIN or token inside a value printed whole', () => {
    fc.assert(
      fc.property(secret, fc.constantFrom(...SECRET_KEYS), (value, key) => {
        // `fileList` must be an array: an object there is printed whole, secret and all.
        const frame = JSON.stringify({
          method: 'getFileList',
          result: true,
          fileList: { nested: { [key]: value } },
        })
        const result = decodeRoomMessage(frame)
        expect(result._tag).toBe('Left')
        if (result._tag === 'Left') expect(result.left.messages.join('\n')).not.toContain('S3CRET')
      }),
      { numRuns: 50 },
    )
  })
})

describe('mutated frames', () => {
  type Edit = readonly [position: number, kind: 'delete' | 'insert' | 'replace', char: string]
  const apply = (frame: string, [position, kind, char]: Edit): string => {
    const i = frame.length === 0 ? 0 : position % frame.length
    if (kind === 'delete') return frame.slice(0, i) + frame.slice(i + 1)
    if (kind === 'insert') return frame.slice(0, i) + char + frame.slice(i)
    return frame.slice(0, i) + char + frame.slice(i + 1)
  }
  const char = fc.oneof(
    fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '0', '9', '-', '.', ' ', 'e', 'x', '\\'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  )
  const edit: fc.Arbitrary<Edit> = fc.tuple(
    fc.nat(),
    fc.constantFrom('delete' as const, 'insert' as const, 'replace' as const),
    char,
  )
  const frames = fc
    .tuple(
      fc.oneof(...[...eventSpecs, ...replySpecs, ...requestSpecs].map((s) => s.valid)),
      fc.array(edit, { minLength: 1, maxLength: 4 }),
    )
    .map(([value, edits]) => edits.reduce(apply, JSON.stringify(value)))

  it('fail as json exactly when JSON.parse fails, decode as exactly what JSON.parse reads, and never throw', () => {
    fc.assert(
      fc.property(frames, (frame) => {
        let parsed: unknown
        let parses = true
        try {
          parsed = JSON.parse(frame)
        } catch {
          parses = false
        }
        for (const decode of [decodeRoomMessage, decodeRoomRequest]) {
          const result = decode(frame)
          if (!parses) expect(result._tag === 'Left' && result.left.reason).toBe('json')
          else if (result._tag === 'Right') expect(result.right).toEqual(parsed)
          else expect(result.left.reason).toBe('schema')
        }
        if (parses) {
          expect(RoomMessage.is(parsed)).toBe(RoomMessage.decode(parsed)._tag === 'Right')
          expect(RoomRequest.is(parsed)).toBe(RoomRequest.decode(parsed)._tag === 'Right')
        }
      }),
      { numRuns: 1000 },
    )
  })
})
