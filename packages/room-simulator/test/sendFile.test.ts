import { startRoomSimulator } from '../src'
import { TestClient } from './helpers/TestClient'

describe('sendFile', () => {
  it('stores the file as an upload and sends it like a scenario send step, resolving with the fileRequestId', async () => {
    const room = await startRoomSimulator({ timeScale: 0 })
    const c = await TestClient.authed(room.urls.ws)
    try {
      const id = await room.sendFile({
        fileName: 'minutes.txt',
        data: 'Minutes',
        to: 'carol@example.com',
        progressStep: 50,
      })
      await c.waitForEvent(
        'fileRequestStatusChanged',
        (e) => e.fileRequestId === id && e.status === 3,
      )
      expect(room.groundTruth()).toEqual([
        expect.objectContaining({
          fileRequestId: id,
          directionType: 1,
          status: 3,
          fileSize: 7,
          fileId: 1,
        }),
      ])
      const toConference = await room.sendFile({
        fileName: 'slides.pdf',
        size: 10,
        to: 'conference',
      })
      expect(await c.waitForEvent('outgoingFileRequestSentToConference')).toMatchObject({
        fileRequestId: toConference,
        fileSize: 10,
      })
      await expect(
        room.sendFile({ fileName: 'x', data: 'abc', size: 4, to: 'bob@x' }),
      ).rejects.toThrow(RangeError)
      room.setAvailability(2)
      await expect(room.sendFile({ fileName: 'x', to: 'bob@x' })).rejects.toThrow(
        'room-simulator: sendFile: file transfer is not available (availability 2)',
      )
    } finally {
      await c.close()
      await room.close()
    }
    await expect(room.sendFile({ fileName: 'late', to: 'bob@x' })).rejects.toThrow(
      'room-simulator: the simulator is closed',
    )
  })
})
