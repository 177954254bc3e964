import type { FileSize } from './primitives'

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
