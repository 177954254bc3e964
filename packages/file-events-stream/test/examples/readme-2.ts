// From README.md; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import type { Observable } from 'rxjs'
import { decodeFrames, ofEvent, trackFileRequests } from '../../src/index'

declare const frames$: Observable<string | ArrayBuffer> // from any WebSocket wrapper
const decoded$ = frames$.pipe(decodeFrames({ maxFrameBytes: 512 * 1024 }))
decoded$.pipe(ofEvent('fileRequestStatusChanged')).subscribe((e) => console.log(e.fileRequestId, e.status))
decoded$.pipe(trackFileRequests({ maxFinished: 200 })).subscribe((state) => console.log(state.activeCount))
export {}
