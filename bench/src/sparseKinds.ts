/**
 * The clients of the sparse fleet benchmark: a raw `ws` client that only `JSON.parse`s (the
 * baseline), the same validating with `decodeRoomMessage`, `connectRoom` with `events$`,
 * `fileRequests$` and `state$` subscribed, and `connectRoom` without a `fileRequests$` subscriber.
 */
export const SPARSE_KINDS = ['raw', 'codec', 'stream', 'streamBare'] as const
export type SparseKind = (typeof SPARSE_KINDS)[number]

export const SPARSE_LABELS: Readonly<Record<SparseKind, string>> = {
  raw: 'raw `ws` + `JSON.parse`',
  codec: '`ws` + `decodeRoomMessage`',
  stream: '`connectRoom` (`events$`, `fileRequests$`, `state$`)',
  streamBare: '`connectRoom` without a `fileRequests$` subscriber',
}
