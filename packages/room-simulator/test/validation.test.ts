import fc from 'fast-check'
import { decodeRoomMessage } from '@org/file-events-codec'
import { type Fault, type FileOffer, type RoomSimulator, startRoomSimulator } from '../src'
import { TestClient } from './helpers/TestClient'

/** The error `run` throws, for asserting on its class and message together. */
const thrown = (run: () => unknown): Error => {
  try {
    run()
  } catch (error) {
    if (error instanceof Error) return error
    throw new Error(`threw a non-error: ${String(error)}`)
  }
  throw new Error('did not throw')
}

describe('the simulator checks the arguments of its methods before acting', () => {
  let room: RoomSimulator
  let client: TestClient
  beforeEach(async () => {
    room = await startRoomSimulator({ timeScale: 0, seed: 11 })
    client = await TestClient.authed(room.urls.ws)
  })
  afterEach(async () => {
    await client.close()
    await room.close()
  })

  /** A reply proves that every frame sent before it has arrived: nothing was emitted by a refused call. */
  const expectNothingSent = async () => {
    await client.request('getFileTransferAvailability')
    expect(client.events).toEqual([])
    expect(client.failures).toEqual([])
    expect(room.groundTruth()).toEqual([])
  }

  it('offerFile refuses a negative size with a RangeError naming offer.size, FileSize and -5, and sends nothing', async () => {
    const error = thrown(() => room.offerFile({ fileName: 'neg', size: -5 }))
    expect(error).toBeInstanceOf(RangeError)
    expect(error.message).toBe(
      'room-simulator: offerFile: offer.size: expected FileSize: an integer >= 0, received -5',
    )
    expect(() => room.offerFile({ fileName: 'half', size: 1.5 })).toThrow(RangeError)
    await expectNothingSent()
    // A valid offer afterwards goes out as codec-valid frames.
    const id = room.offerFile({ fileName: 'ok', size: 5 })
    await client.waitForEvent('fileRequestStatusChanged', (e) => e.fileRequestId === id)
    expect(client.failures).toEqual([])
  })

  it('offerFile without an argument, with a wrong type or an unknown key throws a TypeError naming the path', async () => {
    const missing = thrown(() => (room.offerFile as (offer?: FileOffer) => string)())
    expect(missing).toBeInstanceOf(TypeError)
    expect(missing.message).toMatch(
      /^room-simulator: offerFile: offer: expected an object \{ fileName, data, size, .*\}, received undefined$/,
    )
    const typo = thrown(() => room.offerFile({ fileName: 'a', sise: 5 } as FileOffer))
    expect(typo).toBeInstanceOf(TypeError)
    expect(typo.message).toMatch(
      /offer\.sise: unknown key "sise" \(known keys: fileName, data, size, /,
    )
    expect(() => room.offerFile({ fileName: 7 } as unknown as FileOffer)).toThrow(
      'offer.fileName: expected a string, received 7',
    )
    expect(() => room.offerFile({ fileName: 'a', peerId: '' })).toThrow(
      'offer.peerId: expected PeerId: a non-empty string, received ""',
    )
    expect(() => room.offerFile({ fileName: 'a', data: 5 } as unknown as FileOffer)).toThrow(
      'offer.data: expected a string or a Uint8Array, received 5',
    )
    await expectNothingSent()
  })

  it('offerFile refuses timings out of range, among them a progress step that would never reach 100 %', async () => {
    expect(() => room.offerFile({ fileName: 'a', progressStep: 0 })).toThrow(RangeError)
    expect(() => room.offerFile({ fileName: 'a', progressStep: 0 })).toThrow(
      'offer.progressStep: expected a percent step: a number 1..100, received 0',
    )
    expect(() => room.offerFile({ fileName: 'a', failAtPercent: 101 })).toThrow(
      'offer.failAtPercent: expected Percent: a number 0..100, received 101',
    )
    expect(() => room.offerFile({ fileName: 'a', speed: 0 })).toThrow(
      'offer.speed: expected bytes per second: a finite number > 0, received 0',
    )
    expect(() => room.offerFile({ fileName: 'a', durationMs: Number.NaN })).toThrow(RangeError)
    await expectNothingSent()
  })

  it('offerFile refuses a size that contradicts its data, and accepts one that matches', async () => {
    const error = thrown(() => room.offerFile({ fileName: 'a', data: 'four', size: 3 }))
    expect(error).toBeInstanceOf(RangeError)
    expect(error.message).toBe(
      'room-simulator: offerFile: offer.size: expected the byte length of offer.data (4) or no size, received 3',
    )
    await expectNothingSent()
    const id = room.offerFile({ fileName: 'a', data: new Uint8Array([1, 2, 3, 4]), size: 4 })
    expect(await client.waitForEvent('receivedFileRequest')).toMatchObject({
      fileRequestId: id,
      fileSize: 4,
    })
  })

  it('setAvailability(7) throws a RangeError and the room keeps accepting transfers', async () => {
    const error = thrown(() => room.setAvailability(7 as 3))
    expect(error).toBeInstanceOf(RangeError)
    expect(error.message).toBe(
      'room-simulator: setAvailability: availability: expected FileTransferAvailability: 0, 1, 2 or 3, received 7',
    )
    expect(() => room.setAvailability('3' as unknown as 3)).toThrow(TypeError)
    await expectNothingSent()
    expect(await client.request('getFileTransferAvailability')).toMatchObject({ availability: 3 })
    const id = room.offerFile({ fileName: 'after.txt', data: 'still works' })
    expect(await client.request('acceptIncomingFileRequest', { fileRequestId: id })).toMatchObject({
      result: true,
    })
    await client.waitForEvent(
      'fileRequestStatusChanged',
      (e) => e.fileRequestId === id && e.status === 3,
    )
  })

  it('injectFault refuses an unknown type, an unknown key and a probability above 1; no fault is active after', async () => {
    const bogus = thrown(() => room.injectFault({ type: 'bogus' } as unknown as Fault))
    expect(bogus).toBeInstanceOf(TypeError)
    expect(bogus.message).toBe(
      'room-simulator: injectFault: fault.type: expected one of closeAfterMessages, randomClose, malformedFrames, duplicateEvents, reorderEvents, stallReplies, hangDiscovery, oversizedConfig, configOtherHost, oversizedFrame, dropAfterAuth, redirectDownloads, received "bogus"',
    )
    const probability = thrown(() => room.injectFault({ type: 'randomClose', probability: 2 }))
    expect(probability).toBeInstanceOf(RangeError)
    expect(probability.message).toBe(
      'room-simulator: injectFault: fault.probability: expected a probability: a number 0..1, received 2',
    )
    expect(() =>
      room.injectFault({ type: 'duplicateEvents', probabilty: 0.5 } as unknown as Fault),
    ).toThrow('fault.probabilty: unknown key "probabilty"')
    expect(() => room.injectFault({ type: 'closeAfterMessages', count: 0 })).toThrow(
      'fault.count: expected an integer >= 1, received 0',
    )
    expect(() => room.injectFault({ type: 'closeAfterMessages', count: 2, code: 5 })).toThrow(
      RangeError,
    )
    expect(() => room.injectFault({ type: 'malformedFrames', kinds: ['xml' as 'json'] })).toThrow(
      'fault.kinds[0]',
    )
    expect(() => room.injectFault(undefined as unknown as Fault)).toThrow(TypeError)
    // None of them took effect: every event arrives once, valid, and the socket stays open.
    const id = room.offerFile({ fileName: 'a', size: 10 })
    await client.waitForEvent('fileRequestStatusChanged', (e) => e.fileRequestId === id)
    await client.request('getFileTransferAvailability')
    expect(client.events.map((e) => e.event)).toEqual([
      'receivedFileRequest',
      'fileRequestStatusChanged',
    ])
    expect(client.failures).toEqual([])
    expect(client.isOpen).toBe(true)
  })

  it('disconnectClients refuses a code WebSocket cannot send and leaves every client connected', async () => {
    const error = thrown(() => room.disconnectClients(5))
    expect(error).toBeInstanceOf(RangeError)
    expect(error.message).toBe(
      'room-simulator: disconnectClients: code: expected a WebSocket close code: 1000..1003, 1007..1014 or 3000..4999, received 5',
    )
    expect(() => room.disconnectClients(1006)).toThrow(RangeError)
    expect(room.clientCount).toBe(1)
    expect(await client.request('getFileTransferAvailability')).toMatchObject({ result: true })
    room.disconnectClients(4001)
    expect((await client.closed).code).toBe(4001)
  })

  it('failTransfer refuses an empty id and a percent above 100 without touching the transfer', async () => {
    const id = room.offerFile({ fileName: 'a', size: 10 })
    expect(() => room.failTransfer('')).toThrow(TypeError)
    expect(() => room.failTransfer('')).toThrow(
      'failTransfer: fileRequestId: expected FileRequestId: a non-empty string, received ""',
    )
    const error = thrown(() => room.failTransfer(id, 150))
    expect(error).toBeInstanceOf(RangeError)
    expect(error.message).toBe(
      'room-simulator: failTransfer: atPercent: expected Percent: a number 0..100, received 150',
    )
    await client.request('acceptIncomingFileRequest', { fileRequestId: id })
    await client.waitForEvent(
      'fileRequestStatusChanged',
      (e) => e.fileRequestId === id && e.status === 3,
    )
    expect(room.groundTruth()).toEqual([expect.objectContaining({ fileRequestId: id, status: 3 })])
  })

  it('whatever offerFile is given, it throws a TypeError or RangeError or every frame sent decodes', async () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
    const number = fc.oneof(
      fc.integer({ min: -10, max: 200 }),
      fc.double({ min: -1, max: 200 }),
      fc.constantFrom(Number.NaN, Infinity),
    )
    const offer = fc.record(
      {
        fileName: fc.oneof(fc.string({ maxLength: 8 }), fc.constant(3)),
        size: maybe(number),
        data: maybe(fc.oneof(fc.string({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }))),
        peerId: maybe(fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 6 }))),
        failAtPercent: maybe(number),
        progressStep: maybe(number),
        speed: maybe(number),
        durationMs: maybe(number),
        extra: maybe(fc.constant(1)),
      },
      { requiredKeys: ['fileName'] },
    )
    let accepted = 0
    await fc.assert(
      fc.asyncProperty(offer, async (value) => {
        try {
          room.offerFile(value as unknown as FileOffer)
          accepted++
        } catch (error) {
          expect(error instanceof TypeError || error instanceof RangeError).toBe(true)
          expect((error as Error).message).toMatch(/^room-simulator: offerFile: offer/)
        }
        await client.request('getFileTransferAvailability')
      }),
      { numRuns: 150, seed: 7 },
    )
    expect(accepted).toBeGreaterThan(0)
    expect(accepted).toBeLessThan(150)
    for (const frame of client.frames) expect(decodeRoomMessage(frame)._tag).toBe('Right')
    expect(client.failures).toEqual([])
  })
})

describe('startRoomSimulator checks its options', () => {
  it('refuses an empty PIN, a non-string PIN without printing it, an unknown option and a bad port', async () => {
    await expect(startRoomSimulator({ pin: '' })).rejects.toThrow(
      'room-simulator: startRoomSimulator: options.pin: expected a non-empty string, received an empty string',
    )
    const numeric = startRoomSimulator({ pin: 97531 as unknown as string })
    await expect(numeric).rejects.toThrow(TypeError)
    await expect(numeric).rejects.toThrow(
      /^(?!.*97531).*options\.pin: expected a non-empty string, received a value of type number$/,
    )
    await expect(startRoomSimulator({ timescale: 0 } as never)).rejects.toThrow(
      'options.timescale: unknown key "timescale"',
    )
    await expect(startRoomSimulator({ wsPort: 70000 })).rejects.toThrow(RangeError)
  })

  it('refuses an unknown preset or an invalid scenario with a TypeError naming options.scenario', async () => {
    const preset = startRoomSimulator({ scenario: 'dem' })
    await expect(preset).rejects.toThrow(TypeError)
    await expect(preset).rejects.toThrow(
      'room-simulator: startRoomSimulator: options.scenario: unknown scenario preset "dem"',
    )
    await expect(
      startRoomSimulator({
        scenario: { steps: [{ at: -1, offer: { fileName: 'a', size: 1 } }] } as never,
      }),
    ).rejects.toThrow(
      /^room-simulator: startRoomSimulator: options\.scenario: invalid scenario: scenario\.steps\[0\]\.at/,
    )
  })

  it('takes an option set to undefined as its default', async () => {
    const room = await startRoomSimulator({
      timeScale: undefined as unknown as number,
      seed: undefined as unknown as number,
    })
    try {
      const c = await TestClient.authed(room.urls.ws)
      const id = room.offerFile({ fileName: 'a', size: 10 })
      await c.request('acceptIncomingFileRequest', { fileRequestId: id })
      await c.waitForEvent(
        'fileRequestStatusChanged',
        (e) => e.fileRequestId === id && e.status === 3,
      )
      await c.close()
    } finally {
      await room.close()
    }
  })
})
