/*
 * Where the rooms of a spread fleet listen (see `FleetOptions.spreadAddresses` in `fleet.ts`):
 * read by the watching process and by each host process, so that both agree.
 */

/** The first fixed port of a spread fleet: room k of a host listens on this + 3k to this + 3k + 2. */
export const SPREAD_BASE_PORT = 20_000

/** Where the fixed ports must stop: the ephemeral range starts at 32768 on Linux. */
const SPREAD_PORT_END = 32_768

/**
 * The loopback address of each host of a spread fleet (127.0.0.2 onwards), checked first: the
 * hosts' fixed ports must stay below the ephemeral range, and the addresses within 127.0.0.0/24.
 */
export const spreadAddressesOf = (
  rooms: number,
  perHost: number,
  basePort = SPREAD_BASE_PORT,
): string[] => {
  const hosts = Math.ceil(rooms / perHost)
  if (basePort + 3 * perHost > SPREAD_PORT_END)
    throw new Error(
      `a spread fleet holds at most ${Math.floor((SPREAD_PORT_END - basePort) / 3)} rooms per host (ports from ${basePort} below ${SPREAD_PORT_END}), not ${perHost}`,
    )
  if (hosts > 253)
    throw new Error(`a spread fleet has at most 253 hosts (127.0.0.2 to 127.0.0.254), not ${hosts}`)
  return Array.from({ length: hosts }, (_, h) => `127.0.0.${h + 2}`)
}

/** Room k's three fixed ports in a spread fleet. */
export const spreadPortsOf = (basePort: number, k: number) => ({
  webPort: basePort + 3 * k,
  wsPort: basePort + 3 * k + 1,
  httpPort: basePort + 3 * k + 2,
})
