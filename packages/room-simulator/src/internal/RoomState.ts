import type {
  FileDeletedFromFileTransferHistory,
  FileEvent,
  FileListItem,
  FileRequestStatus,
  FileTransferAvailability,
  FileTransferAvailabilityChanged,
  FileTransferHistoryCleared,
  FileTransferHistoryItem,
  IncomingFileRequestAccepted,
  IncomingFileRequestDownloadingProgress,
  IncomingFileRequestItem,
  IncomingFileRequestRejected,
  OutgoingFileRequestItem,
  OutgoingFileRequestSent,
  OutgoingFileRequestSentToConference,
  OutgoingFileRequestUploadingProgress,
  ReceivedFileRequest,
  SuccessReplyOf,
} from '@org/file-events-codec'
import { isTerminalStatus } from '@org/file-events-codec'
import type { GroundTruthEntry } from '../types'
import { groundTruthEntry, historyItem, incomingItem, outgoingItem } from './listItems'
import { displayNameOf, inboundFields, peerFields, statusChanged } from './recordFields'

/**
 * The room's file-transfer state as a plain model: no sockets, no timers, no disk. Every change
 * returns the events a real room would emit for it, built as codec-typed values so the compiler
 * checks their wire shape. The socket layer only delivers them.
 *
 * Timestamps follow the documentation's own examples: milliseconds on inbound requests, seconds on
 * outbound ones (the protocol reference, section 6.3).
 */

/** A file held by the built-in HTTP server. */
export interface StoredFile {
  readonly fileId: number
  readonly fileName: string
  readonly size: number
  readonly path: string
}

/** One file request as the room knows it. */
export interface FileRequestRecord {
  readonly fileRequestId: string
  readonly directionType: 0 | 1
  readonly fileName: string
  readonly fileSize: number
  readonly timestamp: number
  readonly peerId?: string
  readonly peerDn?: string
  readonly confId?: string
  status: FileRequestStatus
  rejected: boolean
  fileId?: number
  /** Last progress percent reported, -1 before any. */
  progress: number
  /** False once `clearFileTransferHistory` removed it from the lists (it stays in the ground truth). */
  listed: boolean
}

export type Result<A> =
  { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: string }

const ok = <A>(value: A): Result<A> => ({ ok: true, value })
const err = <A>(error: string): Result<A> => ({ ok: false, error })

export interface RoomStateDeps {
  /** A new `fileRequestId`. */
  readonly newId: () => string
  /** Wall-clock milliseconds. */
  readonly clock: () => number
}

export interface InboundOffer {
  readonly fileName: string
  readonly fileSize: number
  readonly peerId: string
  readonly peerDn: string
  readonly confId?: string
}

export class RoomState {
  private readonly requestsById = new Map<string, FileRequestRecord>()
  private readonly filesById = new Map<number, StoredFile>()
  private nextFileId = 1
  private currentAvailability: FileTransferAvailability = 3

  constructor(private readonly deps: RoomStateDeps) {}

  get availability(): FileTransferAvailability {
    return this.currentAvailability
  }

  request(fileRequestId: string): FileRequestRecord | undefined {
    return this.requestsById.get(fileRequestId)
  }

  file(fileId: number): StoredFile | undefined {
    return this.filesById.get(fileId)
  }

  /** Reserves the next file id (the HTTP server numbers files itself). */
  allocateFileId(): number {
    return this.nextFileId++
  }

  addFile(file: StoredFile): StoredFile {
    this.filesById.set(file.fileId, file)
    return file
  }

  removeFile(fileId: number): StoredFile | undefined {
    const file = this.filesById.get(fileId)
    this.filesById.delete(fileId)
    return file
  }

  // ---------------------------------------------------------------------------------------------
  // Inbound

  offerInbound(offer: InboundOffer): { record: FileRequestRecord; events: FileEvent[] } {
    const record: FileRequestRecord = {
      fileRequestId: this.deps.newId(),
      directionType: 0,
      fileName: offer.fileName,
      fileSize: offer.fileSize,
      timestamp: this.deps.clock(),
      peerId: offer.peerId,
      peerDn: offer.peerDn,
      ...(offer.confId !== undefined ? { confId: offer.confId } : {}),
      status: 1,
      rejected: false,
      progress: -1,
      listed: true,
    }
    this.requestsById.set(record.fileRequestId, record)
    const received: ReceivedFileRequest = {
      method: 'event',
      event: 'receivedFileRequest',
      ...inboundFields(record),
    }
    return { record, events: [received, statusChanged(record)] }
  }

  private pendingInbound(fileRequestId: string, verb: string): Result<FileRequestRecord> {
    const record = this.requestsById.get(fileRequestId)
    if (record === undefined || !record.listed)
      return err(`no file request with fileRequestId ${fileRequestId}`)
    if (record.directionType !== 0)
      return err(`file request ${fileRequestId} is outbound and cannot be ${verb}`)
    if (record.rejected) return err(`file request ${fileRequestId} was already rejected`)
    if (record.status !== 1)
      return err(`file request ${fileRequestId} is not waiting (status ${record.status})`)
    return ok(record)
  }

  accept(fileRequestId: string): Result<{ record: FileRequestRecord; events: FileEvent[] }> {
    if (this.currentAvailability !== 3)
      return err(`file transfer is not available (availability ${this.currentAvailability})`)
    const found = this.pendingInbound(fileRequestId, 'accepted')
    if (!found.ok) return found
    const record = found.value
    record.status = 2
    const accepted: IncomingFileRequestAccepted = {
      method: 'event',
      event: 'incomingFileRequestAccepted',
      ...inboundFields(record),
    }
    return ok({ record, events: [accepted, statusChanged(record)] })
  }

  reject(fileRequestId: string): Result<{ record: FileRequestRecord; events: FileEvent[] }> {
    const found = this.pendingInbound(fileRequestId, 'rejected')
    if (!found.ok) return found
    const record = found.value
    record.rejected = true
    const rejected: IncomingFileRequestRejected = {
      method: 'event',
      event: 'incomingFileRequestRejected',
      ...inboundFields(record),
    }
    return ok({ record, events: [rejected] })
  }

  // ---------------------------------------------------------------------------------------------
  // Outbound

  sendToPeer(
    fileId: number,
    peerId: string,
  ): Result<{ record: FileRequestRecord; events: FileEvent[] }> {
    const file = this.sendable(fileId)
    if (!file.ok) return file
    const record = this.outbound(file.value, { peerId, peerDn: displayNameOf(peerId) })
    const sent: OutgoingFileRequestSent = {
      method: 'event',
      event: 'outgoingFileRequestSent',
      fileRequestId: record.fileRequestId,
      peerId,
      peerDn: displayNameOf(peerId),
      fileName: record.fileName,
      fileId,
      fileSize: record.fileSize,
      timestamp: record.timestamp,
    }
    return ok({ record, events: [sent, statusChanged(record)] })
  }

  sendToConference(
    fileId: number,
    confId: string,
  ): Result<{ record: FileRequestRecord; events: FileEvent[] }> {
    const file = this.sendable(fileId)
    if (!file.ok) return file
    const record = this.outbound(file.value, { confId })
    const sent: OutgoingFileRequestSentToConference = {
      method: 'event',
      event: 'outgoingFileRequestSentToConference',
      fileName: record.fileName,
      fileRequestId: record.fileRequestId,
      timestamp: record.timestamp,
      fileId,
      confId,
      fileSize: record.fileSize,
    }
    return ok({ record, events: [sent, statusChanged(record)] })
  }

  private sendable(fileId: number): Result<StoredFile> {
    if (this.currentAvailability !== 3)
      return err(`file transfer is not available (availability ${this.currentAvailability})`)
    const file = this.filesById.get(fileId)
    return file === undefined ? err(`no file with fileId ${fileId} on the HTTP server`) : ok(file)
  }

  private outbound(
    file: StoredFile,
    target: { peerId: string; peerDn: string } | { confId: string },
  ): FileRequestRecord {
    const record: FileRequestRecord = {
      fileRequestId: this.deps.newId(),
      directionType: 1,
      fileName: file.fileName,
      fileSize: file.size,
      timestamp: Math.floor(this.deps.clock() / 1000),
      ...target,
      status: 1,
      rejected: false,
      fileId: file.fileId,
      progress: -1,
      listed: true,
    }
    this.requestsById.set(record.fileRequestId, record)
    return record
  }

  /** The remote peer accepted an outbound file: status 2. */
  startOutbound(fileRequestId: string): FileEvent[] {
    const record = this.requestsById.get(fileRequestId)
    if (record === undefined || record.directionType !== 1 || record.status !== 1) return []
    record.status = 2
    return [statusChanged(record)]
  }

  // ---------------------------------------------------------------------------------------------
  // Progress and ends (both directions)

  progress(fileRequestId: string, percent: number): FileEvent[] {
    const record = this.requestsById.get(fileRequestId)
    if (record === undefined || record.status !== 2) return []
    record.progress = percent
    if (record.directionType === 0) {
      const e: IncomingFileRequestDownloadingProgress = {
        method: 'event',
        event: 'incomingFileRequestDownloadingProgress',
        processedPercents: percent,
        fileRequestId: record.fileRequestId,
        fileSize: record.fileSize,
        fileName: record.fileName,
        peerId: record.peerId ?? '',
        peerDisplayName: record.peerDn ?? '',
        ...(record.confId !== undefined ? { confId: record.confId } : {}),
        timestamp: record.timestamp,
      }
      return [e]
    }
    const e: OutgoingFileRequestUploadingProgress = {
      method: 'event',
      event: 'outgoingFileRequestUploadingProgress',
      fileSize: record.fileSize,
      processedPercents: percent,
      fileRequestId: record.fileRequestId,
      fileName: record.fileName,
      fileId: record.fileId ?? 0,
      ...peerFields(record, 'peerDisplayName'),
      timestamp: record.timestamp,
    }
    return [e]
  }

  /** Ends a running transfer with status 3; an inbound one gets the id of its stored file. */
  complete(fileRequestId: string, fileId?: number): FileEvent[] {
    const record = this.requestsById.get(fileRequestId)
    if (record === undefined || record.status !== 2) return []
    if (record.directionType === 0 && fileId !== undefined) record.fileId = fileId
    record.status = 3
    return [statusChanged(record)]
  }

  /** Ends a waiting or running transfer with status 0 (internal error). */
  fail(fileRequestId: string): FileEvent[] {
    const record = this.requestsById.get(fileRequestId)
    if (record === undefined || record.rejected || isTerminalStatus(record.status)) return []
    record.status = 0
    return [statusChanged(record)]
  }

  setAvailability(availability: FileTransferAvailability): FileEvent[] {
    if (availability === this.currentAvailability) return []
    this.currentAvailability = availability
    const e: FileTransferAvailabilityChanged = {
      method: 'event',
      event: 'fileTransferAvailabilityChanged',
      availability,
    }
    return [e]
  }

  // ---------------------------------------------------------------------------------------------
  // History

  private inHistory(record: FileRequestRecord): boolean {
    return record.listed && record.status === 3 && record.fileId !== undefined
  }

  /** Removes every history entry of `fileId` and the file itself. */
  deleteFile(fileId: number): Result<{ events: FileEvent[]; removed: StoredFile | undefined }> {
    const entries = [...this.requestsById.values()].filter(
      (r) => this.inHistory(r) && r.fileId === fileId,
    )
    if (entries.length === 0) return err(`no file transfer history entry with fileId ${fileId}`)
    const removed = this.removeFile(fileId)
    const events = entries.map((r): FileEvent => {
      r.listed = false
      const e: FileDeletedFromFileTransferHistory = {
        method: 'event',
        event: 'fileDeletedFromFileTransferHistory',
        directionType: r.directionType,
        fileName: r.fileName,
        fileSize: r.fileSize,
        timestamp: r.timestamp,
        removedFromDisk: removed !== undefined,
        fileRequestId: r.fileRequestId,
        fileId,
        ...peerFields(r, 'peerDn'),
      }
      return e
    })
    return ok({ events, removed })
  }

  /** Drops every finished request from the lists and history; returns the files to delete if asked. */
  clearHistory(deleteFilesFromDisk: boolean): { events: FileEvent[]; removed: StoredFile[] } {
    const removed: StoredFile[] = []
    for (const r of this.requestsById.values()) {
      if (!r.listed || !(r.rejected || isTerminalStatus(r.status))) continue
      r.listed = false
      if (deleteFilesFromDisk && r.status === 3 && r.fileId !== undefined) {
        const file = this.removeFile(r.fileId)
        if (file !== undefined) removed.push(file)
      }
    }
    const e: FileTransferHistoryCleared = { method: 'event', event: 'fileTransferHistoryCleared' }
    return { events: [e], removed }
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  info(
    fileRequestId: string,
  ): Result<Omit<SuccessReplyOf<'getFileRequestInfo'>, 'method' | 'result' | 'requestId'>> {
    const r = this.requestsById.get(fileRequestId)
    if (r === undefined || !r.listed)
      return err(`no file request with fileRequestId ${fileRequestId}`)
    // The documented reply carries the fields of `fileRequestStatusChanged`, without the envelope.
    const { method: _method, event: _event, ...fields } = statusChanged(r)
    return ok(fields)
  }

  incomingItems(): IncomingFileRequestItem[] {
    return this.listed(0).map(incomingItem)
  }

  outgoingItems(): OutgoingFileRequestItem[] {
    return this.listed(1).map(outgoingItem)
  }

  historyItems(): FileTransferHistoryItem[] {
    return [...this.requestsById.values()].filter((r) => this.inHistory(r)).map(historyItem)
  }

  /** The documentation's example lists file ids as decimal strings; so does the simulator. */
  fileList(): FileListItem[] {
    return [...this.filesById.values()].map((f) => ({
      fileId: String(f.fileId),
      fileName: f.fileName,
    }))
  }

  groundTruth(): GroundTruthEntry[] {
    return [...this.requestsById.values()].map(groundTruthEntry)
  }

  /** Requests still waiting or running (not terminal, not rejected). */
  active(): FileRequestRecord[] {
    return [...this.requestsById.values()].filter((r) => !r.rejected && !isTerminalStatus(r.status))
  }

  private listed(direction: 0 | 1): FileRequestRecord[] {
    return [...this.requestsById.values()].filter((r) => r.listed && r.directionType === direction)
  }
}
