import { join } from 'node:path'
import { createServer, type Socket } from 'node:net'
import { startRoomSimulator } from '@org/room-simulator'
import { fleetBenchmark, peakPerSlot, quantile, spreadOf, warmUp } from '../src/fleet'
import { SPREAD_BASE_PORT, spreadAddressesOf } from '../src/spreadLayout'

// The fleet's rooms run in child processes from the built scripts (`.ci/run` builds before jest).
process.env.BENCH_DIST = join(__dirname, '..', 'dist')

describe('fleet statistics', () => {
  it('takes nearest-rank quantiles', () => {
    const sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    expect(quantile(sorted, 0)).toBe(10)
    expect(quantile(sorted, 0.1)).toBe(10)
    expect(quantile(sorted, 0.5)).toBe(50)
    expect(quantile(sorted, 0.9)).toBe(90)
    expect(quantile(sorted, 1)).toBe(100)
    expect(quantile([], 0.5)).toBeNaN()
  })

  it('spreads unsorted values and counts the busiest slot', () => {
    expect(spreadOf([300, 100, 200])).toEqual({ min: 100, p10: 100, p50: 200, p90: 300, max: 300 })
    expect(peakPerSlot([0, 50, 99, 100, 250], 100)).toBe(3)
    expect(peakPerSlot([], 100)).toBe(0)
  })
})

describe('a spread fleet', () => {
  it('gives each host a loopback address of its own', () => {
    expect(spreadAddressesOf(10_000, 1_000)).toEqual(
      Array.from({ length: 10 }, (_, h) => `127.0.0.${h + 2}`),
    )
    expect(spreadAddressesOf(1, 1)).toEqual(['127.0.0.2'])
  })

  it('refuses more rooms per host than fixed ports below the ephemeral range hold', () => {
    // 20,000 + 3 x 4,256 = 32,768: the last room's last port is 32,767.
    expect(spreadAddressesOf(4_256, 4_256)).toHaveLength(1)
    expect(() => spreadAddressesOf(4_257, 4_257)).toThrow(
      `a spread fleet holds at most 4256 rooms per host (ports from ${SPREAD_BASE_PORT} below 32768), not 4257`,
    )
    expect(() => spreadAddressesOf(30, 10, 32_740)).toThrow('at most 9 rooms per host')
  })

  it('refuses more hosts than 127.0.0.2 to 127.0.0.254', () => {
    expect(spreadAddressesOf(253, 1)).toHaveLength(253)
    expect(() => spreadAddressesOf(254, 1)).toThrow('at most 253 hosts')
  })
})

describe('the fleet benchmark at a small size', () => {
  it('connects every room, measures it, drops every room at once and sees every one come back', async () => {
    const f = await fleetBenchmark({
      rooms: 6,
      roomsPerHost: 4,
      idleWindowMs: 200,
      keepAliveWindowMs: 200,
      busyWindowMs: 400,
      transferringShare: 0.3,
    })
    expect(f.rooms).toBe(6)
    expect(f.hosts).toBe(2)
    expect(f.readyMs).toBeGreaterThan(0)
    expect(f.idleCpuShare).toBeGreaterThanOrEqual(0)
    expect(f.settleCpuShare).toBeGreaterThanOrEqual(0)
    expect(f.busy.transferringRooms).toBe(2)
    // Two rooms sending a file every 50 ms produce events.
    expect(f.busy.eventsPerSec).toBeGreaterThan(0)
    const a = f.reconnect.firstAttemptMs
    expect(a.min).toBeGreaterThan(0)
    expect(a.min).toBeLessThanOrEqual(a.max)
    expect(f.reconnect.peakAttemptsPer100Ms).toBeGreaterThanOrEqual(1)
    expect(f.reconnect.readyAgainMs).toBeGreaterThanOrEqual(a.max)
  }, 30_000)

  it('spread over loopback addresses and fixed ports, as beyond 5,000 rooms', async () => {
    const f = await fleetBenchmark({
      rooms: 4,
      roomsPerHost: 2,
      idleWindowMs: 200,
      keepAliveWindowMs: 200,
      busyWindowMs: 400,
      spreadAddresses: true,
      // Away from the default, in case a full run shares the machine.
      spreadBasePort: 24_000 + Math.floor(Math.random() * 2_000) * 3,
    })
    expect(f).toMatchObject({ rooms: 4, hosts: 2, spreadAddresses: true })
    expect(f.reconnect.readyAgainMs).toBeGreaterThan(0)
  }, 30_000)
})

describe('the fleet warm-up', () => {
  it('connects rooms until they are ready, then closes them', async () => {
    const room = await startRoomSimulator()
    try {
      const webPort = Number(new URL(room.urls.web).port)
      await expect(warmUp([{ host: '127.0.0.1', webPort }], 10_000, 0)).resolves.toBeUndefined()
    } finally {
      await room.close()
    }
  }, 30_000)

  it('gives up on a room that never answers, and leaves no connection open', async () => {
    const sockets = new Set<Socket>()
    const asked = new Set<Socket>()
    const silent = createServer((socket) => {
      sockets.add(socket)
      socket.once('data', () => asked.add(socket))
      socket.on('close', () => {
        sockets.delete(socket)
        asked.delete(socket)
      })
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const settle = async (set: Set<Socket>, ms: number): Promise<void> => {
      for (let waited = 0; waited < ms && set.size > 0; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20))
    }
    try {
      const { port } = silent.address() as { port: number }
      await expect(warmUp([{ host: '127.0.0.1', webPort: port }], 300, 0)).rejects.toThrow(
        'warm-up: a room was not ready after 300 ms',
      )
      // The discovery request the warm-up made is aborted at once...
      await settle(asked, 1_000)
      expect(asked.size).toBe(0)
      // ...and the connection fetch's pool may have opened since goes when it has been idle 4 s.
      await settle(sockets, 8_000)
      expect(sockets.size).toBe(0)
    } finally {
      silent.close()
    }
  }, 30_000)

  it('reports a room that closes for good (a PIN it was not given)', async () => {
    const room = await startRoomSimulator({ pin: '4321' })
    try {
      const webPort = Number(new URL(room.urls.web).port)
      await expect(warmUp([{ host: '127.0.0.1', webPort }], 10_000, 0)).rejects.toThrow(
        /^warm-up: a room closed \(/,
      )
    } finally {
      await room.close()
    }
  }, 30_000)
})
