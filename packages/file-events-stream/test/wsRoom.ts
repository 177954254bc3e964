import { WebSocketServer } from 'ws'

const rooms: Array<() => Promise<void>> = []

/** Stops every room `startRoom` started, and their clients' sockets. */
export const closeRooms = async (): Promise<void> => {
  for (const close of rooms.splice(0)) await close()
}

/** A room on a real `ws` server (port 0), written from the protocol's documentation. */
export interface Room {
  readonly url: string
  /** Sends a frame's text to every client, as it is. */
  push(text: string): void
  /** The request ids the room was asked to accept, as received. */
  readonly accepted: string[]
  /** Frames the client sent, as received. */
  readonly received: Array<Record<string, unknown>>
  /** The sockets the room holds open. */
  clients(): number
}

/**
 * Starts a room that checks the PIN, answers the resync's lists with empty ones, accepts only the
 * request ids it `offered` (byte for byte; others get "unknown file request"), and answers any
 * other command with success, but those in `unanswered`. `closeRooms` (in `afterEach`) stops every
 * room started.
 */
export const startRoom = async (options: {
  readonly pin: string
  readonly offered: ReadonlyArray<string>
  readonly token?: string
  readonly tokenForHttpServer?: string
  /** Commands left without a reply (a command left waiting); `auth` here: a room that never answers. */
  readonly unanswered?: ReadonlyArray<string>
}): Promise<Room> => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const accepted: string[] = []
  const received: Array<Record<string, unknown>> = []
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>
      received.push(frame)
      if (options.unanswered?.includes(String(frame['method'])) === true) return
      const reply = (fields: Record<string, unknown>) =>
        socket.send(
          JSON.stringify({ method: frame['method'], requestId: frame['requestId'], ...fields }),
        )
      switch (frame['method']) {
        case 'auth':
          if (frame['credentials'] !== options.pin)
            return reply({ result: false, resultCode: 3, error: 'wrong credentials' })
          return reply({
            result: true,
            token: options.token ?? 'session-token-0123456789',
            tokenForHttpServer: options.tokenForHttpServer ?? 'http-token-0123456789',
          })
        case 'getIncomingFilesRequests':
          return reply({ result: true, incomingFilesRequests: [] })
        case 'getOutgoingFilesRequests':
          return reply({ result: true, outgoingFilesRequests: [] })
        case 'getFileTransferHistory':
          return reply({ result: true, filesRequests: [] })
        case 'acceptIncomingFileRequest': {
          const id = String(frame['fileRequestId'])
          accepted.push(id)
          return options.offered.includes(id)
            ? reply({ result: true })
            : reply({ result: false, error: 'unknown file request' })
        }
        default:
          return reply({ result: true })
      }
    })
  })
  const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`
  rooms.push(async () => {
    for (const client of wss.clients) client.terminate()
    await new Promise<void>((resolve) => wss.close(() => resolve()))
  })
  return {
    url,
    accepted,
    received,
    clients: () => wss.clients.size,
    push: (text) => {
      for (const client of wss.clients) client.send(text)
    },
  }
}
