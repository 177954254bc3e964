import fc from 'fast-check'
import {
  type FileRequestStatusChanged,
  type RoomMessage,
  confIdOf,
  fileSizeOf,
  isInboundFileReceived,
  peerDisplayNameOf,
} from '../src'
import { fileRequestStatusChanged } from './arbitraries'

describe('views', () => {
  it('fileSizeOf reads fileSize, else size', () => {
    expect(fileSizeOf({ size: 3200 })).toBe(3200)
    expect(fileSizeOf({ fileSize: 2304 })).toBe(2304)
    expect(fileSizeOf({ fileSize: 1, size: 2 })).toBe(1)
    expect(fileSizeOf({ fileSize: 0, size: 2 })).toBe(0)
    expect(fileSizeOf({})).toBeUndefined()
  })

  it('peerDisplayNameOf reads peerDisplayName, else peerDn', () => {
    expect(peerDisplayNameOf({ peerDn: '820_1' })).toBe('820_1')
    expect(peerDisplayNameOf({ peerDisplayName: 'Anna', peerDn: 'anna' })).toBe('Anna')
    expect(peerDisplayNameOf({ peerDisplayName: '' })).toBe('')
    expect(peerDisplayNameOf({})).toBeUndefined()
  })

  it('confIdOf treats absent and empty alike', () => {
    expect(confIdOf({})).toBeUndefined()
    expect(confIdOf({ confId: '' })).toBeUndefined()
    expect(confIdOf({ confId: '0000016f35f42ef6@some.server#vcs' })).toBe(
      '0000016f35f42ef6@some.server#vcs',
    )
  })

  it('isInboundFileReceived: a complete inbound status change with a fileId, and nothing else', () => {
    fc.assert(
      fc.property(fileRequestStatusChanged, (event: FileRequestStatusChanged) => {
        const expected =
          event.status === 3 && event.directionType === 0 && event.fileId !== undefined
        expect(isInboundFileReceived(event)).toBe(expected)
        if (isInboundFileReceived(event)) {
          // Narrowed: the fileId needs no check.
          const fileId: number | string = event.fileId
          expect(fileId).toBe(event.fileId)
        }
      }),
    )
    const reply: RoomMessage = { method: 'getFileList', result: true, fileList: [] }
    expect(isInboundFileReceived(reply)).toBe(false)
  })
})
