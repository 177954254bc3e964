import {
  type DecodeFailure,
  type FileEvent,
  type FileEventName,
  type FileEventOf,
  type RoomMessage,
  decodeFailure,
  decodeRoomMessage,
  isFileEvent,
} from '@org/file-events-codec'
import { type Observable, type OperatorFunction, filter, map } from 'rxjs'

/**
 * A frame that decoded: the message the room sent.
 *
 * @category operators
 * @since 0.1.0
 */
export interface DecodedMessage {
  readonly _tag: 'Message'
  readonly message: RoomMessage
}

/**
 * What {@link decodeFrames} emits for every frame: the message, or why it did not decode.
 *
 * @category operators
 * @since 0.1.0
 */
export type Decoded = DecodedMessage | DecodeFailure

/**
 * A WebSocket frame as the transports deliver it: text, a Node `Buffer` (a `Uint8Array`), an
 * `ArrayBuffer`, or another view on bytes. Binary frames are read as UTF-8.
 *
 * @category operators
 * @since 0.1.0
 */
export type Frame = string | ArrayBuffer | ArrayBufferView

/**
 * Options of {@link decodeFrames} and {@link decodeFrame}.
 *
 * @category operators
 * @since 0.1.0
 */
export interface DecodeFramesOptions {
  /**
   * Frames larger than this many bytes (UTF-8) are reported as `too-large` without being parsed.
   *
   * @default 1048576 (1 MiB)
   */
  readonly maxFrameBytes?: number
}

/**
 * Defaults of {@link DecodeFramesOptions}.
 *
 * @category operators
 * @since 0.1.0
 */
export const DECODE_DEFAULTS = Object.freeze({ maxFrameBytes: 1024 * 1024 } as const)

let utf8Decoder: InstanceType<typeof TextDecoder> | undefined

/**
 * Bytes read as UTF-8 text (a malformed sequence becomes U+FFFD).
 *
 * @internal
 */
export const utf8Text = (bytes: ArrayBuffer | ArrayBufferView): string => {
  utf8Decoder ??= new TextDecoder('utf-8')
  return utf8Decoder.decode(
    ArrayBuffer.isView(bytes)
      ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      : new Uint8Array(bytes),
  )
}

/** UTF-8 length of a string, counted without allocating. */
const utf8Length = (s: string): number => {
  let bytes = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

const tooLarge = (bytes: number, cap: number): DecodeFailure =>
  decodeFailure('too-large', [`frame of ${bytes} bytes exceeds the cap of ${cap} bytes`], bytes)

const isArrayBuffer = (u: unknown): u is ArrayBuffer =>
  u instanceof ArrayBuffer || Object.prototype.toString.call(u) === '[object ArrayBuffer]'

const kindOf = (u: unknown): string => (u === null ? 'null' : Array.isArray(u) ? 'array' : typeof u)

/**
 * Decodes one frame, checking its size before parsing. Never throws: anything that is not a text
 * or binary frame (`null`, `undefined`, a number, a plain object, ...) is a `DecodeFailure` too.
 *
 * @category operators
 * @since 0.1.0
 */
export const decodeFrame = (frame: Frame, options?: DecodeFramesOptions): Decoded => {
  const cap = options?.maxFrameBytes ?? DECODE_DEFAULTS.maxFrameBytes
  let text: string
  // Frames come from untyped transports and JavaScript callers: check the type at run time.
  const value: unknown = frame
  if (typeof value === 'string') {
    // A UTF-16 unit is 1 to 3 UTF-8 bytes: only count exactly when the bounds disagree.
    if (value.length > cap) return tooLarge(value.length, cap)
    if (value.length * 3 > cap) {
      const bytes = utf8Length(value)
      if (bytes > cap) return tooLarge(bytes, cap)
    }
    text = value
  } else if (ArrayBuffer.isView(value) || isArrayBuffer(value)) {
    const bytes = value.byteLength
    if (bytes > cap) return tooLarge(bytes, cap)
    text = utf8Text(value)
  } else {
    return decodeFailure('json', [`expected a text or binary frame, received ${kindOf(value)}`], 0)
  }
  const result = decodeRoomMessage(text)
  return result._tag === 'Right' ? { _tag: 'Message', message: result.right } : result.left
}

/**
 * Decodes every frame into a {@link Decoded}: a bad or oversized frame becomes a `DecodeFailure`
 * value and the stream goes on.
 *
 * @example
 * import { of } from 'rxjs'
 * import { decodeFrames } from '@org/file-events-stream'
 * of('{"method":"event","event":"fileTransferAvailabilityChanged","availability":3}', 'not json')
 *   .pipe(decodeFrames())
 *   .subscribe({ next: (d) => console.log(d._tag), error: (e: unknown) => console.error(e) }) // 'Message', then 'DecodeFailure'
 *
 * @category operators
 * @since 0.1.0
 */
export const decodeFrames =
  (options?: DecodeFramesOptions): OperatorFunction<Frame, Decoded> =>
  (source: Observable<Frame>) =>
    source.pipe(map((frame) => decodeFrame(frame, options)))

/**
 * Whether a {@link Decoded} is a failure.
 *
 * @category operators
 * @since 0.1.0
 */
export const isDecodeFailure = (d: Decoded): d is DecodeFailure => d._tag === 'DecodeFailure'

const messageOf = (value: Decoded | RoomMessage): RoomMessage | undefined => {
  const tag = (value as { _tag?: unknown })._tag
  if (tag === 'Message') return (value as DecodedMessage).message
  if (tag === 'DecodeFailure') return undefined
  return value as RoomMessage
}

/**
 * Keeps the file events, from decoded frames or from messages.
 *
 * @category operators
 * @since 0.1.0
 */
export const fileEvents = (): OperatorFunction<Decoded | RoomMessage, FileEvent> => (source) =>
  source.pipe(
    map(messageOf),
    filter((m): m is FileEvent => m !== undefined && isFileEvent(m)),
  )

/**
 * Keeps the file events with one of the given names, narrowing the type.
 *
 * @example
 * import { type Observable } from 'rxjs'
 * import { type Decoded, ofEvent } from '@org/file-events-stream'
 * declare const decoded$: Observable<Decoded>
 * decoded$.pipe(ofEvent('fileRequestStatusChanged')).subscribe({
 *   next: (e) => console.log(e.fileRequestId, e.status),
 *   error: (e: unknown) => console.error(e), // what the source errors with
 * })
 *
 * @category operators
 * @since 0.1.0
 */
export const ofEvent =
  <N extends FileEventName>(
    ...names: [N, ...N[]]
  ): OperatorFunction<Decoded | RoomMessage, FileEventOf<N>> =>
  (source) => {
    const wanted = new Set<string>(names)
    return source.pipe(
      map(messageOf),
      filter((m): m is FileEventOf<N> => m !== undefined && isFileEvent(m) && wanted.has(m.event)),
    )
  }
