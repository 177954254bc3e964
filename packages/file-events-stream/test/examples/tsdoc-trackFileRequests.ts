// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { type Observable } from 'rxjs'
import { type Decoded, trackFileRequests } from '../../src/index'
declare const decoded$: Observable<Decoded>
decoded$.pipe(trackFileRequests({ maxFinished: 200 })).subscribe((state) => {
  for (const r of state.requests.values()) console.log(r.fileName, r.status, r.percent)
})
export {}
