// From a TSDoc @example; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { of } from 'rxjs'
import { decodeFrames } from '../../src/index'
of('{"method":"event","event":"fileTransferAvailabilityChanged","availability":3}', 'not json')
  .pipe(decodeFrames())
  .subscribe({ next: (d) => console.log(d._tag), error: (e: unknown) => console.error(e) }) // 'Message', then 'DecodeFailure'
export {}
