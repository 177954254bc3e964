import * as fc from 'fast-check'
import { ConnectionError, RetriesExhaustedError } from '@org/file-events-stream'
import { MIN_SCALED_ACCEPT_MS, scaledAcceptDelay } from '../src/kiosk'
import { describeError, describeState } from '../src/presentation'
import { clip, liveFrame } from '../src/terminal'

describe('scaledAcceptDelay', () => {
  it('scales --accept-after, but never below the floor (or the unscaled value when that is smaller)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600_000 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (acceptAfter, scale) => {
          const delay = scaledAcceptDelay(acceptAfter, scale)
          expect(delay).toBeGreaterThanOrEqual(Math.min(acceptAfter, MIN_SCALED_ACCEPT_MS))
          expect(delay).toBeGreaterThanOrEqual(acceptAfter * scale)
          if (acceptAfter * scale >= MIN_SCALED_ACCEPT_MS) expect(delay).toBe(acceptAfter * scale)
        },
      ),
    )
    expect(scaledAcceptDelay(2000, 0)).toBe(500)
    expect(scaledAcceptDelay(2000, 0.2)).toBe(500)
    expect(scaledAcceptDelay(2000, 1)).toBe(2000)
    expect(scaledAcceptDelay(100, 0)).toBe(100)
  })
})

describe('describeState and describeError', () => {
  const refused = new ConnectionError({
    reason: 'open-failed',
    url: 'ws://127.0.0.1:8765',
    detail:
      'the WebSocket could not be opened (ws://127.0.0.1:8765): connect ECONNREFUSED 127.0.0.1:8765',
  })

  it('numbers the retries and says why the last attempt failed', () => {
    expect(describeState({ status: 'connecting', attempt: 0, url: undefined }, 5)).toBe(
      'connecting',
    )
    expect(describeState({ status: 'connecting', attempt: 2, url: undefined }, 5)).toBe(
      'connecting (retry 2 of 5)',
    )
    expect(
      describeState({ status: 'reconnecting', attempt: 3, delayMs: 1750, lastError: refused }, 5),
    ).toBe(`reconnecting in 1.8 s (retry 3 of 5): ${refused.message}`)
    expect(
      describeState({ status: 'reconnecting', attempt: 7, delayMs: 29_300, lastError: refused }),
    ).toBe(`reconnecting in 29.3 s (retry 7): ${refused.message}`)
  })

  it('gives the last reason of a connection that gave up', () => {
    const exhausted = new RetriesExhaustedError({ attempts: 6, lastError: refused })
    expect(describeError(exhausted)).toBe(
      `gave up after 6 failed connection attempts (last: ${refused.message})`,
    )
    expect(
      describeState({ status: 'closed', reason: 'retries-exhausted', error: exhausted }, 5),
    ).toBe(`closed: ${describeError(exhausted)}`)
    expect(describeState({ status: 'closed', reason: 'closed-by-caller' })).toBe(
      'closed (closed-by-caller)',
    )
  })
})

describe('liveFrame', () => {
  const CSI = '\u001b['

  it('overwrites from the top: each line cleared after its end, the rest of the screen cleared, nothing erased first', () => {
    expect(liveFrame(['title', '', 'row'])).toBe(
      `${CSI}H` + `title${CSI}K\n` + `${CSI}K\n` + `row${CSI}K` + `${CSI}J`,
    )
    expect(liveFrame(['a', 'b'])).not.toContain(`${CSI}2J`)
  })

  it('never writes more lines than the terminal has, nor a newline after the last, so the screen cannot scroll', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('x', ' ', 'é') }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 50 }),
        (lines, rows) => {
          const frame = liveFrame(lines, rows)
          const written = frame.split('\n')
          expect(written.length).toBeLessThanOrEqual(Math.max(1, Math.min(lines.length, rows)))
          expect(frame.endsWith(`${CSI}J`)).toBe(true)
          expect(frame.endsWith(`\n${CSI}J`)).toBe(false)
        },
      ),
    )
  })

  it('cuts every line to the terminal width, counting only visible characters, so no line wraps', () => {
    // eslint-disable-next-line no-control-regex -- terminal sequences start with ESC
    const visible = (line: string): string => line.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')
    fc.assert(
      fc.property(
        fc.array(
          fc
            .array(
              fc.oneof(
                fc.constantFrom('x', '⇣', 'é', ' ', '😀'),
                fc.constantFrom(`${CSI}1m`, `${CSI}32m`, `${CSI}0m`),
              ),
              { maxLength: 120 },
            )
            .map((parts) => parts.join('')),
          { maxLength: 10 },
        ),
        fc.integer({ min: 1, max: 100 }),
        (lines, columns) => {
          const written = liveFrame(lines, Number.POSITIVE_INFINITY, columns).split('\n')
          written.forEach((line, i) => {
            const shown = [...visible(line)]
            expect(shown.length).toBeLessThanOrEqual(columns)
            // What is kept is the start of the line.
            expect(visible(lines[i] ?? '').startsWith(shown.join(''))).toBe(true)
          })
        },
      ),
    )
    expect(clip(`${CSI}1mhello${CSI}0m`, 3)).toBe(`${CSI}1mhel${CSI}0m`)
    expect(clip('short', 10)).toBe('short')
  })
})
