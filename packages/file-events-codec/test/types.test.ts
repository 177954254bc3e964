/**
 * Type-level checks of the decoded types: checked by `tsc` in the typecheck step. The runtime
 * part only makes the values real.
 */
import type * as t from 'io-ts'
import type { Either } from 'fp-ts/lib/Either'
import { FileEvent as FileEventCodec, UnknownEvent as UnknownEventCodec } from '../src'
import {
  type AuthRequest,
  type FileRequestStatusChanged,
  type FileSizeField,
  type GetFileListReply,
  type SendFileReply,
  decodeRoomMessage,
  fileSizeOf,
  isFileEvent,
  isReply,
  isUnknownEvent,
  replyCodecs,
  type requestCodecs,
  type CommandMethod,
  type CommandReply,
  type DecodeFailure,
  type FailureReply,
  type FileCommandReply,
  type FileEvent,
  type FileEventName,
  type FileEventOf,
  type FileId,
  type FileRequestStatus,
  type ReplyOf,
  type RequestOf,
  type RoomMessage,
  type SuccessReplyOf,
  type UnknownEvent,
} from '../src'

/** True when A and B are the same type (mutually assignable in both directions, exactly). */
type Equals<A, B> =
  (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false
const assertType = <T extends true>(): T => true as T

describe('decoded types', () => {
  it('FileEventOf picks one event by name', () => {
    assertType<Equals<FileEventOf<'fileRequestStatusChanged'>['status'], 0 | 1 | 2 | 3>>()
    assertType<Equals<FileEventOf<'fileRequestStatusChanged'>, FileRequestStatusChanged>>()
    assertType<
      Equals<FileEventOf<'fileTransferAvailabilityChanged'>['availability'], 0 | 1 | 2 | 3>
    >()
    assertType<
      Equals<FileEventOf<'incomingFileRequestDownloadingProgress'>['processedPercents'], number>
    >()
    assertType<
      Equals<FileEventOf<'fileDeletedFromFileTransferHistory'>['removedFromDisk'], boolean>
    >()
    assertType<Equals<FileEventOf<'outgoingFileRequestSent'>['fileId'], FileId>>()
    assertType<Equals<FileId, number | string>>()
    assertType<Equals<FileRequestStatus, 0 | 1 | 2 | 3>>()
    assertType<Equals<FileEvent['event'], FileEventName>>()
    // @ts-expect-error not a file event name
    type _NotAnEvent = FileEventOf<'appStateChanged'>
  })

  it('optional fields are absent-or-present, never undefined', () => {
    assertType<Equals<FileRequestStatusChanged['peerId'], string | undefined>>()
    const event: FileRequestStatusChanged = {
      method: 'event',
      event: 'fileRequestStatusChanged',
      fileRequestId: 'a',
      status: 1,
      directionType: 0,
      fileName: 'f',
      timestamp: 0,
      fileSize: 1,
    }
    // @ts-expect-error exactOptionalPropertyTypes: an optional field cannot be set to undefined
    const bad: FileRequestStatusChanged = { ...event, peerId: undefined }
    // @ts-expect-error status 4 does not exist
    const badStatus: FileRequestStatusChanged = { ...event, status: 4 }
    expect([bad, badStatus]).toHaveLength(2)
    const size: FileSizeField = { size: 3 }
    expect(fileSizeOf(size)).toBe(3)
  })

  it('replies and requests by method', () => {
    assertType<Equals<SuccessReplyOf<'sendFile'>['sentFileRequestId'], string>>()
    assertType<Equals<SuccessReplyOf<'auth'>['token'], string>>()
    assertType<Equals<SuccessReplyOf<'auth'>['previleges'], number | undefined>>()
    assertType<Equals<SuccessReplyOf<'getAppState'>['appState'], 0 | 1 | 2 | 3 | 4 | 5 | 6>>()
    assertType<Equals<SuccessReplyOf<'getFileList'>['fileList'][number]['fileId'], FileId>>()
    assertType<Equals<SuccessReplyOf<'sendFile'>['result'], true>>()
    assertType<
      Equals<Exclude<ReplyOf<'sendFile'>, SuccessReplyOf<'sendFile'>>, FailureReply<'sendFile'>>
    >()
    assertType<Equals<ReplyOf<'getFileList'>, GetFileListReply>>()
    assertType<Equals<ReplyOf<'sendFile'>, t.TypeOf<typeof SendFileReply>>>()
    assertType<Equals<RequestOf<'auth'>, AuthRequest>>()
    assertType<Equals<RequestOf<'sendFile'>['fileId'], FileId>>()
    assertType<Equals<CommandMethod, keyof typeof requestCodecs>>()
    assertType<Equals<CommandMethod, keyof typeof replyCodecs>>()
    assertType<Equals<FileCommandReply['method'], CommandMethod>>()
    // @ts-expect-error not a modelled command
    type _NotACommand = ReplyOf<'getSettings'>
    const failure: ReplyOf<'sendFile'> = {
      method: 'sendFile',
      result: false,
      error: 'no such file',
    }
    // @ts-expect-error a failed reply has no payload type: sentFileRequestId is only on result: true
    const missing: string = failure.sentFileRequestId
    // @ts-expect-error a successful sendFile reply needs sentFileRequestId
    const incomplete: SuccessReplyOf<'sendFile'> = { method: 'sendFile', result: true }
    expect([failure, missing, incomplete]).toHaveLength(3)
  })

  it('a reply narrows on result', () => {
    const reply = replyCodecs.sendFile.decode({
      method: 'sendFile',
      result: true,
      sentFileRequestId: 'id',
    })
    if (reply._tag === 'Left') throw new Error('decodes')
    const value = reply.right
    if (value.result) {
      assertType<Equals<typeof value.sentFileRequestId, string>>()
      expect(value.sentFileRequestId).toBe('id')
    } else {
      assertType<Equals<typeof value.error, string | undefined>>()
    }
  })

  it('a RoomMessage narrows on event after isFileEvent', () => {
    const result = decodeRoomMessage(
      '{"method":"event","event":"incomingFileRequestDownloadingProgress","fileSize":1,"processedPercents":20,"fileRequestId":"r","fileName":"f","peerId":"p","timestamp":1}',
    )
    assertType<Equals<typeof result, Either<DecodeFailure, RoomMessage>>>()
    if (result._tag === 'Left') throw new Error(result.left.messages.join('\n'))
    const message = result.right
    // @ts-expect-error `event` is not on every message: replies have none
    expect(message.event).toBe('incomingFileRequestDownloadingProgress')
    let seen = ''
    if (isFileEvent(message)) {
      assertType<Equals<typeof message, FileEvent>>()
      switch (message.event) {
        case 'incomingFileRequestDownloadingProgress':
          assertType<
            Equals<typeof message, FileEventOf<'incomingFileRequestDownloadingProgress'>>
          >()
          seen = `${message.processedPercents} %`
          break
        case 'fileRequestStatusChanged':
          assertType<Equals<typeof message.status, 0 | 1 | 2 | 3>>()
          break
        default:
          // @ts-expect-error only the progress events have processedPercents
          seen = String(message.processedPercents)
      }
    }
    expect(seen).toBe('20 %')
  })

  it('names the event types: FileEvent is the union of the named interfaces, the same as its codec decodes', () => {
    type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
    assertType<Mutual<FileEvent, t.TypeOf<typeof FileEventCodec>>>()
    assertType<Equals<FileEventOf<'fileRequestStatusChanged'>, FileRequestStatusChanged>>()
    expect(FileEventCodec.name).toBe('FileEvent')
  })

  it('guards narrow to replies and unknown events', () => {
    const message = {} as RoomMessage
    if (isReply(message)) assertType<Equals<typeof message, FileCommandReply | CommandReply>>()
    if (isUnknownEvent(message)) {
      assertType<Equals<typeof message, UnknownEvent>>()
      assertType<Equals<typeof message.event, string>>()
      // The name is still a string to anything that reads it.
      const name: string = message.event
      expect(name).toBeDefined()
    } else if (!isReply(message)) {
      // No file event is assignable to UnknownEvent (its name is branded), so they all stay here.
      assertType<Equals<typeof message, FileEvent>>()
    }
    // The type-only brand keeps every file event from being an UnknownEvent.
    assertType<
      Equals<FileEventOf<'fileRequestStatusChanged'> extends UnknownEvent ? true : false, false>
    >()
    // A switch on the name narrows to that file event (with UnknownEvent, whose name is any string).
    const describe = (e: FileEvent | UnknownEvent): string => {
      switch (e.event) {
        case 'receivedFileRequest':
          return isUnknownEvent(e) ? 'unknown' : e.fileName
        case 'fileRequestStatusChanged':
          return isUnknownEvent(e) ? 'unknown' : String(e.status)
        default:
          return e.event
      }
    }
    expect(describe({ method: 'event', event: 'fileTransferHistoryCleared' })).toBe(
      'fileTransferHistoryCleared',
    )
    // A fixture built through the codec has the type, no cast needed.
    const fixture: unknown = { method: 'event', event: 'appStateChanged', appState: 3 }
    if (UnknownEventCodec.is(fixture)) assertType<Equals<typeof fixture, UnknownEvent>>()
    expect(UnknownEventCodec.is(fixture)).toBe(true)
    const unknownEvent = {
      method: 'event',
      event: 'appStateChanged',
      appState: 3,
    } as unknown as UnknownEvent
    const extra: unknown = unknownEvent.appState
    expect(extra).toBe(3)
  })
})
