import { decodeRoomMessage } from '@org/file-events-codec'
import { type Comparison, type Measured, measureMany } from './harness'
import { mixedFrames, statusChangedFrames } from './corpus'
import { DECODE_PEERS, type DecodePeerName } from './peers'

export interface DecodeBenchOptions {
  readonly corpusSize?: number
  readonly rounds?: number
}

/** One row: the codec and every peer on one corpus, each as a share of the same `JSON.parse` rounds. */
export interface DecodeRow {
  readonly key: 'decodeFileRequestStatusChanged' | 'decodeMixed'
  readonly project: Comparison
  readonly peers: Readonly<Record<DecodePeerName, Measured>>
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

const peerAll =
  (name: string, decode: (frame: string) => unknown, frames: ReadonlyArray<string>) => () => {
    let n = 0
    for (const frame of frames) {
      if (decode(frame) === undefined)
        throw new Error(`the ${name} peer rejected a corpus frame: ${frame}`)
      n++
    }
    return n
  }

const row = (
  key: DecodeRow['key'],
  name: string,
  target: number,
  frames: ReadonlyArray<string>,
  rounds: number,
): DecodeRow => {
  const peerEntries = Object.entries(DECODE_PEERS) as Array<
    [DecodePeerName, (frame: string) => unknown]
  >
  const measured = measureMany({
    items: frames.length,
    baseline: parseAll(frames),
    candidates: {
      project: decodeAll(frames),
      ...(Object.fromEntries(
        peerEntries.map(([peer, decode]) => [peer, peerAll(peer, decode, frames)]),
      ) as Record<DecodePeerName, () => number>),
    },
    rounds,
  })
  const { project, ...peers } = measured
  return { key, project: { name, target, pass: project.ratio >= target, ...project }, peers }
}

/** Decode from a string against `JSON.parse` alone on the same corpus: the codec and its peers. */
export const decodeBenchmarks = (options: DecodeBenchOptions = {}): DecodeRow[] => {
  const size = options.corpusSize ?? 2000
  const rounds = options.rounds ?? 30
  return [
    row(
      'decodeFileRequestStatusChanged',
      'decode fileRequestStatusChanged vs JSON.parse',
      0.8,
      statusChangedFrames(size),
      rounds,
    ),
    row(
      'decodeMixed',
      'decode mixed file + unknown events vs JSON.parse',
      0.75,
      mixedFrames(size),
      rounds,
    ),
  ]
}
