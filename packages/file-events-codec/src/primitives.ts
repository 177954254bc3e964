import type * as t from 'io-ts'
import { primitive } from './internal/codecs'

const isNonEmptyString = (u: unknown): u is string => typeof u === 'string' && u.length > 0
const DECIMAL = /^(0|[1-9][0-9]{0,15})$/

/**
 * Identifier of a file request: a non-empty string, a UUID on every real room
 * (`"6c0e20a7-3c79-470d-869b-7c8287587620"`). Not checked as a UUID, because nothing documents it as one.
 *
 * @category primitives
 * @since 0.1.0
 */
export const FileRequestId: t.Type<string, string, unknown> = /*#__PURE__*/ primitive(
  'FileRequestId',
  isNonEmptyString,
)
/** @category primitives @since 0.1.0 */
export type FileRequestId = string

/**
 * Identifier of a file on the room's built-in HTTP server: a non-negative safe integer, or its
 * decimal string form (the `getFileList` reply and the `FileId` upload header carry strings), no
 * larger than `Number.MAX_SAFE_INTEGER` so that it converts exactly.
 * Use {@link fileIdToNumber} for a number.
 *
 * @category primitives
 * @since 0.1.0
 */
export const FileId: t.Type<number | string, number | string, unknown> = /*#__PURE__*/ primitive(
  'FileId',
  (u): u is number | string =>
    typeof u === 'number'
      ? Number.isSafeInteger(u) && u >= 0
      : typeof u === 'string' && DECIMAL.test(u) && Number(u) <= Number.MAX_SAFE_INTEGER,
)
/** @category primitives @since 0.1.0 */
export type FileId = number | string

/**
 * The numeric value of a {@link FileId}, whichever form the wire used.
 *
 * @example
 * import { fileIdToNumber } from '@org/file-events-codec'
 * fileIdToNumber('42') // 42
 *
 * @category primitives
 * @since 0.1.0
 */
export const fileIdToNumber = (fileId: FileId): number =>
  typeof fileId === 'number' ? fileId : Number(fileId)

/**
 * A user's TrueConf ID, such as `"820_1@some.server"`: a non-empty string.
 *
 * @category primitives
 * @since 0.1.0
 */
export const PeerId: t.Type<string, string, unknown> = /*#__PURE__*/ primitive(
  'PeerId',
  isNonEmptyString,
)
/** @category primitives @since 0.1.0 */
export type PeerId = string

/**
 * Identifier of a group conference, such as `"0000016f35f42ef6@some.server#vcs"`. Any string:
 * the documentation says the field is empty outside a conference, so `""` is valid.
 *
 * @category primitives
 * @since 0.1.0
 */
export const ConfId: t.Type<string, string, unknown> = /*#__PURE__*/ primitive(
  'ConfId',
  (u): u is string => typeof u === 'string',
)
/** @category primitives @since 0.1.0 */
export type ConfId = string

/**
 * When a file request was created: a finite, non-negative number. The unit varies on the wire
 * (milliseconds in inbound examples, seconds in outbound ones), so it is kept as sent; read it with
 * {@link timestampToDate}.
 *
 * @category primitives
 * @since 0.1.0
 */
export const Timestamp: t.Type<number, number, unknown> = /*#__PURE__*/ primitive(
  'Timestamp',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= 0,
)
/** @category primitives @since 0.1.0 */
export type Timestamp = number

/**
 * Values below this are read as seconds by {@link timestampToDate}: 1e11 seconds is the year 5138,
 * 1e11 milliseconds is March 1973, so no real timestamp is ambiguous.
 *
 * @category primitives
 * @since 0.1.0
 */
export const SECONDS_THRESHOLD = 1e11

/**
 * A {@link Timestamp} as a `Date`: values below 1e11 are seconds, others milliseconds.
 *
 * @example
 * import { timestampToDate } from '@org/file-events-codec'
 * timestampToDate(1659286530).toISOString() // '2022-07-31T16:55:30.000Z'
 * timestampToDate(1659284222850).toISOString() // '2022-07-31T16:17:02.850Z'
 *
 * @category primitives
 * @since 0.1.0
 */
export const timestampToDate = (timestamp: Timestamp): Date =>
  new Date(timestamp < SECONDS_THRESHOLD ? timestamp * 1000 : timestamp)

/**
 * A size in bytes: a non-negative safe integer.
 *
 * @category primitives
 * @since 0.1.0
 */
export const FileSize: t.Type<number, number, unknown> = /*#__PURE__*/ primitive(
  'FileSize',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
)
/** @category primitives @since 0.1.0 */
export type FileSize = number

/**
 * A percentage, 0 to 100 inclusive (`processedPercents`). Fractions are accepted.
 *
 * @category primitives
 * @since 0.1.0
 */
export const Percent: t.Type<number, number, unknown> = /*#__PURE__*/ primitive(
  'Percent',
  (u): u is number => typeof u === 'number' && u >= 0 && u <= 100,
)
/** @category primitives @since 0.1.0 */
export type Percent = number
