import { disconnectSoak, fuzzFrames } from '../src/soak'

describe('reliability (the soak run at CI size)', () => {
  it('puts 10,000 random and mutated frames through decodeFrames: no throw, no stream error, every frame judged as JSON.parse + io-ts judge it', async () => {
    const result = await fuzzFrames(10_000, 7)
    expect(result.mismatches).toBe(0)
    expect(result.decoded + result.reported).toBe(10_000)
    // The mutations produce both kinds in quantity.
    expect(result.decoded).toBeGreaterThan(1_000)
    expect(result.reported).toBeGreaterThan(1_000)
  }, 60_000)

  it('loses and invents nothing over 120 transfers and 6 forced disconnects', async () => {
    const result = await disconnectSoak(120, 6)
    expect(result).toEqual({
      transfers: expect.any(Number),
      disconnects: 6,
      lost: 0,
      invented: 0,
      wrong: 0,
    })
    expect(result.transfers).toBeGreaterThanOrEqual(100)
  }, 60_000)
})
