/**
 * A fault the simulator injects into what it sends to clients. Faults change only the wire: the
 * room's true state (and so {@link GroundTruthEntry}) is never affected by them.
 *
 * - `closeAfterMessages`: every client socket is closed after `count` more frames were sent to it
 *   (counted per client from the injection or from its connection); `code` makes it a clean close
 *   with that code, otherwise the socket is terminated abruptly (the client sees 1006).
 * - `randomClose`: after each frame sent, the socket is terminated with `probability` (seeded).
 * - `malformedFrames`: before an event, with `probability` (default 1), one bad frame of one of
 *   `kinds` is sent: `json` (truncated JSON), `schema` (a known event with wrong-typed fields),
 *   `oversized` (valid JSON of `oversizedBytes`, default 1 MiB + 64 characters).
 * - `duplicateEvents`: an event is sent twice with `probability` (default 1).
 * - `reorderEvents`: an event is held back and sent after the next one with `probability` (default 1).
 * - `stallReplies`: replies are held for `durationMs` real milliseconds from the injection, then sent
 *   in order; events keep flowing meanwhile.
 *
 * @category faults
 * @since 0.1.0
 */
export type Fault =
  | { readonly type: 'closeAfterMessages'; readonly count: number; readonly code?: number }
  | { readonly type: 'randomClose'; readonly probability: number }
  | {
      readonly type: 'malformedFrames'
      readonly probability?: number
      readonly kinds?: ReadonlyArray<MalformedFrameKind>
      readonly oversizedBytes?: number
    }
  | { readonly type: 'duplicateEvents'; readonly probability?: number }
  | { readonly type: 'reorderEvents'; readonly probability?: number }
  | { readonly type: 'stallReplies'; readonly durationMs: number }

/**
 * A kind of bad frame the `malformedFrames` fault sends: truncated JSON, a known event with
 * wrong-typed fields, or valid JSON larger than a client accepts.
 *
 * @category faults
 * @since 0.1.0
 */
export type MalformedFrameKind = 'json' | 'schema' | 'oversized'

/**
 * Every fault type, for validation and documentation.
 *
 * @category faults
 * @since 0.1.0
 */
export const FAULT_TYPES = [
  'closeAfterMessages',
  'randomClose',
  'malformedFrames',
  'duplicateEvents',
  'reorderEvents',
  'stallReplies',
] as const
