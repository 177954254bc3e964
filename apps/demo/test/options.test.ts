import { parseDemoArgs } from '../src/options'

describe('parseDemoArgs', () => {
  it('gives up on an unreachable room after 5 retries unless told otherwise', () => {
    expect(parseDemoArgs([], {}).maxRetries).toBe(5)
    expect(parseDemoArgs(['--max-retries', '0'], {}).maxRetries).toBe(0)
    expect(parseDemoArgs(['--max-retries', '12'], {}).maxRetries).toBe(12)
  })

  it('refuses a --max-retries that is not a whole non-negative number', () => {
    expect(() => parseDemoArgs(['--max-retries', '1.5'], {})).toThrow('--max-retries must be a whole number, got "1.5"')
    expect(() => parseDemoArgs(['--max-retries=-1'], {})).toThrow('--max-retries must be a non-negative number')
    expect(() => parseDemoArgs(['--max-retries', 'many'], {})).toThrow('--max-retries must be a non-negative number')
  })
})
