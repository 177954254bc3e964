import * as fc from 'fast-check'
import { MIN_SCALED_ACCEPT_MS, scaledAcceptDelay } from '../src/demo'

describe('scaledAcceptDelay', () => {
  it('scales --accept-after, but never below the floor (or the unscaled value when that is smaller)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600_000 }), fc.double({ min: 0, max: 100, noNaN: true }), (acceptAfter, scale) => {
        const delay = scaledAcceptDelay(acceptAfter, scale)
        expect(delay).toBeGreaterThanOrEqual(Math.min(acceptAfter, MIN_SCALED_ACCEPT_MS))
        expect(delay).toBeGreaterThanOrEqual(acceptAfter * scale)
        if (acceptAfter * scale >= MIN_SCALED_ACCEPT_MS) expect(delay).toBe(acceptAfter * scale)
      }),
    )
    expect(scaledAcceptDelay(2000, 0)).toBe(500)
    expect(scaledAcceptDelay(2000, 0.2)).toBe(500)
    expect(scaledAcceptDelay(2000, 1)).toBe(2000)
    expect(scaledAcceptDelay(100, 0)).toBe(100)
  })
})
