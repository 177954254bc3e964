import fc from 'fast-check'
import { createScheduler } from '../src/internal/Scheduler'
import { createPrng, prngBytes, prngUuid } from '../src/internal/prng'

describe('Scheduler', () => {
  afterEach(() => jest.useRealTimers())

  it('runs steps in virtual-time order with timeScale 0, nested steps timed from their parent', async () => {
    const s = createScheduler({ timeScale: 0 })
    const order: string[] = []
    s.schedule(30, () => order.push('c'))
    s.schedule(10, () => {
      order.push('a')
      s.schedule(5, () => order.push('a+5'))
      s.schedule(50, () => order.push('a+50'))
    })
    s.schedule(10, () => order.push('b'))
    expect(s.pending).toBe(3)
    await s.whenIdle()
    expect(order).toEqual(['a', 'b', 'a+5', 'c', 'a+50'])
  })

  it('orders any set of delays by (due time, insertion order)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(1000), { maxLength: 40 }), async (delays) => {
        const s = createScheduler({ timeScale: 0 })
        const ran: number[] = []
        delays.forEach((d, i) => s.schedule(d, () => ran.push(i)))
        await s.whenIdle()
        const expected = delays
          .map((d, i) => [d, i] as const)
          .sort((x, y) => x[0] - y[0] || x[1] - y[1])
          .map(([, i]) => i)
        expect(ran).toEqual(expected)
      }),
      { numRuns: 50 },
    )
  })

  it('paces steps by timeScale on the real clock (virtual time via fake timers)', () => {
    jest.useFakeTimers()
    let clock = 0
    const s = createScheduler({ timeScale: 2, now: () => clock })
    const ran: number[] = []
    s.schedule(100, () => ran.push(100))
    s.schedule(50, () => ran.push(50))
    clock = 99
    jest.advanceTimersByTime(99)
    expect(ran).toEqual([])
    clock = 100
    jest.advanceTimersByTime(1)
    expect(ran).toEqual([50])
    clock = 200
    jest.advanceTimersByTime(100)
    expect(ran).toEqual([50, 100])
    expect(s.pending).toBe(0)
  })

  it('keeps running after a failing step and reports it', async () => {
    const errors: unknown[] = []
    const s = createScheduler({ timeScale: 0, onError: (e) => errors.push(e) })
    const ran: string[] = []
    s.schedule(0, () => {
      throw new Error('boom')
    })
    s.schedule(1, () => ran.push('after'))
    await s.whenIdle()
    expect(ran).toEqual(['after'])
    expect(errors).toHaveLength(1)
  })

  it('drops pending steps on stop and resolves waiters', async () => {
    const s = createScheduler({ timeScale: 1 })
    const ran: number[] = []
    s.schedule(60_000, () => ran.push(1))
    const idle = s.whenIdle()
    s.stop()
    await idle
    s.schedule(0, () => ran.push(2))
    expect(s.pending).toBe(0)
    expect(ran).toEqual([])
  })
})

describe('prng', () => {
  it('is deterministic per seed and produces v4-shaped UUIDs', () => {
    const a = createPrng(5)
    const b = createPrng(5)
    const ids = Array.from({ length: 50 }, () => prngUuid(a))
    expect(Array.from({ length: 50 }, () => prngUuid(b))).toEqual(ids)
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(ids).size).toBe(50)
    expect(prngUuid(createPrng(6))).not.toBe(ids[0])
  })

  it('generates bytes of exactly the requested size, the same for the same seed', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.nat(), (size, seed) => {
        const bytes = prngBytes(seed, size)
        expect(bytes.length).toBe(size)
        expect(prngBytes(seed, size)).toEqual(bytes)
      }),
      { numRuns: 50 },
    )
  })

  it('holds later steps while the promise of a step is pending, keeping virtual order', async () => {
    const s = createScheduler({ timeScale: 0 })
    const ran: string[] = []
    let release: () => void = () => undefined
    s.schedule(0, async () => {
      ran.push('A')
      await new Promise<void>((resolve) => {
        release = resolve
      })
      // Timed from A's due time, as if A had been synchronous: before C (3), after B (0).
      s.schedule(1, () => ran.push('D'))
    })
    s.schedule(0, () => ran.push('B'))
    s.schedule(3, () => ran.push('C'))
    let idle = false
    const whenIdle = s.whenIdle().then(() => {
      idle = true
    })
    for (let turn = 0; turn < 5; turn++) await new Promise<void>((resolve) => setImmediate(resolve))
    expect(ran).toEqual(['A'])
    expect(idle).toBe(false)
    release()
    await whenIdle
    expect(ran).toEqual(['A', 'B', 'D', 'C'])
  })

  it('reports a rejected step and runs the next ones', async () => {
    const errors: unknown[] = []
    const s = createScheduler({ timeScale: 0, onError: (e) => errors.push(e) })
    const ran: string[] = []
    s.schedule(0, () => Promise.reject(new Error('write failed')))
    s.schedule(0, () => ran.push('next'))
    await s.whenIdle()
    expect(ran).toEqual(['next'])
    expect(errors).toEqual([new Error('write failed')])
  })
})
