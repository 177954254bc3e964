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
 * - `hangDiscovery`: `GET config.json` is never answered (the request stays open until the client
 *   gives up, the fault is cleared, or the simulator closes).
 * - `oversizedConfig`: `config.json` is `bytes` long (default 200 MiB), streamed as made: the real
 *   config with a padding field, without `Content-Length` unless `declareLength`.
 * - `configOtherHost`: `config.json` names `hostname` (default `attacker.invalid`) as the host of
 *   the WebSocket and the HTTP server, instead of `null` (the host the client asked).
 * - `oversizedFrame`: one complete, valid JSON frame of `bytes` (default 1 MiB + 64) to every
 *   authenticated client at injection, and to each client right after its successful `auth` reply
 *   while the fault is active.
 * - `dropAfterAuth`: every client is closed once `afterMessages` (default 0) more frames were sent to
 *   it after its successful `auth` reply: abruptly without `code`, cleanly with it. A client that
 *   reconnects is dropped again (a flapping room).
 * - `redirectDownloads`: `GET /files/{fileId}` with a valid token is answered with `status` (default
 *   302) and `Location: {origin}{path and query}` (default origin `http://attacker.invalid`), the
 *   token included.
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
  | { readonly type: 'hangDiscovery' }
  | { readonly type: 'oversizedConfig'; readonly bytes?: number; readonly declareLength?: boolean }
  | { readonly type: 'configOtherHost'; readonly hostname?: string }
  | { readonly type: 'oversizedFrame'; readonly bytes?: number }
  | { readonly type: 'dropAfterAuth'; readonly afterMessages?: number; readonly code?: number }
  | {
      readonly type: 'redirectDownloads'
      readonly origin?: string
      readonly status?: RedirectStatus
    }

/**
 * The status of a `redirectDownloads` answer.
 *
 * @category faults
 * @since 0.1.0
 */
export type RedirectStatus = 301 | 302 | 303 | 307 | 308

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
  'hangDiscovery',
  'oversizedConfig',
  'configOtherHost',
  'oversizedFrame',
  'dropAfterAuth',
  'redirectDownloads',
] as const

/** Defaults of the fault fields, in one place for the servers and the README. */
export const FAULT_DEFAULTS = {
  oversizedConfigBytes: 200 * 1024 * 1024,
  configOtherHostname: 'attacker.invalid',
  oversizedFrameBytes: 1024 * 1024 + 64,
  redirectOrigin: 'http://attacker.invalid',
  redirectStatus: 302,
} as const

/** The active fault of `type`, if any. */
export const activeFault = <T extends Fault['type']>(
  faults: ReadonlyArray<Fault>,
  type: T,
): Extract<Fault, { type: T }> | undefined => {
  for (const f of faults) if (f.type === type) return f as Extract<Fault, { type: T }>
  return undefined
}
