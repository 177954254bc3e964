/**
 * The clients of the sparse fleet benchmark: a raw `ws` client that only `JSON.parse`s (the
 * baseline), the same validating with `decodeRoomMessage`, `connectRoom` with `events$`,
 * `fileRequests$` and `state$` subscribed, `connectRoom` without a `fileRequests$` subscriber, and
 * `connectRoom` whose `fileRequests$` subscriber reads every state (so that each is folded as it
 * comes, where an unread state is folded later, with others, when it is read).
 */
export const SPARSE_KINDS = ['raw', 'codec', 'stream', 'streamBare', 'streamRead'] as const
export type SparseKind = (typeof SPARSE_KINDS)[number]

export const SPARSE_LABELS: Readonly<Record<SparseKind, string>> = {
  raw: 'raw `ws` + `JSON.parse`',
  codec: '`ws` + `decodeRoomMessage`',
  stream: '`connectRoom` (`events$`, `fileRequests$`, `state$`)',
  streamBare: '`connectRoom` without a `fileRequests$` subscriber',
  streamRead: '`connectRoom` reading every `fileRequests$` state',
}
