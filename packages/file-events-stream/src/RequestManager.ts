import type { SchedulerLike, Subscription } from 'rxjs'
import { RequestQueueFullError, RequestTimeoutError } from './errors'

/** How a request ends: with an error, or with the reply that answered it. */
export type RequestDone = (error: unknown, reply: unknown) => void

/** Sends one frame on the current socket; throws when the socket cannot take it. */
export type Transport = (frame: string) => void

/** A request, from its creation until it settles. */
interface Request {
  readonly requestId: string
  readonly method: string
  /** The frame, until it is sent (then emptied: the `auth` frame holds the PIN). */
  frame: string
  readonly done: RequestDone
  timer: Subscription | undefined
  unlink: (() => void) | undefined
}

/** Options of one request. */
export interface SendOptions {
  readonly timeoutMs?: number | undefined
  readonly signal?: AbortSignal | undefined
  /**
   * The socket to send it on now: a session's own request (`auth`, the resync, the keep-alive)
   * belongs to that socket and is never queued.
   */
  readonly via?: Transport
}

/**
 * The requests of a connection, kept in two maps: queued ones wait for a socket (in order), in-flight
 * ones wait for their reply. A reply is matched by `requestId`, or, for a room that leaves it empty,
 * to the oldest in-flight request of its `method`. Every request has a timeout (its queued time
 * counts) and may have an `AbortSignal`.
 *
 * @internal
 */
export class RequestManager {
  /** Made when a request first has to wait: most connections never queue one. */
  private queued: Map<string, Request> | undefined
  private readonly inFlight = new Map<string, Request>()
  private transport: Transport | undefined
  private counter = 0

  constructor(
    private readonly options: {
      readonly scheduler: SchedulerLike
      readonly requestTimeoutMs: number
      readonly maxQueuedRequests: number
      /** Called when a send throws: the error to settle the request with. */
      readonly sendFailed: (method: string, error: unknown) => unknown
    },
  ) {}

  /** Requests waiting for a socket. */
  get queuedCount(): number {
    return this.queued?.size ?? 0
  }

  /** Requests sent and waiting for their reply. */
  get inFlightCount(): number {
    return this.inFlight.size
  }

  /**
   * Sends `command` with a new `requestId` now (on `via`, or on the socket given to `open`), or
   * queues it until `open`. `done` is called exactly once.
   */
  send(
    command: { readonly method: string; readonly [key: string]: unknown },
    options: SendOptions,
    done: RequestDone,
  ): void {
    const signal = options.signal
    if (signal?.aborted === true) {
      done(signal.reason, undefined)
      return
    }
    const via = options.via ?? this.transport
    if (via === undefined && this.queuedCount >= this.options.maxQueuedRequests) {
      done(
        new RequestQueueFullError({
          method: command.method,
          maxQueuedRequests: this.options.maxQueuedRequests,
        }),
        undefined,
      )
      return
    }
    const requestId = String(++this.counter)
    const request: Request = {
      requestId,
      method: command.method,
      frame: JSON.stringify({ ...command, requestId }),
      done,
      timer: undefined,
      unlink: undefined,
    }
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs
    request.timer = this.options.scheduler.schedule(() => {
      this.settle(
        request,
        new RequestTimeoutError({ method: request.method, requestId, timeoutMs }),
        undefined,
      )
    }, timeoutMs)
    if (signal !== undefined) {
      const onAbort = (): void => this.settle(request, signal.reason, undefined)
      signal.addEventListener('abort', onAbort, { once: true })
      request.unlink = () => signal.removeEventListener('abort', onAbort)
    }
    if (via === undefined) (this.queued ??= new Map()).set(requestId, request)
    else this.transmit(request, via)
  }

  /** A socket is ready for requests: the queued ones go out, in order, and later ones at once. */
  open(transport: Transport): void {
    this.transport = transport
    for (const request of [...(this.queued?.values() ?? [])]) {
      if (this.transport !== transport) return
      this.queued?.delete(request.requestId)
      this.transmit(request, transport)
    }
  }

  /** The socket is gone: in-flight requests fail with `error`, new ones queue again. */
  close(error: unknown): void {
    this.transport = undefined
    for (const request of [...this.inFlight.values()]) this.settle(request, error, undefined)
  }

  /** The connection is over: every request fails with `error`. */
  end(error: unknown): void {
    this.close(error)
    for (const request of [...(this.queued?.values() ?? [])]) this.settle(request, error, undefined)
  }

  /**
   * Settles the in-flight request that a reply answers (by `requestId`, else the oldest of that
   * `method`); returns whether one was found. `error` undefined means success with `reply`.
   */
  answer(
    method: string | undefined,
    requestId: string | undefined,
    reply: (method: string, requestId: string) => { error: unknown; reply: unknown },
  ): boolean {
    const request = this.match(method, requestId)
    if (request === undefined) return false
    const outcome = reply(request.method, request.requestId)
    this.settle(request, outcome.error, outcome.reply)
    return true
  }

  /** The in-flight request a reply names, if any: by `requestId`, else the oldest of that `method`. */
  match(
    method: string | undefined,
    requestId: string | undefined,
  ): { readonly method: string; readonly requestId: string } | undefined {
    if (requestId !== undefined && requestId !== '') return this.inFlight.get(requestId)
    if (method === undefined) return undefined
    for (const request of this.inFlight.values()) if (request.method === method) return request
    return undefined
  }

  private transmit(request: Request, via: Transport): void {
    this.inFlight.set(request.requestId, request)
    const frame = request.frame
    request.frame = ''
    try {
      via(frame)
    } catch (error) {
      this.settle(request, this.options.sendFailed(request.method, error), undefined)
    }
  }

  private settle(
    request: Request | { readonly requestId: string },
    error: unknown,
    reply: unknown,
  ): void {
    const found = this.inFlight.get(request.requestId) ?? this.queued?.get(request.requestId)
    if (found === undefined || found !== request) return
    this.inFlight.delete(found.requestId)
    this.queued?.delete(found.requestId)
    found.timer?.unsubscribe()
    found.unlink?.()
    found.done(error, reply)
  }
}
