import { startRoomSimulator } from '../src'
import { TestClient } from './helpers/TestClient'

const downloadOf = async (httpUrl: string, c: TestClient, fileId: unknown): Promise<Uint8Array> => {
  const { token } = await c.request('getTokenForHttpServer')
  const res = await fetch(`${httpUrl}/files/${String(fileId)}?token=${String(token)}`)
  expect(res.status).toBe(200)
  return new Uint8Array(await res.arrayBuffer())
}

describe('edges', () => {
  it('generates inbound content of the offered size, the same bytes for the same seed', async () => {
    const receive = async (seed: number) => {
      const room = await startRoomSimulator({ timeScale: 0, seed })
      const c = await TestClient.authed(room.urls.ws)
      try {
        const id = room.offerFile({ fileName: 'gen.bin', size: 3001 })
        await c.request('acceptIncomingFileRequest', { fileRequestId: id })
        const done = await c.waitForEvent('fileRequestStatusChanged', (e) => e.status === 3)
        return await downloadOf(room.urls.http, c, done.fileId)
      } finally {
        await c.close()
        await room.close()
      }
    }
    const a = await receive(11)
    expect(a.length).toBe(3001)
    expect(await receive(11)).toEqual(a)
    expect(await receive(12)).not.toEqual(a)
  })

  it('leaves outbound requests waiting when the peer does not accept, and idle() does not wait for them', async () => {
    const room = await startRoomSimulator({
      timeScale: 0,
      autoAcceptOutgoing: false,
      scenario: { steps: [{ at: 0, send: { fileName: 'w.txt', data: 'w', to: 'peer@x' } }] },
    })
    const c = await TestClient.authed(room.urls.ws)
    try {
      await room.idle()
      const [entry] = room.groundTruth()
      expect(entry).toMatchObject({
        directionType: 1,
        status: 1,
        peerId: 'peer@x',
        fileName: 'w.txt',
        fileSize: 1,
      })
      room.failTransfer(entry?.fileRequestId as string)
      expect(room.groundTruth()[0]?.status).toBe(0)
    } finally {
      await c.close()
      await room.close()
    }
  })

  it('idle() does not wait for an inbound offer nobody accepts', async () => {
    const room = await startRoomSimulator({ timeScale: 0 })
    try {
      const id = room.offerFile({ fileName: 'waiting.txt', data: 'w' })
      await room.idle()
      expect(room.groundTruth()).toEqual([
        expect.objectContaining({
          fileRequestId: id,
          directionType: 0,
          status: 1,
          rejected: false,
        }),
      ])
    } finally {
      await room.close()
    }
  })

  it('idle() with a scenario and no authenticated client stays pending until close()', async () => {
    const room = await startRoomSimulator({
      timeScale: 0,
      scenario: { steps: [{ at: 0, availability: 2 }] },
    })
    let settled = false
    const idle = room.idle().then(() => {
      settled = true
    })
    // A connected but unauthenticated client does not start the scenario either.
    const c = await TestClient.connect(room.urls.ws)
    await c.request('setUsedApiVersion', { version: '1' })
    expect(settled).toBe(false)
    await c.close()
    await room.close()
    await idle
    expect(settled).toBe(true)
    expect(room.groundTruth()).toEqual([])
  })

  it('refuses sends while file transfer is unavailable', async () => {
    const room = await startRoomSimulator({ timeScale: 0 })
    const c = await TestClient.authed(room.urls.ws)
    try {
      room.setAvailability(0)
      const reply = await c.request('sendFileToConference', { fileId: 1 })
      expect(reply).toMatchObject({
        result: false,
        error: 'file transfer is not available (availability 0)',
      })
      room.setAvailability(0) // unchanged: no event
      await c.request('getFileList')
      expect(c.events.filter((e) => e.event === 'fileTransferAvailabilityChanged')).toHaveLength(1)
    } finally {
      await c.close()
      await room.close()
    }
  })

  it('answers a binary frame with an error and closes a socket that sends an oversized frame (1009)', async () => {
    const room = await startRoomSimulator({ timeScale: 0 })
    const c = await TestClient.connect(room.urls.ws)
    try {
      c.ws.send(Buffer.from([1, 2, 3]))
      const reply = await c.waitFor((m) => m.method === '')
      expect(reply).toMatchObject({
        result: false,
        error: 'binary frames are not supported: send JSON text frames',
      })
      c.sendRaw(JSON.stringify({ method: 'getFileList', padding: 'x'.repeat(1024 * 1024) }))
      expect((await c.closed).code).toBe(1009)
    } finally {
      await c.close()
      await room.close()
    }
  })

  it('rejects a negative timeScale and an unknown preset before listening', async () => {
    await expect(startRoomSimulator({ timeScale: -1 })).rejects.toThrow(
      'room-simulator: startRoomSimulator: options.timeScale: expected a time scale: a finite number >= 0, received -1',
    )
    await expect(startRoomSimulator({ scenario: 'nope' })).rejects.toThrow(
      'unknown scenario preset "nope"',
    )
  })
})
