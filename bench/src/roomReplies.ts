/**
 * What the benchmarks' frame senders (`blaster.ts`, `sparseHost.ts`) share: a room's replies to
 * `auth` and the resync lists, and server frames built by hand.
 */

/** One unmasked, final text frame (RFC 6455 section 5.2), as a server sends it. */
export const textFrame = (text: string): Buffer => {
  const payload = Buffer.from(text)
  const n = payload.length
  const header =
    n < 126
      ? Buffer.from([0x81, n])
      : n < 65536
        ? Buffer.from([0x81, 126, n >> 8, n & 0xff])
        : Buffer.alloc(10)
  if (n >= 65536) {
    header[0] = 0x81
    header[1] = 127
    header.writeBigUInt64BE(BigInt(n), 2)
  }
  return Buffer.concat([header, payload])
}

/**
 * A room's reply to a request: `auth` with tokens, the three lists empty, the availability (the
 * connection's keep-alive probe) 3, anything else `result: true`.
 */
export const replyTo = (request: { method?: unknown; requestId?: unknown }): string => {
  const base = {
    method: request.method,
    requestId: typeof request.requestId === 'string' ? request.requestId : '',
  }
  switch (request.method) {
    case 'auth':
      return JSON.stringify({
        ...base,
        previleges: 2,
        token: 'bench-token',
        tokenForHttpServer: 'bench-http-token',
        result: true,
      })
    case 'getIncomingFilesRequests':
      return JSON.stringify({ ...base, incomingFilesRequests: [], result: true })
    case 'getOutgoingFilesRequests':
      return JSON.stringify({ ...base, outgoingFilesRequests: [], result: true })
    case 'getFileTransferHistory':
      return JSON.stringify({ ...base, filesRequests: [], result: true })
    case 'getFileTransferAvailability':
      return JSON.stringify({ ...base, availability: 3, result: true })
    default:
      return JSON.stringify({ ...base, result: true })
  }
}
