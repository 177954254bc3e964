import fc from 'fast-check'
import stringWidth from 'string-width'
import { formatBytes, stateLabel, summarize } from '../src/presentation'
import {
  WIDE_LAYOUT_COLUMNS,
  fit,
  printable,
  progressBar,
  renderRow,
  renderScreen,
} from '../src/render'
import { clip } from '../src/terminal'
import { parseDemoArgs } from '../src/options'
import { request } from './helpers/request'

describe('render', () => {
  it('formats sizes', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1023)).toBe('1023 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(200_000)).toBe('195 KiB')
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB')
  })

  it('draws progress bars of a fixed width for any percent', () => {
    expect(progressBar(50, 10)).toBe('[#####.....]')
    fc.assert(
      fc.property(fc.double(), fc.integer({ min: 1, max: 40 }), (p, cells) => {
        expect(progressBar(p, cells)).toHaveLength(cells + 2)
      }),
    )
  })

  it('names states as a person reads them', () => {
    expect(stateLabel(request())).toBe('receiving')
    expect(stateLabel(request({ direction: 1 }))).toBe('sending')
    expect(stateLabel(request({ status: 1 }))).toBe('waiting')
    expect(stateLabel(request({ status: 3 }))).toBe('complete')
    expect(stateLabel(request({ status: 0 }))).toBe('failed')
    expect(stateLabel(request({ status: 1, rejected: true }))).toBe('rejected')
  })

  it('fits text to a width', () => {
    expect(fit('abc', 5)).toBe('abc  ')
    expect(fit('abcdef', 4)).toBe('abc…')
  })

  it('renders a row with the counterpart, size, bar and state', () => {
    const row = renderRow(request(), { width: 100, color: false })
    expect(row).toContain('⇣ in')
    expect(row).toContain('report.pdf')
    expect(row).toContain('Alice')
    expect(row).toContain('195 KiB')
    expect(row).toContain('[####......]')
    expect(row).toContain('receiving')
    expect(
      renderRow(
        request({ direction: 1, confId: 'c@s#vcs', peerId: undefined, peerDisplayName: undefined }),
        { width: 100, color: false },
      ),
    ).toContain('conference')
  })

  it('renders the screen oldest first, with counts and the log', () => {
    const lines = renderScreen(
      {
        title: 'title',
        connection: 'ready',
        requests: [
          request({ fileRequestId: 'b', firstSeen: 5, fileName: 'second.txt' }),
          request({ fileRequestId: 'a', firstSeen: 1, status: 3, terminal: true }),
        ],
        log: ['12:00:00 something happened'],
        decodeFailures: 2,
      },
      { width: 100, color: false },
    )
    expect(lines[1]).toContain('1 active, 1 finished')
    expect(lines[1]).toContain('bad frames: 2')
    const first = lines.findIndex((l) => l.includes('report.pdf'))
    const second = lines.findIndex((l) => l.includes('second.txt'))
    expect(first).toBeGreaterThan(0)
    expect(second).toBeGreaterThan(first)
    expect(lines.at(-1)).toContain('something happened')
    expect(
      renderScreen(
        { title: 't', connection: 'c', requests: [], log: [], decodeFailures: 0 },
        { width: 80, color: false },
      ),
    ).toContain('(no file transfers yet)')
  })

  it('summarizes outcomes', () => {
    expect(summarize([])).toBe('0 transfers: none')
    expect(
      summarize([request({ status: 3 }), request({ status: 3 }), request({ status: 0 })]),
    ).toBe('3 transfers: 2 complete, 1 failed')
  })
})

describe('options', () => {
  it('defaults to an embedded simulator that accepts unanswered requests', () => {
    const o = parseDemoArgs([], {})
    expect(o.host).toBeUndefined()
    expect(o.acceptAfterMs).toBe(2000)
    expect(o.scenario).toBe('demo')
  })

  it('watches a real room without accepting anything unless told', () => {
    const o = parseDemoArgs(['--', '--host', '10.0.0.5', '--web-port', '8080'], {
      ROOM_PIN: '1234',
    })
    expect(o).toMatchObject({
      host: '10.0.0.5',
      webPort: 8080,
      pin: '1234',
      acceptAfterMs: undefined,
    })
  })

  it('rejects bad numbers and unknown flags with a message', () => {
    expect(() => parseDemoArgs(['--seed', 'x'], {})).toThrow('--seed must be a non-negative number')
    expect(() => parseDemoArgs(['--bogus'], {})).toThrow()
  })
})

describe('printable', () => {
  it('shows control and bidi characters as escapes, never raw', () => {
    expect(printable('\u001b[31mRED\u001b[0m.txt')).toBe('\\u{1b}[31mRED\\u{1b}[0m.txt')
    expect(printable('report\u202Etxt.exe')).toBe('report\\u{202e}txt.exe')
    expect(printable('plain name.pdf')).toBe('plain name.pdf')
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(printable(s)).not.toMatch(
          // eslint-disable-next-line no-control-regex -- matching control characters is the point
          /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/,
        )
      }),
    )
  })

  it('is applied to every table cell', () => {
    const row = renderRow(request({ fileName: 'a\u001b[2Jb.txt', peerDisplayName: 'x\u0007' }), {
      width: 100,
      color: false,
    })
    expect(row).not.toContain('\u001b')
    expect(row).not.toContain('\u0007')
  })
})

describe('terminal columns', () => {
  it('counts a wide character (CJK, emoji) as two columns when fitting and clipping', () => {
    expect(fit('報告書.pdf', 8)).toBe('報告書.…')
    expect(stringWidth(fit('報告書.pdf', 8))).toBe(8)
    expect(fit('🎉.txt', 8)).toBe('🎉.txt  ')
    expect(clip('日本語のファイル', 5)).toBe('日本\u001b[0m')
  })

  it('keeps the percentage and the status of every row down to 40 columns, and a row never wider', () => {
    const r = request({ fileName: 'quarterly-report-final-v2.pdf', percent: 40, status: 2 })
    for (const width of [40, 50, 71, 72, 100]) {
      const line = renderRow(r, { width, color: false })
      expect(stringWidth(line)).toBeLessThanOrEqual(width)
      expect(line).toContain('40%')
      expect(line).toContain('receiving')
      expect(line.includes('[####')).toBe(width >= WIDE_LAYOUT_COLUMNS)
    }
  })
})
