import {
  type CommandReply,
  type DecodeFailure,
  type FileCommandReply,
  type FileEvent,
  isFileEvent,
  isReply,
} from '@org/file-events-codec'
import type { SchedulerLike } from 'rxjs'
import { type Decoded, type Frame, decodeFrame, utf8Text } from './decodeFrames'
import { CommandFailedError, ReplyDecodeError } from './errors'
import {
  type FileRequestsState,
  type FileRequestsTrackerOptions,
  initialFileRequestsState,
} from './fileRequestsReducer'
import { Multicast } from './internal/Multicast'
import { TrackerDriver } from './internal/TrackerDriver'
import type { Redactor } from './Redactor'
import type { RequestManager } from './RequestManager'

/**
 * The connection's state, as `state$` emits it.
 *
 * - `connecting`: discovering and opening the socket (attempt 0 is the first connect);
 * - `authenticating`: socket open, `auth` sent;
 * - `ready`: authenticated and resynchronized; `resyncError` is set when reading the lists failed;
 * - `reconnecting`: the socket dropped; the next attempt starts after `delayMs`;
 * - `closed`: for good; `error` is set unless the caller closed it.
 *
 * @category connection
 * @since 0.1.0
 */
export type ConnectionState =
  | { readonly status: 'connecting'; readonly attempt: number; readonly url: string | undefined }
  | { readonly status: 'authenticating'; readonly attempt: number; readonly url: string }
  | {
      readonly status: 'ready'
      readonly url: string
      readonly connects: number
      readonly resyncError?: unknown
    }
  | {
      readonly status: 'reconnecting'
      readonly attempt: number
      readonly delayMs: number
      readonly lastError: unknown
    }
  | {
      readonly status: 'closed'
      readonly reason:
        'closed-by-caller' | 'authentication-failed' | 'retries-exhausted' | 'configuration'
      readonly error?: unknown
    }

/**
 * What a connection gives out, and the walk of each frame into it: decode, answer a request,
 * redact, track, fan out. One multicast per output (no operator chain per frame and subscriber); the
 * tracker folds each burst of frames once.
 *
 * @internal
 */
export class RoomOutputs {
  readonly state = new Multicast<ConnectionState>('latest')
  readonly messages = new Multicast<Decoded>()
  readonly events = new Multicast<FileEvent>()
  readonly failures = new Multicast<DecodeFailure>()
  readonly fileRequests: Multicast<FileRequestsState>
  readonly tracker: TrackerDriver
  private readonly decodeOptions: { readonly maxFrameBytes: number }

  constructor(
    options: {
      readonly scheduler: SchedulerLike
      readonly tracker: FileRequestsTrackerOptions | undefined
      readonly maxFrameBytes: number
    },
    private readonly redactor: Redactor,
    private readonly requests: RequestManager,
  ) {
    // The connection's options carry `maxFrameBytes`: no object of its own per connection.
    this.decodeOptions = options
    this.fileRequests = new Multicast({ value: initialFileRequestsState(options.tracker) })
    const fileRequests = this.fileRequests
    this.tracker = new TrackerDriver(fileRequests.value, options.scheduler, true, true, {
      next: (state) => {
        // A deferred state evicted nothing (see `reduceFileRequestsLater`): it stays unfolded.
        if (state.deferred === undefined && state.evictedNow.length > 0) this.evictedActive?.(state)
        fileRequests.next(state)
      },
      error: (error) => fileRequests.error(error),
    })
  }

  /** Told of a state whose fold evicted unfinished requests past `maxActive`, to log it. */
  evictedActive: ((state: FileRequestsState) => void) | undefined

  /**
   * Learns the tokens of an `auth` or `getTokenForHttpServer` reply, to redact them from text from
   * now on. Only replies to requests this connection sent are taken (see `answer`).
   */
  learnTokens(reply: { readonly token?: unknown; readonly tokenForHttpServer?: unknown }): void {
    if (typeof reply.token === 'string') this.redactor.learn(reply.token)
    if (typeof reply.tokenForHttpServer === 'string') this.redactor.learn(reply.tokenForHttpServer)
  }

  /**
   * The walk of one frame: decode, answer a request, track, fan out. The tracker and `events$` get
   * the message as the room sent it; `messages$` the same with its secret fields masked, and
   * `decodeFailures$` a report redacted for people.
   */
  receive(data: unknown): void {
    const text = asText(data, this.decodeOptions.maxFrameBytes)
    const decoded = decodeFrame(text ?? (data as Frame), this.decodeOptions)
    if (decoded._tag === 'DecodeFailure') {
      const shown = this.redactor.shown(decoded, text) as DecodeFailure
      this.failed(decoded, shown)
      this.messages.next(shown)
      this.failures.next(shown)
      return
    }
    const message = decoded.message
    if (isReply(message)) this.answer(message)
    const event = isFileEvent(message) ? message : undefined
    if (event !== undefined) this.tracker.push({ type: 'event', event, at: this.tracker.now() })
    // The masked copy only for someone to see it.
    if (this.messages.observed) this.messages.next(this.redactor.shown(decoded, text))
    if (event !== undefined) this.events.next(event)
  }

  /**
   * Settles the request a reply answers. A successful reply to this connection's own `auth` or
   * `getTokenForHttpServer` teaches the redactor its tokens; a reply no request of that method
   * waits for teaches nothing, so a room cannot choose what is redacted.
   */
  private answer(message: FileCommandReply | CommandReply): void {
    this.requests.answer(message.method, message.requestId, (method, requestId) => {
      if (message.result === false)
        return {
          error: new CommandFailedError({
            method,
            requestId,
            serverError:
              typeof message.error === 'string'
                ? this.redactor.redact(message.error, 1000)
                : undefined,
            resultCode: typeof message.resultCode === 'number' ? message.resultCode : undefined,
          }),
          reply: undefined,
        }
      if (method === message.method && (method === 'auth' || method === 'getTokenForHttpServer'))
        this.learnTokens(
          message as { readonly token?: unknown; readonly tokenForHttpServer?: unknown },
        )
      return { error: undefined, reply: message }
    })
  }

  /**
   * A reply that did not decode fails the request it names, when it names one: matched on what the
   * room sent, failed with the report as shown.
   */
  private failed(sent: DecodeFailure, shown: DecodeFailure): void {
    if (sent.event !== undefined || (sent.requestId === undefined && sent.method === undefined))
      return
    const named = this.requests.match(sent.method, sent.requestId)
    if (named === undefined || (sent.method !== undefined && sent.method !== named.method)) return
    this.requests.answer(sent.method, sent.requestId, (method, requestId) => ({
      error: new ReplyDecodeError({ method, requestId, failure: shown }),
      reply: undefined,
    }))
  }

  /** Completes every output, or errors them all with the error that ended the connection. */
  end(state: ConnectionState, error: unknown): void {
    this.state.next(state)
    this.tracker.stop()
    for (const subject of [
      this.state,
      this.messages,
      this.events,
      this.failures,
      this.fileRequests,
    ] as const) {
      if (error === undefined) subject.complete()
      else subject.error(error)
    }
  }
}

/**
 * A frame as text, so that the redactor can search it: binary frames within the cap are decoded
 * here (as UTF-8); one over the cap, or anything else, stays as it is for the decoder to report.
 */
const asText = (data: unknown, cap: number): string | undefined => {
  if (typeof data === 'string') return data
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    return data.byteLength > cap ? undefined : utf8Text(data)
  }
  return typeof data === 'object' && data !== null ? undefined : String(data)
}
