import { decodeRoomMessage } from '@org/file-events-codec'
import { type Comparison, compareThroughput } from './harness'
import { mixedFrames, statusChangedFrames } from './corpus'

export interface DecodeBenchOptions {
  readonly corpusSize?: number
  readonly rounds?: number
}

const parseAll = (frames: ReadonlyArray<string>) => () => {
  let n = 0
  for (const frame of frames) if (JSON.parse(frame) !== null) n++
  return n
}

const decodeAll = (frames: ReadonlyArray<string>) => () => {
  let n = 0
  for (const frame of frames) {
    const result = decodeRoomMessage(frame)
    if (result._tag !== 'Right')
      throw new Error(`corpus frame failed to decode: ${result.left.messages.join('; ')}`)
    n++
  }
  return n
}

/** Decode from a string against `JSON.parse` alone on the same corpus. */
export const decodeBenchmarks = (options: DecodeBenchOptions = {}): Comparison[] => {
  const size = options.corpusSize ?? 2000
  const rounds = options.rounds ?? 30
  const status = statusChangedFrames(size)
  const mixed = mixedFrames(size)
  return [
    compareThroughput({
      name: 'decode fileRequestStatusChanged vs JSON.parse',
      target: 0.8,
      items: size,
      baseline: parseAll(status),
      candidate: decodeAll(status),
      rounds,
    }),
    compareThroughput({
      name: 'decode mixed file + unknown events vs JSON.parse',
      target: 0.75,
      items: size,
      baseline: parseAll(mixed),
      candidate: decodeAll(mixed),
      rounds,
    }),
  ]
}
