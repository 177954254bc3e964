import { startRoomSimulator } from '@org/room-simulator'
import { isCommandFailedError, isConfigurationError } from '../src/index'
import { connectRoom } from '../src/node'

describe('requestRaw', () => {
  it('sends a command this package does not model and resolves with its reply; refuses modelled ones', async () => {
    const sim = await startRoomSimulator({ pin: '5151' })
    const room = connectRoom({ wsUrl: sim.urls.ws, httpUrl: sim.urls.http, pin: '5151' })
    try {
      const reply = await room.requestRaw({ method: 'getSettings' })
      expect(reply).toMatchObject({ method: 'getSettings', result: true })
      expect(typeof reply.requestId).toBe('string')
      // An unknown command: the room's result:false becomes a CommandFailedError.
      const failed = await room
        .requestRaw({ method: 'noSuchCommand', x: 1 })
        .catch((e: unknown) => e)
      expect(isCommandFailedError(failed)).toBe(true)
      // Modelled commands go through request(), which types them.
      const refused = await room
        .requestRaw({ method: 'auth', type: 'secured', credentials: 'x' })
        .catch((e: unknown) => e)
      expect(isConfigurationError(refused)).toBe(true)
      expect(String(refused)).toContain('use request()')
    } finally {
      room.close()
      await sim.close()
    }
  })
})
