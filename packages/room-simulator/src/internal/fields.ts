import {
  ConfId,
  FileRequestId,
  FileSize,
  FileTransferAvailability,
  Percent,
  PeerId,
} from '@org/file-events-codec'
import { described, numberIn } from './checks'

// The wire's own rules come from the codec package, so a value accepted here is one the codec
// accepts in the frames built from it.

export const FileSizeField = described('FileSize', FileSize.is, 'FileSize: an integer >= 0')
export const PercentField = described('Percent', Percent.is, 'Percent: a number 0..100')
export const AvailabilityField = described(
  'FileTransferAvailability',
  FileTransferAvailability.is,
  'FileTransferAvailability: 0, 1, 2 or 3',
)
export const PeerIdField = described('PeerId', PeerId.is, 'PeerId: a non-empty string', false)
export const ConfIdField = described('ConfId', ConfId.is, 'ConfId: a string', false)
export const FileRequestIdField = described(
  'FileRequestId',
  FileRequestId.is,
  'FileRequestId: a non-empty string',
  false,
)
export const Text = described(
  'string',
  (u): u is string => typeof u === 'string',
  'a string',
  false,
)
export const TextOrBytes = described(
  'string | Uint8Array',
  (u): u is string | Uint8Array => typeof u === 'string' || u instanceof Uint8Array,
  'a string or a Uint8Array',
  false,
)

export const Milliseconds = numberIn(
  'Milliseconds',
  0,
  Infinity,
  'milliseconds: a finite number >= 0',
)
export const Probability = numberIn('Probability', 0, 1, 'a probability: a number 0..1')
export const PositiveCount = numberIn(
  'PositiveCount',
  1,
  Number.MAX_SAFE_INTEGER,
  'an integer >= 1',
  true,
)
export const Count = numberIn('Count', 0, Number.MAX_SAFE_INTEGER, 'an integer >= 0', true)
export const Speed = described(
  'Speed',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u > 0,
  'bytes per second: a finite number > 0',
)
export const Rate = described(
  'Rate',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u > 0,
  'events per second: a finite number > 0',
)
export const ProgressStep = numberIn('ProgressStep', 1, 100, 'a percent step: a number 1..100')

/** The close codes `ws` can send (RFC 6455 section 7.4, minus the ones reserved for the peer's own use). */
const isCloseCode = (u: unknown): u is number =>
  typeof u === 'number' &&
  Number.isInteger(u) &&
  ((u >= 1000 && u <= 1003) || (u >= 1007 && u <= 1014) || (u >= 3000 && u <= 4999))
export const CloseCode = described(
  'CloseCode',
  isCloseCode,
  'a WebSocket close code: 1000..1003, 1007..1014 or 3000..4999',
)

/** Transfer timing of an offer or a send (speed or duration, failure point, progress granularity). */
export const timingProps = {
  speed: Speed,
  durationMs: Milliseconds,
  failAtPercent: PercentField,
  progressStep: ProgressStep,
}

/** The fields of a file a peer offers, shared by `offerFile` and a scenario's `offer` step. */
export const offerProps = {
  size: FileSizeField,
  peerId: PeerIdField,
  peerDn: Text,
  confId: ConfIdField,
  ...timingProps,
}

/** A host name or address for `config.json`: non-empty, no scheme, path or whitespace. */
export const HostName = described(
  'HostName',
  (u): u is string => typeof u === 'string' && /^[^\s/?#@]+$/.test(u),
  'a host name: a non-empty string without spaces, "/", "?", "#" or "@"',
  false,
)

/** `http(s)://host[:port]` exactly as a browser serializes an origin (no path, no trailing slash). */
export const isHttpOrigin = (u: unknown): u is string => {
  if (typeof u !== 'string' || !/^https?:\/\//.test(u)) return false
  try {
    return new URL(u).origin === u
  } catch {
    return false
  }
}
export const HttpOrigin = described(
  'Origin',
  isHttpOrigin,
  'an origin: http(s)://host[:port], no path',
  false,
)
