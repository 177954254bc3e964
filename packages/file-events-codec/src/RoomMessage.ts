import * as t from 'io-ts'
import type { Either } from 'fp-ts/lib/Either.js'
import {
  CommandReply,
  type FileCommandReply,
  type FileCommandRequest,
  replyCodecs,
  requestCodecs,
} from './commands'
import { type FileEvent, fileEventCodecs, isFileEventName, UnknownEvent } from './events'
import { formatDecodeErrors } from './formatDecodeErrors'
import { isRecord } from './internal/codecs'
import { explain } from './internal/explain'
import { guardOf } from './internal/guard'
import { withMeta } from './internal/meta'

type AnyDecoder = t.Mixed

const eventCodecMap = /*#__PURE__*/ new Map<string, AnyDecoder>(
  /*#__PURE__*/ Object.entries(fileEventCodecs),
)
const replyCodecMap = /*#__PURE__*/ new Map<string, AnyDecoder>(
  /*#__PURE__*/ Object.entries(replyCodecs),
)
const requestCodecMap = /*#__PURE__*/ new Map<string, AnyDecoder>(
  /*#__PURE__*/ Object.entries(requestCodecs),
)

/**
 * Anything the room sends: a command reply, a file event, or another event.
 *
 * @category messages
 * @since 0.1.0
 */
export type RoomMessage = FileCommandReply | CommandReply | FileEvent | UnknownEvent

/** The codec that decides a message, chosen by its discriminants: never a fallback after a failure. */
const messageCodecFor = (u: unknown): AnyDecoder | undefined => {
  if (!isRecord(u)) return undefined
  const method = u.method
  if (method === 'event') {
    const event = u.event
    return (typeof event === 'string' && eventCodecMap.get(event)) || UnknownEvent
  }
  return (typeof method === 'string' && replyCodecMap.get(method)) || CommandReply
}

const dispatching = <A>(name: string, codecFor: (u: unknown) => AnyDecoder | undefined) =>
  withMeta(
    new t.Type<A, A, unknown>(
      name,
      (u): u is A => {
        const codec = codecFor(u)
        return codec !== undefined && guardOf(codec)(u)
      },
      (u, c) => {
        const codec = codecFor(u)
        return codec === undefined ? t.failure(u, c) : (codec.validate(u, c) as t.Validation<A>)
      },
      t.identity,
    ),
    { explainAs: codecFor },
  )

/**
 * Codec of every message the room sends. An object with `method: "event"` is an event: a file
 * event's name must match that event's codec or fail (it never falls back to `UnknownEvent`);
 * any other name is an `UnknownEvent`. Any other object is a reply: a modelled command's reply must
 * match its codec, others decode as `CommandReply`.
 *
 * @category messages
 * @since 0.1.0
 */
export const RoomMessage: t.Type<RoomMessage, RoomMessage, unknown> = /*#__PURE__*/ dispatching(
  'RoomMessage',
  messageCodecFor,
)

const requestCodecFor = (u: unknown): AnyDecoder | undefined => {
  if (!isRecord(u)) return undefined
  const method = u.method
  return (typeof method === 'string' && requestCodecMap.get(method)) || UnknownRequest
}

/**
 * A request this package does not model (`getSettings`, `getSystemInfo`, ...): `method` and an
 * optional `requestId`, other fields kept.
 *
 * @category messages
 * @since 0.1.0
 */
export const UnknownRequest = /*#__PURE__*/ t.intersection(
  [/*#__PURE__*/ t.type({ method: t.string }), /*#__PURE__*/ t.partial({ requestId: t.string })],
  'UnknownRequest',
)
/** @category messages @since 0.1.0 */
export type UnknownRequest = t.TypeOf<typeof UnknownRequest> & { readonly [key: string]: unknown }

/**
 * Anything a client sends to the room: a modelled command or another one.
 *
 * @category messages
 * @since 0.1.0
 */
export type RoomRequest = FileCommandRequest | UnknownRequest

/**
 * Codec of every request a client sends: a modelled command must match its codec; other methods
 * decode as `UnknownRequest`. This is what a server (the simulator) reads.
 *
 * @category messages
 * @since 0.1.0
 */
export const RoomRequest: t.Type<RoomRequest, RoomRequest, unknown> = /*#__PURE__*/ dispatching(
  'RoomRequest',
  requestCodecFor,
)

/**
 * Why a frame did not decode. `reason` is `json` (not JSON), `schema` (JSON that matches no
 * codec) or `too-large` (rejected before parsing, by a caller's size cap). `messages` are readable
 * lines from `formatDecodeErrors`, with secrets redacted; the frame itself is not kept, because it
 * may hold a PIN or a token. `method`, `event` and `requestId` are copied when the frame had them
 * as strings, so a failed reply can still be matched to its request.
 *
 * @category messages
 * @since 0.1.0
 */
export interface DecodeFailure {
  readonly _tag: 'DecodeFailure'
  readonly reason: 'json' | 'schema' | 'too-large'
  readonly messages: ReadonlyArray<string>
  readonly frameLength: number
  readonly method?: string
  readonly event?: string
  readonly requestId?: string
}

/**
 * Builds a {@link DecodeFailure}.
 *
 * @category messages
 * @since 0.1.0
 */
export const decodeFailure = (
  reason: DecodeFailure['reason'],
  messages: ReadonlyArray<string>,
  frameLength: number,
  value?: unknown,
): DecodeFailure => {
  const failure: { -readonly [K in keyof DecodeFailure]: DecodeFailure[K] } = {
    _tag: 'DecodeFailure',
    reason,
    messages,
    frameLength,
  }
  if (isRecord(value)) {
    if (typeof value.method === 'string') failure.method = value.method
    if (typeof value.event === 'string') failure.event = value.event
    if (typeof value.requestId === 'string') failure.requestId = value.requestId
  }
  return failure
}

const right = <A>(a: A): Either<never, A> => ({ _tag: 'Right', right: a })
const left = <E>(e: E): Either<E, never> => ({ _tag: 'Left', left: e })

/**
 * The JSON engine's message may quote the input (and so a PIN or token): keep only the position.
 */
const jsonFailure = (error: unknown, frame: string): DecodeFailure => {
  const text = error instanceof Error ? error.message : ''
  const position = /position (\d+)/.exec(text)?.[1]
  const where =
    position !== undefined
      ? ` at position ${position}`
      : /end of (JSON )?input/i.test(text)
        ? ' (unexpected end)'
        : ''
  return decodeFailure(
    'json',
    [`invalid JSON${where} in a frame of ${frame.length} characters`],
    frame.length,
  )
}

const decodeWith = <A>(
  frame: string,
  codecFor: (u: unknown) => AnyDecoder | undefined,
  whole: AnyDecoder,
): Either<DecodeFailure, A> => {
  if (typeof frame !== 'string') {
    return left(decodeFailure('json', [`expected a text frame, received ${typeof frame}`], 0))
  }
  let value: unknown
  try {
    value = JSON.parse(frame)
  } catch (error) {
    return left(jsonFailure(error, frame))
  }
  const codec = codecFor(value) ?? whole
  // Fast path: a compiled guard allocates nothing. A failure is explained within bounds: a frame
  // of 300,000 bad items costs a count of them, not an error each.
  if (guardOf(codec)(value)) return right(value as A)
  const errors = explain(codec, value, [{ key: '', type: codec, actual: value }])
  return left(decodeFailure('schema', formatDecodeErrors(errors), frame.length, value))
}

/**
 * Parses and decodes one frame from the room. Never throws, whatever the input.
 *
 * @example
 * import { decodeRoomMessage, isFileEvent } from '@org/file-events-codec'
 * const result = decodeRoomMessage('{"method":"event","event":"fileTransferAvailabilityChanged","availability":3}')
 * if (result._tag === 'Right' && isFileEvent(result.right)) {
 *   console.log(result.right.event) // 'fileTransferAvailabilityChanged'
 * } else if (result._tag === 'Left') {
 *   console.error(result.left.messages.join('\n'))
 * }
 *
 * @category messages
 * @since 0.1.0
 */
export const decodeRoomMessage = (frame: string): Either<DecodeFailure, RoomMessage> =>
  decodeWith(frame, messageCodecFor, RoomMessage)

/**
 * Parses and decodes one frame sent by a client (what a room, or the simulator, receives).
 * Never throws.
 *
 * @category messages
 * @since 0.1.0
 */
export const decodeRoomRequest = (frame: string): Either<DecodeFailure, RoomRequest> =>
  decodeWith(frame, requestCodecFor, RoomRequest)

/**
 * Whether a message is an event (a file event or an unknown one).
 *
 * @category guards
 * @since 0.1.0
 */
export const isEvent = (message: RoomMessage): message is FileEvent | UnknownEvent =>
  message.method === 'event'

/**
 * Whether a message is one of the file events; narrow further on `event`.
 *
 * @example
 * import { type RoomMessage, isFileEvent } from '@org/file-events-codec'
 * declare const message: RoomMessage
 * if (isFileEvent(message) && message.event === 'fileRequestStatusChanged') {
 *   console.log(message.fileRequestId, message.status)
 * }
 *
 * @category guards
 * @since 0.1.0
 */
export const isFileEvent = (message: RoomMessage): message is FileEvent =>
  message.method === 'event' && typeof message.event === 'string' && isFileEventName(message.event)

/**
 * Whether a message is an event this package does not model.
 *
 * @category guards
 * @since 0.1.0
 */
export const isUnknownEvent = (message: RoomMessage): message is UnknownEvent =>
  message.method === 'event' && !isFileEventName(String(message.event))

/**
 * Whether a message is a reply to a command.
 *
 * @category guards
 * @since 0.1.0
 */
export const isReply = (message: RoomMessage): message is FileCommandReply | CommandReply =>
  message.method !== 'event'
