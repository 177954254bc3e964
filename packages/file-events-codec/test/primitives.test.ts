import * as fc from 'fast-check'
import {
  ConfId,
  FileId,
  FileRequestId,
  FileSize,
  Percent,
  PeerId,
  SECONDS_THRESHOLD,
  Timestamp,
  fileIdToNumber,
  timestampToDate,
} from '../src'

describe('timestampToDate', () => {
  it('reads the wire examples in both units', () => {
    expect(timestampToDate(1659286530).toISOString()).toBe('2022-07-31T16:55:30.000Z')
    expect(timestampToDate(1659284222850).toISOString()).toBe('2022-07-31T16:17:02.850Z')
  })

  it('switches from seconds to milliseconds at 1e11', () => {
    expect(SECONDS_THRESHOLD).toBe(1e11)
    expect(timestampToDate(1e11 - 1).getTime()).toBe((1e11 - 1) * 1000)
    expect(timestampToDate(1e11).getTime()).toBe(1e11)
    expect(timestampToDate(0).getTime()).toBe(0)
    expect(timestampToDate(1.5).getTime()).toBe(1500)
  })

  it('gives the same instant for the same second in either unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_000_000, max: 99_999_999_999 }), (seconds) => {
        expect(timestampToDate(seconds).getTime()).toBe(timestampToDate(seconds * 1000).getTime())
      }),
    )
  })
})

describe('fileIdToNumber', () => {
  it('keeps numbers and reads decimal strings', () => {
    expect(fileIdToNumber(42)).toBe(42)
    expect(fileIdToNumber('42')).toBe(42)
    expect(fileIdToNumber('0')).toBe(0)
    expect(fileIdToNumber('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('agrees for the two forms of any valid id', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(FileId.is(String(n))).toBe(true)
        expect(fileIdToNumber(String(n))).toBe(fileIdToNumber(n))
      }),
    )
  })
})

describe('primitive codecs', () => {
  it.each([
    [
      'FileRequestId',
      FileRequestId,
      ['6c0e20a7-3c79-470d-869b-7c8287587620', 'x'],
      ['', 1, null, undefined],
    ],
    ['PeerId', PeerId, ['820_1@some.server'], ['', 820, {}]],
    ['ConfId', ConfId, ['', '0000016f35f42ef6@some.server#vcs'], [null, 0]],
    [
      'FileId',
      FileId,
      [0, 526755919, '1', '0', Number.MAX_SAFE_INTEGER],
      [-1, 1.5, '01', '-1', '', ' 1', 2 ** 53, '1e3', NaN, '9007199254740992', '9999999999999999'],
    ],
    [
      'Timestamp',
      Timestamp,
      [0, 1659286530, 1659284222850, 1.25],
      [-1, NaN, Infinity, '1659286530', null],
    ],
    ['FileSize', FileSize, [0, 3200, Number.MAX_SAFE_INTEGER], [-1, 0.5, 2 ** 53, '3200', NaN]],
    ['Percent', Percent, [0, 20, 100, 33.3], [-0.1, 100.01, '20', NaN]],
  ] as const)('%s', (name, codec, valid, invalid) => {
    expect(codec.name).toBe(name)
    for (const v of valid) {
      expect(codec.is(v)).toBe(true)
      expect(codec.decode(v)).toEqual({ _tag: 'Right', right: v })
      expect(codec.encode(v as never)).toBe(v)
    }
    for (const v of invalid) {
      expect(codec.is(v)).toBe(false)
      expect(codec.decode(v)._tag).toBe('Left')
    }
  })
})
