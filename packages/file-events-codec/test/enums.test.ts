import {
  AppState,
  DirectionType,
  DirectionTypeValue,
  FileRequestStatus,
  FileRequestStatusValue,
  FileTransferAvailability,
  directionTypeName,
  fileRequestStatusName,
  fileTransferAvailabilityName,
  isTerminalStatus,
  COMMAND_METHODS,
  DEFAULT_PORTS,
  FILE_EVENT_NAMES,
} from '../src'

describe('FileRequestStatus', () => {
  it('names every status', () => {
    expect([0, 1, 2, 3].map((s) => fileRequestStatusName(s as FileRequestStatus))).toEqual([
      'internal error',
      'waiting for instructions',
      'in progress',
      'complete',
    ])
  })

  it('is terminal for an internal error and for complete only', () => {
    expect([0, 1, 2, 3].filter((s) => isTerminalStatus(s as FileRequestStatus))).toEqual([0, 3])
  })

  it('has named values that the codec accepts', () => {
    expect(FileRequestStatusValue).toEqual({
      internalError: 0,
      waiting: 1,
      inProgress: 2,
      complete: 3,
    })
    for (const v of Object.values(FileRequestStatusValue))
      expect(FileRequestStatus.is(v)).toBe(true)
    for (const v of [-1, 4, 1.5, '1', null]) expect(FileRequestStatus.is(v)).toBe(false)
  })
})

describe('DirectionType', () => {
  it('names both directions', () => {
    expect(directionTypeName(0)).toBe('inbound')
    expect(directionTypeName(1)).toBe('outbound')
    expect(directionTypeName(DirectionTypeValue.outbound)).toBe('outbound')
    expect(DirectionTypeValue).toEqual({ inbound: 0, outbound: 1 })
    for (const v of [-1, 2, '0', true]) expect(DirectionType.is(v)).toBe(false)
  })
})

describe('FileTransferAvailability', () => {
  it('names every value', () => {
    expect(
      [0, 1, 2, 3].map((a) => fileTransferAvailabilityName(a as FileTransferAvailability)),
    ).toEqual([
      'prohibited by the server',
      'prohibited by the license',
      'login to a server required',
      'available',
    ])
    expect(FileTransferAvailability.is(4)).toBe(false)
  })
})

describe('AppState', () => {
  it('accepts 0..6 only', () => {
    for (const v of [0, 1, 2, 3, 4, 5, 6]) expect(AppState.is(v)).toBe(true)
    for (const v of [-1, 7, 3.5, '3']) expect(AppState.is(v)).toBe(false)
  })
})

describe('exported constants', () => {
  it('are frozen, so that no caller changes them for every other one', () => {
    for (const constant of [DEFAULT_PORTS, FILE_EVENT_NAMES, COMMAND_METHODS])
      expect(Object.isFrozen(constant)).toBe(true)
    expect(() => {
      ;(DEFAULT_PORTS as { http: number }).http = 1
    }).toThrow(TypeError)
  })
})
