import type { FileEventName } from '@org/file-events-codec'

/**
 * The file events' fields as the codec validates them, written once for the peer validators (zod,
 * valibot, ajv), which each build their own schema from it. A peer must check exactly what the
 * codec checks, or the comparison measures less work: `test/peers.test.ts` holds every peer to the
 * codec's verdict on the corpora and on mutated frames.
 */
export type FieldKind =
  /** A non-empty string (`FileRequestId`, `PeerId`). */
  | 'nonEmpty'
  /** Any string (`fileName`, `peerDn`, `confId`). */
  | 'text'
  /** A finite number >= 0 (`Timestamp`). */
  | 'timestamp'
  /** A safe integer >= 0 (`FileSize`). */
  | 'size'
  /** 0..100 (`Percent`). */
  | 'percent'
  /** A safe integer >= 0, or its decimal string (`FileId`). */
  | 'fileId'
  /** 0 | 1 | 2 | 3 (`FileRequestStatus`, `FileTransferAvailability`). */
  | 'status'
  /** 0 | 1 (`DirectionType`). */
  | 'direction'
  | 'boolean'

export interface EventShape {
  readonly required: Readonly<Record<string, FieldKind>>
  readonly optional: Readonly<Record<string, FieldKind>>
  /** `fileSize` or `size` (both `size` kind), at least one present. */
  readonly sized: boolean
}

const peerNames = { peerDisplayName: 'text', peerDn: 'text' } as const
const inbound = (extra: Record<string, FieldKind> = {}): EventShape => ({
  required: {
    fileRequestId: 'nonEmpty',
    fileName: 'text',
    peerId: 'nonEmpty',
    timestamp: 'timestamp',
    ...extra,
  },
  optional: { ...peerNames, confId: 'text' },
  sized: true,
})

export const EVENT_SHAPES: Readonly<Record<FileEventName, EventShape>> = {
  fileRequestStatusChanged: {
    required: {
      fileRequestId: 'nonEmpty',
      status: 'status',
      directionType: 'direction',
      fileName: 'text',
      timestamp: 'timestamp',
    },
    optional: { fileId: 'fileId', peerId: 'nonEmpty', ...peerNames, confId: 'text' },
    sized: true,
  },
  receivedFileRequest: inbound(),
  incomingFileRequestAccepted: inbound(),
  incomingFileRequestRejected: inbound(),
  incomingFileRequestDownloadingProgress: inbound({ processedPercents: 'percent' }),
  outgoingFileRequestSent: {
    required: {
      fileRequestId: 'nonEmpty',
      peerId: 'nonEmpty',
      fileName: 'text',
      timestamp: 'timestamp',
      fileId: 'fileId',
    },
    optional: { ...peerNames, confId: 'text' },
    sized: true,
  },
  outgoingFileRequestSentToConference: {
    required: {
      fileRequestId: 'nonEmpty',
      fileName: 'text',
      timestamp: 'timestamp',
      fileId: 'fileId',
      confId: 'text',
    },
    optional: {},
    sized: true,
  },
  outgoingFileRequestUploadingProgress: {
    required: {
      processedPercents: 'percent',
      fileRequestId: 'nonEmpty',
      fileName: 'text',
      timestamp: 'timestamp',
      fileId: 'fileId',
    },
    optional: { peerId: 'nonEmpty', ...peerNames, confId: 'text' },
    sized: true,
  },
  fileTransferAvailabilityChanged: {
    required: { availability: 'status' },
    optional: {},
    sized: false,
  },
  fileDeletedFromFileTransferHistory: {
    required: {
      directionType: 'direction',
      fileName: 'text',
      timestamp: 'timestamp',
      removedFromDisk: 'boolean',
      fileRequestId: 'nonEmpty',
      fileId: 'fileId',
    },
    optional: { peerId: 'nonEmpty', ...peerNames, confId: 'text' },
    sized: true,
  },
  fileTransferHistoryCleared: { required: {}, optional: {}, sized: false },
}

const DECIMAL = /^(0|[1-9][0-9]{0,15})$/

/** A `FileId` in string form: decimal, no leading zero, exactly convertible to a number. */
export const isDecimalFileId = (s: string): boolean =>
  DECIMAL.test(s) && Number(s) <= Number.MAX_SAFE_INTEGER

/** Both spellings of the size field. */
export const SIZE_KEYS = ['fileSize', 'size'] as const

export const hasSize = (value: Record<string, unknown>): boolean =>
  value.fileSize !== undefined || value.size !== undefined

/**
 * What every peer decoder is: a frame in, the validated value out, or `undefined` when the frame
 * is not JSON or not valid (JSON has no `undefined`, so it cannot be a value). Never throws.
 */
export type PeerDecode = (frame: string) => unknown

/**
 * A validator of a parsed message from one validator per file event, one for other events and one
 * for replies, chosen the way the codec chooses (`method`, then `event`), so that every peer does
 * the same dispatch and differs only in validation. Replies are checked as the generic envelope
 * (`method`, `result`): the corpora hold events only.
 */
export const dispatchingValidator =
  (
    events: ReadonlyMap<string, (value: unknown) => unknown>,
    otherEvent: (value: unknown) => unknown,
    reply: (value: unknown) => unknown,
  ) =>
  (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
    const { method, event } = value as { method?: unknown; event?: unknown }
    if (method !== 'event') return reply(value)
    return ((typeof event === 'string' && events.get(event)) || otherEvent)(value)
  }

/** {@link dispatchingValidator} after `JSON.parse`, as a {@link PeerDecode}. */
export const dispatchingDecoder = (
  ...validators: Parameters<typeof dispatchingValidator>
): PeerDecode => {
  const validate = dispatchingValidator(...validators)
  return (frame) => {
    let value: unknown
    try {
      value = JSON.parse(frame)
    } catch {
      return undefined
    }
    return validate(value)
  }
}
