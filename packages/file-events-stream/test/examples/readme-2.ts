// From README.md; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import type { Observable } from 'rxjs'
import { decodeFrames, ofEvent, trackFileRequests } from '../../src/index'

declare const frames$: Observable<string | ArrayBuffer> // from any WebSocket wrapper
const decoded$ = frames$.pipe(decodeFrames({ maxFrameBytes: 512 * 1024 }))
// Bad frames are values, not errors; the error handlers see what frames$ itself errors with.
decoded$.pipe(ofEvent('fileRequestStatusChanged')).subscribe({
  next: (e) => console.log(e.fileRequestId, e.status),
  error: (e: unknown) => console.error(e),
})
decoded$.pipe(trackFileRequests({ maxFinished: 200 })).subscribe({
  next: (state) => console.log(state.activeCount),
  error: (e: unknown) => console.error(e),
})
export {}
