import type { FileTransferAvailability, FileTransferHistoryItem } from '@org/file-events-codec'
import {
  type Draft,
  clearFinished,
  compactQueue,
  evict,
  evictActive,
  markMissing,
  removeRequest,
  upsert,
} from './TrackerDraft'
import { type Update, fromEvent, itemUpdate, newUpdate } from './Update'
import type { FileRequestsAction, FileRequestsTrackerOptions } from '../trackerOptions'

/*
 * What each tracker action does to the working copy of a state: the reducer's per-action rules.
 */

/**
 * Folds one action into the draft; returns the availability after it.
 *
 * @internal
 */
export const apply = (
  draft: Draft,
  action: FileRequestsAction,
  options: Required<FileRequestsTrackerOptions>,
  availabilityBefore: FileTransferAvailability | undefined,
  update: Update,
): FileTransferAvailability | undefined => {
  let availability = availabilityBefore
  const at = action.at
  switch (action.type) {
    case 'event': {
      const event = action.event
      if (event.event === 'fileTransferAvailabilityChanged') availability = event.availability
      else if (event.event === 'fileDeletedFromFileTransferHistory')
        removeRequest(draft, event.fileRequestId)
      else if (event.event === 'fileTransferHistoryCleared') clearFinished(draft)
      else {
        if (fromEvent(event, update)) upsert(draft, update, at, options.maxHistory)
      }
      break
    }
    case 'snapshot': {
      const seen = new Set<string>()
      for (const item of action.history) {
        seen.add(item.fileRequestId)
        upsert(draft, itemUpdate(item, item.directionType, 3), at, options.maxHistory)
      }
      for (const item of action.incoming) {
        seen.add(item.fileRequestId)
        upsert(draft, itemUpdate(item, 0, item.status), at, options.maxHistory)
      }
      for (const item of action.outgoing) {
        seen.add(item.fileRequestId)
        upsert(draft, itemUpdate(item, 1, item.status), at, options.maxHistory)
      }
      markMissing(draft, seen)
      break
    }
    case 'info': {
      const info = action.info
      upsert(
        draft,
        {
          ...itemUpdate(
            { ...info, fileId: info.fileId ?? 0 } as FileTransferHistoryItem,
            info.directionType,
            info.status,
          ),
          fileId: info.fileId,
        },
        at,
        options.maxHistory,
      )
      break
    }
    case 'rejected': {
      const r = draft.map.get(action.fileRequestId)
      if (r !== undefined) {
        upsert(
          draft,
          {
            ...newUpdate(),
            id: r.fileRequestId,
            direction: r.direction,
            fileName: r.fileName,
            fileSize: r.fileSize,
            rejected: true,
          },
          at,
          options.maxHistory,
        )
      }
      break
    }
    case 'tick':
      break
  }
  evict(draft, at, options)
  if (
    draft.active > options.maxActive ||
    draft.activeEnd - draft.activeStart > 2 * draft.active + 64
  )
    evictActive(draft, options.maxActive)
  // Stale queue entries (deleted requests) are dropped when the queue has grown well past the kept ones.
  if (draft.queueLength > 2 * draft.finished + 64) compactQueue(draft)
  return availability
}
