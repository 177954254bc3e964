import { AuthThrottle } from '../src/internal/AuthThrottle'

describe('AuthThrottle', () => {
  it('checks at most perSecond attempts per address in each one-second window', () => {
    let now = 0
    const throttle = new AuthThrottle(3, () => now)
    expect([1, 2, 3, 4].map(() => throttle.tryAttempt('10.0.0.1'))).toEqual([
      true,
      true,
      true,
      false,
    ])
    // Another address has its own budget.
    expect(throttle.tryAttempt('10.0.0.2')).toBe(true)
    now = 999
    expect(throttle.tryAttempt('10.0.0.1')).toBe(false)
    now = 1000
    expect(throttle.tryAttempt('10.0.0.1')).toBe(true)
  })

  it('gives back the place of a successful attempt', () => {
    const throttle = new AuthThrottle(2, () => 0)
    for (let i = 0; i < 100; i++) {
      expect(throttle.tryAttempt('a')).toBe(true)
      throttle.giveBack('a')
    }
    expect(throttle.tryAttempt('a')).toBe(true)
    expect(throttle.tryAttempt('a')).toBe(true)
    expect(throttle.tryAttempt('a')).toBe(false)
  })

  it('forgets the expired windows of many addresses instead of keeping every address seen', () => {
    let now = 0
    const throttle = new AuthThrottle(1, () => now)
    for (let i = 0; i < 10_000; i++) throttle.tryAttempt(`10.0.${i >> 8}.${i & 255}`)
    expect(throttle.size).toBe(10_000)
    now = 1000
    throttle.tryAttempt('192.0.2.1')
    expect(throttle.size).toBe(1)
  })
})
