// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { type Observable } from 'rxjs'
import { type Decoded, ofEvent } from '../../src/index'
declare const decoded$: Observable<Decoded>
decoded$.pipe(ofEvent('fileRequestStatusChanged')).subscribe({
  next: (e) => console.log(e.fileRequestId, e.status),
  error: (e: unknown) => console.error(e), // what the source errors with
})
export {}
