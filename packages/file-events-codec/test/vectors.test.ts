import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type * as t from 'io-ts'
import {
  decodeRoomMessage,
  decodeRoomRequest,
  fileEventCodecs,
  isFileEvent,
  replyCodecs,
  requestCodecs,
  RoomConfig,
  RoomMessage,
  RoomRequest,
} from '../src'

/** A copy of ../shared/protocol/vectors, kept byte for byte (checked below when that folder is present). */
const VECTORS = join(__dirname, 'fixtures/vectors')
const SHARED = join(__dirname, '../../../../shared/protocol/vectors')
const files = readdirSync(VECTORS).filter((f) => f.endsWith('.json'))

/** The codec each vector file is decoded with, by its name: `event.X`, `request.X[.variant]`, `response.X`. */
const codecFor = (file: string): t.Decoder<unknown, unknown> => {
  const [kind, name] = file.split('.') as [string, string]
  if (file === 'config.json') return RoomConfig
  const table: Record<string, Record<string, t.Decoder<unknown, unknown>>> = {
    event: fileEventCodecs,
    request: requestCodecs,
    response: replyCodecs,
  }
  const codec = table[kind]?.[name]
  // Replies to commands this package does not model (getOverlayHttpToken) decode as RoomMessage.
  return codec ?? (kind === 'request' ? RoomRequest : RoomMessage)
}

describe('wire vectors from ../shared/protocol/vectors', () => {
  it('finds the vectors', () => {
    expect(files.length).toBeGreaterThanOrEqual(29)
  })

  it.each(files)('%s decodes with its codec and round-trips', (file) => {
    const text = readFileSync(join(VECTORS, file), 'utf8')
    const json: unknown = JSON.parse(text)
    const codec = codecFor(file) as t.Type<unknown, unknown, unknown>
    const result = codec.decode(json)
    expect(result._tag).toBe('Right')
    if (result._tag === 'Right') {
      expect(result.right).toEqual(json)
      expect(codec.encode(result.right)).toEqual(json)
    }
  })

  it.each(files.filter((f) => f !== 'config.json'))('%s decodes from its exact text', (file) => {
    const text = readFileSync(join(VECTORS, file), 'utf8')
    const result = file.startsWith('request.') ? decodeRoomRequest(text) : decodeRoomMessage(text)
    expect(result).toEqual({ _tag: 'Right', right: JSON.parse(text) })
  })

  it.each(files.filter((f) => f.startsWith('event.')))('%s is a file event', (file) => {
    const result = decodeRoomMessage(readFileSync(join(VECTORS, file), 'utf8'))
    expect(result._tag === 'Right' && isFileEvent(result.right)).toBe(true)
  })
})

describe('the fixture copy', () => {
  const shared = existsSync(SHARED) ? readdirSync(SHARED) : []
  ;(shared.length > 0 ? it : it.skip)('equals ../shared/protocol/vectors byte for byte', () => {
    expect(readdirSync(VECTORS).sort()).toEqual([...shared].sort())
    for (const file of shared) {
      expect(readFileSync(join(VECTORS, file), 'utf8')).toBe(
        readFileSync(join(SHARED, file), 'utf8'),
      )
    }
  })
})
