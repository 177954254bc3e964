import type { WebSocket } from 'ws'
import { FAULT_DEFAULTS, type Fault, type MalformedFrameKind, activeFault } from '../Fault'
import type { Prng } from './prng'

/** What a connection needs from the simulator to apply faults. */
export interface FaultContext {
  readonly faults: () => ReadonlyArray<Fault>
  /** Fault decisions draw from their own seeded stream, so they never shift the room's ids. */
  readonly prng: Prng
  /** Real time (ms, `Date.now()` clock) until which replies are held. */
  readonly stallUntil: () => number
  readonly log: (line: string) => void
  /** A client whose unsent data passes this many bytes is disconnected (1008). */
  readonly maxBufferedBytes: number
}

const REORDER_FLUSH_MS = 25
/**
 * Close code for a client that breaks a rule (does not read, does not authenticate in time, guesses
 * PINs): policy violation (RFC 6455 section 7.4.1).
 */
export const POLICY_CLOSE_CODE = 1008
/** A client closed for a policy may not read the close frame either: its socket is destroyed this long after. */
const POLICY_CLOSE_GRACE_MS = 1000

/** A complete, valid JSON frame of `bytes` characters (an unknown event with a padding field). */
export const paddedFrame = (bytes: number): string => {
  const head = '{"method":"event","event":"simulatorPadding","padding":"'
  return `${head}${'x'.repeat(Math.max(0, bytes - head.length - 2))}"}`
}

const malformedFrame = (kind: MalformedFrameKind, oversizedBytes: number): string => {
  switch (kind) {
    case 'json':
      return '{"method":"event","event":"fileRequestStatusChanged","fileRequestId":"'
    case 'schema':
      return JSON.stringify({
        method: 'event',
        event: 'fileRequestStatusChanged',
        fileRequestId: 7,
        status: 'done',
        directionType: 0,
        fileName: null,
        timestamp: -1,
        fileSize: 'big',
      })
    case 'oversized':
      return paddedFrame(oversizedBytes)
  }
}

/**
 * One client socket and the faults applied to what it is sent. Replies go only to their client;
 * events go to every authenticated client through {@link ClientConnection.sendEvent}.
 */
export class ClientConnection {
  authenticated = false
  /** Failed `auth` attempts on this connection. */
  authFailures = 0
  private authTimer: ReturnType<typeof setTimeout> | undefined
  /** Frames sent since the last `closeAfterMessages` injection (or since connecting). */
  private sinceCloseFault = 0
  private held: string | undefined
  private heldTimer: ReturnType<typeof setTimeout> | undefined
  private readonly replyQueue: string[] = []
  private replyQueueBytes = 0
  /** Frames sent since the successful `auth` reply, while `dropAfterAuth` counts them. */
  private sinceAuth: number | undefined
  private stallTimer: ReturnType<typeof setTimeout> | undefined
  private closing = false

  constructor(
    readonly ws: WebSocket,
    readonly id: number,
    private readonly ctx: FaultContext,
    /** The peer's IP address, which the auth throttle counts by. */
    readonly remoteAddress = '',
  ) {}

  /** Closes the client (1008) unless it has authenticated within `ms`. */
  requireAuthWithin(ms: number): void {
    this.authTimer = setTimeout(() => {
      this.authTimer = undefined
      if (this.authenticated || !this.open) return
      this.evict(`not authenticated within ${ms} ms`, 'authentication timeout')
    }, ms)
  }

  /** Closes the client with {@link POLICY_CLOSE_CODE} and a log line saying why. */
  evict(why: string, reason: string): void {
    if (!this.open) return
    this.ctx.log(`client ${this.id}: disconnected with code ${POLICY_CLOSE_CODE}: ${why}`)
    this.close(POLICY_CLOSE_CODE, reason)
    setTimeout(() => this.ws.terminate(), POLICY_CLOSE_GRACE_MS).unref()
  }

  get open(): boolean {
    return !this.closing && this.ws.readyState === this.ws.OPEN
  }

  /** Restarts the `closeAfterMessages` count (called when that fault is injected). */
  resetCloseCount(): void {
    this.sinceCloseFault = 0
  }

  private fault<T extends Fault['type']>(type: T): Extract<Fault, { type: T }> | undefined {
    return activeFault(this.ctx.faults(), type)
  }

  /** Called once the successful `auth` reply was sent: the faults that act right after auth. */
  authSucceeded(): void {
    if (this.authTimer !== undefined) clearTimeout(this.authTimer)
    this.authTimer = undefined
    const oversized = this.fault('oversizedFrame')
    if (oversized !== undefined)
      this.sendOversized(oversized.bytes ?? FAULT_DEFAULTS.oversizedFrameBytes)
    const drop = this.fault('dropAfterAuth')
    if (drop === undefined) return
    this.sinceAuth = 0
    this.checkDropAfterAuth()
  }

  /** Sends one valid JSON frame of `bytes` characters (the `oversizedFrame` fault). */
  sendOversized(bytes: number): void {
    if (this.open) this.write(paddedFrame(bytes))
  }

  private checkDropAfterAuth(): boolean {
    const drop = this.fault('dropAfterAuth')
    if (
      drop === undefined ||
      this.sinceAuth === undefined ||
      this.sinceAuth < (drop.afterMessages ?? 0)
    )
      return false
    this.sinceAuth = undefined
    this.ctx.log(`fault: dropping client ${this.id} after auth`)
    this.close(drop.code)
    return true
  }

  /** Disconnects a client that does not read what it is sent, before its buffer grows further. */
  private dropSlowReader(unsent: number): void {
    this.evict(
      `${unsent} bytes unsent, over the limit of ${this.ctx.maxBufferedBytes}`,
      'client does not read',
    )
  }

  private chance(probability: number | undefined): boolean {
    const p = probability ?? 1
    return p >= 1 || this.ctx.prng.next() < p
  }

  sendReply(frame: string): void {
    if (!this.open) return
    if (this.replyQueue.length > 0 || Date.now() < this.ctx.stallUntil()) {
      this.replyQueue.push(frame)
      this.replyQueueBytes += frame.length
      if (this.replyQueueBytes > this.ctx.maxBufferedBytes) {
        this.dropSlowReader(this.replyQueueBytes)
        return
      }
      this.armStall()
      return
    }
    this.write(frame)
  }

  private armStall(): void {
    if (this.stallTimer !== undefined) return
    const wait = Math.max(0, this.ctx.stallUntil() - Date.now())
    this.stallTimer = setTimeout(() => {
      this.stallTimer = undefined
      if (Date.now() < this.ctx.stallUntil()) {
        this.armStall()
        return
      }
      while (this.replyQueue.length > 0 && this.open) this.write(this.replyQueue.shift() as string)
      this.replyQueue.length = 0
      this.replyQueueBytes = 0
    }, wait)
  }

  sendEvent(frame: string): void {
    if (!this.open) return
    const malformed = this.fault('malformedFrames')
    if (malformed !== undefined && this.chance(malformed.probability)) {
      const kinds =
        malformed.kinds !== undefined && malformed.kinds.length > 0
          ? malformed.kinds
          : (['json', 'schema', 'oversized'] as const)
      const kind = kinds[Math.floor(this.ctx.prng.next() * kinds.length)] ?? 'json'
      this.write(malformedFrame(kind, malformed.oversizedBytes ?? 1024 * 1024 + 64))
    }
    if (this.held !== undefined) {
      const held = this.held
      this.held = undefined
      if (this.heldTimer !== undefined) clearTimeout(this.heldTimer)
      this.heldTimer = undefined
      this.deliverEvent(frame)
      this.deliverEvent(held)
      return
    }
    const reorder = this.fault('reorderEvents')
    if (reorder !== undefined && this.chance(reorder.probability)) {
      this.held = frame
      // Nothing may be lost: a held event goes out on its own if no other event follows soon.
      this.heldTimer = setTimeout(() => this.flushHeld(), REORDER_FLUSH_MS)
      return
    }
    this.deliverEvent(frame)
  }

  /** Sends a held-back event now (also before a clean close). */
  flushHeld(): void {
    if (this.heldTimer !== undefined) clearTimeout(this.heldTimer)
    this.heldTimer = undefined
    const held = this.held
    this.held = undefined
    if (held !== undefined) this.deliverEvent(held)
  }

  private deliverEvent(frame: string): void {
    this.write(frame)
    const duplicate = this.fault('duplicateEvents')
    if (duplicate !== undefined && this.chance(duplicate.probability)) this.write(frame)
  }

  private write(frame: string): void {
    if (!this.open) return
    this.ws.send(frame)
    if (this.ws.bufferedAmount > this.ctx.maxBufferedBytes) {
      this.dropSlowReader(this.ws.bufferedAmount)
      return
    }
    this.sinceCloseFault++
    if (this.sinceAuth !== undefined) {
      this.sinceAuth++
      if (this.checkDropAfterAuth()) return
    }
    const afterN = this.fault('closeAfterMessages')
    if (afterN !== undefined && this.sinceCloseFault >= afterN.count) {
      this.ctx.log(`fault: closing client ${this.id} after ${this.sinceCloseFault} messages`)
      this.close(afterN.code)
      return
    }
    const random = this.fault('randomClose')
    if (random !== undefined && this.ctx.prng.next() < random.probability) {
      this.ctx.log(`fault: randomly closing client ${this.id}`)
      this.close()
    }
  }

  /** Without a code the socket is terminated abruptly (the peer sees 1006); with one it closes cleanly. */
  close(code?: number, reason?: string): void {
    if (this.closing) return
    this.closing = true
    this.dispose()
    if (code === undefined) this.ws.terminate()
    else this.ws.close(code, reason)
  }

  dispose(): void {
    if (this.authTimer !== undefined) clearTimeout(this.authTimer)
    this.authTimer = undefined
    if (this.heldTimer !== undefined) clearTimeout(this.heldTimer)
    if (this.stallTimer !== undefined) clearTimeout(this.stallTimer)
    this.heldTimer = undefined
    this.stallTimer = undefined
    this.held = undefined
    this.replyQueue.length = 0
    this.replyQueueBytes = 0
  }
}
