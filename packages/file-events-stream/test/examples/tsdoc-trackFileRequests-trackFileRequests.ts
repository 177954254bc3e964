// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { type Observable } from 'rxjs'
import { type Decoded, trackFileRequests } from '../../src/index'
declare const decoded$: Observable<Decoded>
decoded$.pipe(trackFileRequests({ maxFinished: 200 })).subscribe({
  next: (state) => {
    // The map's iteration order is unspecified: sort for a stable listing.
    const requests = [...state.requests.values()].sort((a, b) => a.firstSeen - b.firstSeen)
    for (const r of requests) console.log(r.fileName, r.status, r.percent)
  },
  error: (e: unknown) => console.error(e), // what the source errors with
})
export {}
