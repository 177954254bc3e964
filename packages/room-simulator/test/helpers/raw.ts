import { connect } from 'node:net'

/**
 * Sends `text` as is on a new TCP connection and resolves with the status code of the first answer
 * line, or `closed` when the server closed without answering. A library would refuse to send most of
 * these requests, hence the raw socket.
 */
export const rawStatus = (url: string, text: string): Promise<number | 'closed'> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url)
    const socket = connect({ host: hostname, port: Number(port) })
    let received = ''
    socket.setEncoding('latin1')
    socket.on('connect', () => socket.write(text, 'latin1'))
    socket.on('data', (chunk: string) => {
      received += chunk
      const line = /^HTTP\/1\.[01] (\d{3})/.exec(received)
      if (line !== null) {
        resolve(Number(line[1]))
        socket.destroy()
      }
    })
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' ? resolve('closed') : reject(error),
    )
    socket.on('close', () => resolve('closed'))
  })

/**
 * Request lines and headers a hostile client sends, each with the answer expected (`4xx`: any client
 * error, chosen by Node's parser before a handler runs). `TOKEN` is replaced by a valid HTTP token.
 */
export const HOSTILE_REQUESTS: ReadonlyArray<{
  readonly name: string
  readonly text: string
  readonly status: number | '4xx'
}> = [
  { name: 'GET //', text: 'GET // HTTP/1.1\r\nHost: x\r\n\r\n', status: 400 },
  {
    name: 'a port out of range',
    text: 'GET //a:99999/public/default/config.json?token=TOKEN HTTP/1.1\r\nHost: x\r\n\r\n',
    status: 400,
  },
  {
    name: 'a bad IPv6 authority',
    text: 'GET //[::1/files/1?token=TOKEN HTTP/1.1\r\nHost: x\r\n\r\n',
    status: 400,
  },
  {
    name: 'a bad absolute-form',
    text: 'GET http://[::1/files/ HTTP/1.1\r\nHost: x\r\n\r\n',
    status: 400,
  },
  { name: 'asterisk-form', text: 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n', status: 400 },
  {
    name: 'a relative target',
    text: 'GET files/1?token=TOKEN HTTP/1.1\r\nHost: x\r\n\r\n',
    status: 400,
  },
  {
    name: 'a bad upload target',
    text: 'POST //x/files/?token=TOKEN HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc',
    status: 400,
  },
  {
    name: 'bad percent-encoding',
    text: 'GET /files/%E0%A4%A?token=%ZZ%TOKEN HTTP/1.1\r\nHost: x\r\n\r\n',
    status: '4xx',
  },
  {
    name: 'a leading-zero file id',
    text: 'GET /files/01?token=TOKEN HTTP/1.1\r\nHost: x\r\n\r\n',
    status: '4xx',
  },
  { name: 'garbage', text: 'GARBAGE\r\n\r\n', status: '4xx' },
  { name: 'an unknown HTTP version', text: 'GET / HTTP/9.9\r\nHost: x\r\n\r\n', status: '4xx' },
  { name: 'a control character', text: 'GET /\x7f\x01 HTTP/1.1\r\nHost: x\r\n\r\n', status: '4xx' },
  {
    name: 'a 20 KB target',
    text: `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    status: '4xx',
  },
  {
    name: 'a bad Content-Length',
    text: 'POST /files/?token=TOKEN HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n',
    status: '4xx',
  },
  {
    name: 'two Content-Lengths',
    text: 'POST /files/?token=TOKEN HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    status: '4xx',
  },
  {
    name: 'a header without a colon',
    text: 'GET /public/default/config.json HTTP/1.1\r\nHost x\r\n\r\n',
    status: '4xx',
  },
  {
    name: 'a WebSocket upgrade to //',
    text: 'GET // HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    status: '4xx',
  },
  {
    name: 'a broken multipart body',
    text: 'POST /files/?token=TOKEN HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=zz\r\nContent-Length: 20\r\n\r\n--zz\r\nbroken\r\n\r\n--zz',
    status: '4xx',
  },
  {
    name: 'a multipart type without boundary',
    text: 'POST /files/?token=TOKEN HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data\r\nContent-Length: 0\r\n\r\n',
    status: '4xx',
  },
]

/** Sends every hostile request to `url` and returns what came back, by request name. */
export const sendHostile = async (
  url: string,
  token: string,
): Promise<Record<string, number | 'closed'>> => {
  const answers: Record<string, number | 'closed'> = {}
  for (const request of HOSTILE_REQUESTS)
    answers[request.name] = await rawStatus(url, request.text.replaceAll('TOKEN', token))
  return answers
}

/** The answers `sendHostile` should have got from a server that handles every request itself. */
export const expectedAnswers = (): Record<string, number | 'closed' | 'client error'> =>
  Object.fromEntries(
    HOSTILE_REQUESTS.map((r) => [r.name, r.status === '4xx' ? 'client error' : r.status]),
  )

/** `answers` with every 4xx that the table does not pin shown as `client error`, for one comparison. */
export const classify = (
  answers: Record<string, number | 'closed'>,
): Record<string, number | 'closed' | 'client error'> =>
  Object.fromEntries(
    Object.entries(answers).map(([name, status]) => {
      const pinned = HOSTILE_REQUESTS.find((r) => r.name === name)?.status
      return [
        name,
        pinned === '4xx' && typeof status === 'number' && status >= 400 && status < 500
          ? 'client error'
          : status,
      ]
    }),
  )
