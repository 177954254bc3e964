import { DEFAULT_FILTER, matches } from '../src/web/TransferTable'
import { request } from './helpers/request'

describe('the transfers table filter', () => {
  const failedOut = request({
    direction: 1,
    status: 0,
    terminal: true,
    fileName: 'video.mp4',
    peerId: 'erin@simulator.local',
    peerDisplayName: undefined,
  })
  const waitingIn = request({ status: 1, percent: 0, fileName: 'agenda.docx' })

  it('shows everything by default', () => {
    expect(matches(failedOut, DEFAULT_FILTER)).toBe(true)
    expect(matches(waitingIn, DEFAULT_FILTER)).toBe(true)
  })

  it('keeps one outcome, one direction, or what the search finds in a file or peer name', () => {
    expect(matches(failedOut, { ...DEFAULT_FILTER, outcome: 'failed' })).toBe(true)
    expect(matches(waitingIn, { ...DEFAULT_FILTER, outcome: 'failed' })).toBe(false)
    expect(matches(waitingIn, { ...DEFAULT_FILTER, outcome: 'active' })).toBe(true)
    expect(matches(failedOut, { ...DEFAULT_FILTER, direction: 'in' })).toBe(false)
    expect(matches(waitingIn, { ...DEFAULT_FILTER, direction: 'in' })).toBe(true)
    expect(matches(failedOut, { ...DEFAULT_FILTER, search: ' ERIN ' })).toBe(true)
    expect(matches(waitingIn, { ...DEFAULT_FILTER, search: 'alice' })).toBe(true)
    expect(matches(waitingIn, { ...DEFAULT_FILTER, search: 'AGENDA' })).toBe(true)
    expect(matches(waitingIn, { ...DEFAULT_FILTER, search: 'video' })).toBe(false)
  })
})
