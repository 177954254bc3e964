import type { IncomingMessage, Server } from 'node:http'
import type { Socket } from 'node:net'

export interface SilenceLimits {
  /** A connection must send a request's headers within this many milliseconds of connecting. */
  readonly headersTimeoutMs: number
  /** An idle kept-alive connection is closed after this many milliseconds. */
  readonly keepAliveTimeoutMs: number
}

/**
 * Closes the connections of `server` that never speak. Node's own `headersTimeout` counts from a
 * request's first byte only, so a socket that connects and sends nothing is never timed out by it;
 * here every connection gets `headersTimeoutMs` to complete its first request's headers (a plain
 * request, or a WebSocket handshake reported through `heard`), then Node's `headersTimeout` (same value, checked every 30 s)
 * and `keepAliveTimeout` bound the requests that follow on it.
 */
export const closeSilentConnections = (
  server: Server,
  limits: SilenceLimits,
): { readonly heard: (socket: Socket) => void } => {
  server.headersTimeout = limits.headersTimeoutMs
  server.keepAliveTimeout = limits.keepAliveTimeoutMs
  // Node refuses a request timeout shorter than the headers timeout.
  if (server.requestTimeout > 0 && server.requestTimeout < limits.headersTimeoutMs)
    server.requestTimeout = limits.headersTimeoutMs
  const silent = new Map<Socket, ReturnType<typeof setTimeout>>()
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), limits.headersTimeoutMs)
    timer.unref()
    silent.set(socket, timer)
    socket.once('close', () => spoke(socket))
  })
  const spoke = (socket: Socket): void => {
    const timer = silent.get(socket)
    if (timer === undefined) return
    clearTimeout(timer)
    silent.delete(socket)
  }
  server.on('request', (req: IncomingMessage) => spoke(req.socket))
  // No 'upgrade' listener here: with one, Node would hand every upgrade request of a plain HTTP
  // server to it instead of answering it. A WebSocket server reports its handshakes through `heard`.
  return { heard: spoke }
}
