import { type Subscription, filter, map } from 'rxjs'
import { type WebSocketSubjectConfig, webSocket } from 'rxjs/webSocket'
import { WebSocket } from 'ws'
import { validateWithZod } from './zodPeer'

/** What a user's own client keeps per file request. */
export interface PlainRequestState {
  readonly fileRequestId: string
  status: number
  direction: number | undefined
  fileName: string
  fileSize: number | undefined
  processedPercents: number
  rejected: boolean
}

type EventFields = Record<string, unknown> & { readonly event: string }

/**
 * The bookkeeping a user writes by hand without this project: a mutable `Map` of request states,
 * updated in place per event (no snapshots, no eviction). Exported for its test.
 */
export const applyFileEvent = (
  requests: Map<string, PlainRequestState>,
  event: EventFields,
): void => {
  if (event.event === 'fileTransferHistoryCleared') {
    for (const [id, r] of requests)
      if (r.status === 0 || r.status === 3 || r.rejected) requests.delete(id)
    return
  }
  const id = event.fileRequestId
  if (typeof id !== 'string') return
  if (event.event === 'fileDeletedFromFileTransferHistory') {
    requests.delete(id)
    return
  }
  let r = requests.get(id)
  if (r === undefined) {
    r = {
      fileRequestId: id,
      status: 1,
      direction: undefined,
      fileName: String(event.fileName ?? ''),
      fileSize: undefined,
      processedPercents: 0,
      rejected: false,
    }
    requests.set(id, r)
  }
  const size = event.fileSize ?? event.size
  if (typeof size === 'number') r.fileSize = size
  switch (event.event) {
    case 'receivedFileRequest':
      r.direction = 0
      break
    case 'outgoingFileRequestSent':
    case 'outgoingFileRequestSentToConference':
      r.direction = 1
      break
    case 'incomingFileRequestAccepted':
      r.status = 2
      break
    case 'incomingFileRequestRejected':
      r.rejected = true
      break
    case 'incomingFileRequestDownloadingProgress':
    case 'outgoingFileRequestUploadingProgress':
      r.processedPercents = Number(event.processedPercents)
      break
    case 'fileRequestStatusChanged':
      r.status = Number(event.status)
      r.direction = Number(event.directionType)
      if (r.status === 3) r.processedPercents = 100
      break
  }
}

const WebSocketCtor = WebSocket as unknown as NonNullable<
  WebSocketSubjectConfig<unknown>['WebSocketCtor']
>

/**
 * The end-to-end peer: the client a user would write with rxjs' own `webSocket` (with `ws`), zod
 * and a `Map`. Sends `auth`, validates every message with zod, folds file events into the `Map`.
 * Resolves with the milliseconds from the first event to the blaster's `benchDone`.
 */
export const rxjsZodMapClient = (
  url: string,
): Promise<{ readonly elapsedMs: number; readonly requests: number }> =>
  new Promise((resolve, reject) => {
    const requests = new Map<string, PlainRequestState>()
    const socket = webSocket<unknown>({ url, WebSocketCtor })
    let start = 0
    const subscription: Subscription = socket
      .pipe(
        map(validateWithZod),
        filter((m): m is Record<string, unknown> => m !== undefined),
      )
      .subscribe({
        next: (message) => {
          if (message.method !== 'event') return
          const event = message as EventFields
          if (start === 0) start = performance.now()
          if (event.event === 'benchDone') {
            const elapsedMs = performance.now() - start
            subscription.unsubscribe()
            resolve({ elapsedMs, requests: requests.size })
          } else applyFileEvent(requests, event)
        },
        error: reject,
      })
    socket.next({ method: 'auth', type: 'unsecured', requestId: '1' })
  })
