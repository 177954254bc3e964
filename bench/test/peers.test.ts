import { RoomMessage, decodeRoomMessage } from '@org/file-events-codec'
import { mixedFrames, statusChangedFrames, transferFrames } from '../src/corpus'
import { DECODE_PEERS } from '../src/peers'
import { seededRandom } from '../src/random'
import { mutate } from '../src/soak'

const peers = Object.entries(DECODE_PEERS)

/** Whether io-ts' own `RoomMessage.decode` accepts the frame: the verdict every peer must give. */
const codecAccepts = (frame: string): boolean => {
  try {
    return RoomMessage.decode(JSON.parse(frame))._tag === 'Right'
  } catch {
    return false
  }
}

const isEventFrame = (frame: string): boolean => {
  try {
    const value = JSON.parse(frame) as { method?: unknown } | null
    return typeof value === 'object' && value !== null && value.method === 'event'
  } catch {
    return false
  }
}

const base = JSON.parse(statusChangedFrames(1)[0] as string) as Record<string, unknown>
const broken = (change: (event: Record<string, unknown>) => void): string => {
  const event = { ...base }
  change(event)
  return JSON.stringify(event)
}
const BROKEN = {
  'not JSON': '{"method":"event",',
  'an array': '[]',
  'status out of range': broken((e) => (e.status = 4)),
  'no size field at all': broken((e) => delete e.fileSize),
  'an empty fileRequestId': broken((e) => (e.fileRequestId = '')),
  'a timestamp of 1e999 (Infinity)': JSON.stringify(base).replace(
    /"timestamp":\d+/,
    '"timestamp":1e999',
  ),
  'a fractional size': broken((e) => (e.fileSize = 1.5)),
  'a size beyond 2^53': broken((e) => (e.fileSize = 2 ** 53)),
  'a fileId string with a leading zero': broken((e) => (e.fileId = '042')),
  'a fileId string beyond 2^53': broken((e) => (e.fileId = '9007199254740993')),
  'a peerDisplayName of null': broken((e) => (e.peerDisplayName = null)),
  'a file event name with a number for event': broken((e) => (e.event = 5)),
}

describe.each(peers)('the %s peer', (_name, decode) => {
  it('accepts every frame of the three corpora, as the codec does', () => {
    for (const frame of [
      ...statusChangedFrames(500),
      ...mixedFrames(1_000),
      ...transferFrames(500),
    ]) {
      expect(decodeRoomMessage(frame)._tag).toBe('Right')
      if (decode(frame) === undefined) throw new Error(`rejected a corpus frame: ${frame}`)
    }
  })

  it.each(Object.entries(BROKEN))('rejects a frame with %s, as the codec does', (_what, frame) => {
    expect(codecAccepts(frame)).toBe(false)
    expect(decode(frame)).toBeUndefined()
  })

  it('keeps unknown fields, as the codec does', () => {
    const frame = JSON.stringify({ ...base, extraField: [1, 2] })
    expect(decode(frame)).toEqual(JSON.parse(frame))
  })

  it('gives the codec’s verdict on 5,000 mutated event frames', () => {
    const random = seededRandom(3)
    let accepted = 0
    let checked = 0
    for (let i = 0; i < 5_000; i++) {
      const frame = mutate(random)
      if (!isEventFrame(frame)) continue
      checked++
      const expected = codecAccepts(frame)
      if ((decode(frame) !== undefined) !== expected)
        throw new Error(`${expected ? 'rejected' : 'accepted'}: ${frame}`)
      if (expected) accepted++
    }
    // Both verdicts occur in quantity, so the agreement says something.
    expect(accepted).toBeGreaterThan(500)
    expect(checked - accepted).toBeGreaterThan(500)
  })
})
