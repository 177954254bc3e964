import { DirectionTypeValue, FileRequestStatusValue } from './enums'
import type { FileRequestStatusChanged } from './events'
import type { FileId, FileSize } from './primitives'

/**
 * The size in bytes of anything with `fileSize` or `size` (events use the first, request lists
 * the second).
 *
 * @example
 * import { fileSizeOf } from '@org/file-events-codec'
 * fileSizeOf({ size: 3200 }) // 3200
 *
 * @category views
 * @since 0.1.0
 */
export const fileSizeOf = (value: {
  readonly fileSize?: FileSize
  readonly size?: FileSize
}): FileSize | undefined => value.fileSize ?? value.size

/**
 * A peer's display name, whether the wire spelled it `peerDisplayName` or `peerDn`.
 *
 * @category views
 * @since 0.1.0
 */
export const peerDisplayNameOf = (value: {
  readonly peerDisplayName?: string
  readonly peerDn?: string
}): string | undefined => value.peerDisplayName ?? value.peerDn

/**
 * The conference id, or `undefined` when absent or empty (the wire uses both for "none").
 *
 * @category views
 * @since 0.1.0
 */
export const confIdOf = (value: { readonly confId?: string }): string | undefined =>
  value.confId === undefined || value.confId === '' ? undefined : value.confId

/**
 * A `fileRequestStatusChanged` saying that an inbound file has arrived: complete, with the
 * `fileId` to download it by.
 *
 * @category views
 * @since 0.1.0
 */
export type InboundFileReceived = FileRequestStatusChanged & {
  readonly status: typeof FileRequestStatusValue.complete
  readonly directionType: typeof DirectionTypeValue.inbound
  readonly fileId: FileId
}

/**
 * Whether a message says that an inbound file has arrived (status complete, direction inbound,
 * `fileId` present): the common filter, as a guard that narrows, so that rxjs `filter` gives
 * events whose `fileId` needs no check.
 *
 * @example
 * import { type RoomMessage, isInboundFileReceived } from '@org/file-events-codec'
 * declare const message: RoomMessage
 * if (isInboundFileReceived(message)) console.log(`download ${message.fileId}: ${message.fileName}`)
 *
 * @category views
 * @since 0.1.0
 */
export const isInboundFileReceived = (message: {
  readonly method: string
  readonly event?: unknown
}): message is InboundFileReceived => {
  const m = message as Partial<FileRequestStatusChanged>
  return (
    m.method === 'event' &&
    m.event === 'fileRequestStatusChanged' &&
    m.status === FileRequestStatusValue.complete &&
    m.directionType === DirectionTypeValue.inbound &&
    m.fileId !== undefined
  )
}
