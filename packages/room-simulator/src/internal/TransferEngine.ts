import { join } from 'node:path'
import type { FileEvent } from '@org/file-events-codec'
import type { TransferTiming } from '../Scenario'
import type { FileStore } from './FileStore'
import { prngChunks } from './prng'
import type { FileRequestRecord, RoomState } from './RoomState'
import type { Scheduler } from './Scheduler'

const DEFAULT_SPEED = 1024 * 1024
const DEFAULT_PROGRESS_STEP = 20
/** Virtual ms between `sendFile` and the remote peer accepting (status 2). */
const PEER_ACCEPT_DELAY_MS = 100

/** Where a received file's bytes come from: given, or generated from a seed while written. */
export type InboundData = Uint8Array | string | { readonly seed: number; readonly size: number }

/** One transfer's settings, kept beside its `RoomState` record until the transfer ends. */
interface Transfer {
  timing: Omit<TransferTiming, 'failAtPercent'>
  failAtPercent?: number
  data?: InboundData
}

export interface TransferEngineDeps {
  readonly state: RoomState
  readonly scheduler: Scheduler
  readonly files: FileStore
  readonly emit: (events: ReadonlyArray<FileEvent>) => void
  readonly log: (line: string) => void
  readonly closed: () => boolean
  readonly autoAcceptOutgoing: boolean
}

const timingOf = (t: TransferTiming): Transfer => ({
  timing: {
    ...(t.speed !== undefined ? { speed: t.speed } : {}),
    ...(t.durationMs !== undefined ? { durationMs: t.durationMs } : {}),
    ...(t.progressStep !== undefined ? { progressStep: t.progressStep } : {}),
  },
  ...(t.failAtPercent !== undefined ? { failAtPercent: t.failAtPercent } : {}),
})

/**
 * Runs transfers over virtual time: progress every `progressStep` percent, then status 3 (or 0 at the
 * failure point). One record per running transfer beside the room's state; finished ones are
 * dropped, so long runs keep only the ground truth.
 */
export class TransferEngine {
  private readonly transfers = new Map<string, Transfer>()

  constructor(private readonly deps: TransferEngineDeps) {}

  /** Remembers a new request's timing, failure point and (inbound) data. */
  track(fileRequestId: string, timing: TransferTiming, data?: InboundData): void {
    this.transfers.set(fileRequestId, {
      ...timingOf(timing),
      ...(data !== undefined ? { data } : {}),
    })
  }

  forget(fileRequestId: string): void {
    this.transfers.delete(fileRequestId)
  }

  /** An inbound request was accepted: its events, then the transfer. */
  accepted(fileRequestId: string, events: ReadonlyArray<FileEvent>): void {
    this.deps.emit(events)
    const record = this.deps.state.request(fileRequestId)
    if (record !== undefined) this.run(record)
  }

  rejected(fileRequestId: string, events: ReadonlyArray<FileEvent>): void {
    this.forget(fileRequestId)
    this.deps.emit(events)
  }

  /** An outbound request was made: its events; the peer accepts after a moment unless told not to. */
  outbound(record: FileRequestRecord, events: ReadonlyArray<FileEvent>): void {
    this.deps.emit(events)
    if (!this.deps.autoAcceptOutgoing) return
    this.deps.scheduler.schedule(PEER_ACCEPT_DELAY_MS, () => {
      const started = this.deps.state.startOutbound(record.fileRequestId)
      if (started.length === 0) return
      this.deps.emit(started)
      this.run(record)
    })
  }

  /** Ends a transfer with status 0 at `atPercent`, or now when absent or already past it. */
  fail(record: FileRequestRecord, atPercent?: number): void {
    if (atPercent === undefined || (record.status === 2 && record.progress >= atPercent)) {
      this.deps.emit(this.deps.state.fail(record.fileRequestId))
      this.forget(record.fileRequestId)
      return
    }
    const transfer = this.transfers.get(record.fileRequestId) ?? { timing: {} }
    transfer.failAtPercent = atPercent
    this.transfers.set(record.fileRequestId, transfer)
  }

  private durationOf(record: FileRequestRecord, transfer: Transfer | undefined): number {
    const timing = transfer?.timing ?? {}
    if (timing.durationMs !== undefined) return timing.durationMs
    return (record.fileSize / (timing.speed ?? DEFAULT_SPEED)) * 1000
  }

  private run(record: FileRequestRecord): void {
    const { state, scheduler, emit } = this.deps
    const transfer = this.transfers.get(record.fileRequestId)
    const step = transfer?.timing.progressStep ?? DEFAULT_PROGRESS_STEP
    const percents: number[] = []
    for (let p = 0; p < 100; p += step) percents.push(Math.round(p * 100) / 100)
    percents.push(100)
    const gap = this.durationOf(record, transfer) / (percents.length - 1)
    let i = 0
    const tick = (): Promise<void> | undefined => {
      if (record.status !== 2) {
        this.forget(record.fileRequestId)
        return
      }
      const percent = percents[i] as number
      const failing = this.transfers.get(record.fileRequestId)?.failAtPercent
      if (failing !== undefined && percent >= failing) {
        emit(state.fail(record.fileRequestId))
        this.forget(record.fileRequestId)
        return
      }
      emit(state.progress(record.fileRequestId, percent))
      if (percent >= 100) {
        if (record.directionType === 0) return this.completeInbound(record)
        emit(state.complete(record.fileRequestId))
        this.forget(record.fileRequestId)
        return
      }
      i++
      scheduler.schedule(gap, tick)
    }
    // The first tick is at 0 %, so it never writes: nothing to wait for.
    void tick()
  }

  /**
   * Stores a received file, then ends the transfer with status 3; the file is downloadable and listed
   * before that event goes out. A transfer failed meanwhile keeps its status 0 and its file is
   * dropped; a failed write, or a file over the storage quota, ends the transfer with status 0.
   */
  private async completeInbound(record: FileRequestRecord): Promise<void> {
    const { state, files, emit, log, closed } = this.deps
    const source = this.transfers.get(record.fileRequestId)?.data ?? {
      seed: 0,
      size: record.fileSize,
    }
    this.forget(record.fileRequestId)
    const bytes =
      typeof source === 'string'
        ? Buffer.from(source, 'utf8')
        : source instanceof Uint8Array
          ? source
          : prngChunks(source.seed, source.size)
    const size = bytes instanceof Uint8Array ? bytes.length : record.fileSize
    const fileId = state.allocateFileId()
    const path = join(files.dir, `received-${fileId}`)
    let stored: boolean | 'failed'
    try {
      stored = await files.write(path, bytes, size)
    } catch (error) {
      if (closed()) return
      log(
        `cannot store received file ${fileId}: ${error instanceof Error ? error.message : String(error)}`,
      )
      stored = 'failed'
    }
    if (closed()) return
    if (stored !== true) {
      if (stored === false)
        log(
          `cannot store received file ${fileId}: the storage quota of ${files.quota.maxBytes} bytes is used up`,
        )
      if (record.status === 2) emit(state.fail(record.fileRequestId))
      return
    }
    if (record.status !== 2) {
      await files.discard(path, size)
      return
    }
    state.addFile({ fileId, fileName: record.fileName, size, path })
    emit(state.complete(record.fileRequestId, fileId))
  }

  /**
   * The room uploads a file itself and sends it; the upload is stored before anything is sent.
   * Resolves with the new `fileRequestId`, or an error message when nothing was sent.
   */
  async send(
    send: {
      readonly fileName: string
      readonly to: string
      readonly data?: string | Uint8Array
      readonly size?: number
    } & TransferTiming,
    conferenceId: string,
    seed: () => number,
  ): Promise<{ ok: true; fileRequestId: string } | { ok: false; error: string }> {
    const { state, files } = this.deps
    const data = typeof send.data === 'string' ? Buffer.from(send.data, 'utf8') : send.data
    const size = data !== undefined ? data.length : (send.size ?? 1024)
    const bytes = data ?? prngChunks(seed(), size)
    const fileId = state.allocateFileId()
    const path = join(files.dir, `upload-${fileId}`)
    let stored: boolean
    try {
      stored = await files.write(path, bytes, size)
    } catch (error) {
      return {
        ok: false,
        error: `cannot store ${send.fileName}: ${error instanceof Error ? error.message : String(error)}`,
      }
    }
    if (!stored)
      return {
        ok: false,
        error: `cannot store ${send.fileName}: the storage quota of ${files.quota.maxBytes} bytes is used up`,
      }
    if (this.deps.closed()) return { ok: false, error: 'the simulator is closed' }
    state.addFile({ fileId, fileName: send.fileName, size, path })
    const result =
      send.to === 'conference'
        ? state.sendToConference(fileId, conferenceId)
        : state.sendToPeer(fileId, send.to)
    if (!result.ok) return result
    this.track(result.value.record.fileRequestId, send)
    this.outbound(result.value.record, result.value.events)
    return { ok: true, fileRequestId: result.value.record.fileRequestId }
  }
}
