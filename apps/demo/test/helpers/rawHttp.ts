import { connect } from 'node:net'

export interface RawAnswer {
  readonly status: number
  /** The whole answer as received: status line, headers and body. */
  readonly raw: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * Sends `text` as is to `url`'s host and port and reads the answer until the server closes (every
 * request sent here says `Connection: close`, or is one the server refuses and closes on).
 */
export const rawRequest = (url: string, text: string): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url)
    const socket = connect({ host: hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(port) })
    let raw = ''
    socket.setEncoding('latin1')
    socket.on('connect', () => socket.write(text, 'latin1'))
    socket.on('data', (chunk: string) => (raw += chunk))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error)
    })
    socket.on('close', () => {
      const end = raw.indexOf('\r\n\r\n')
      const head = raw.slice(0, end === -1 ? raw.length : end).split('\r\n')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0)
      const headers = Object.fromEntries(
        head.slice(1).map((line) => {
          const at = line.indexOf(':')
          return [line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()]
        }),
      )
      resolve({ status, raw, headers, body: end === -1 ? '' : raw.slice(end + 4) })
    })
  })

export interface RequestParts {
  readonly method?: string
  readonly path?: string
  /** The `Host` header; `null` sends none. */
  readonly host?: string | null
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
}

/** One HTTP/1.1 request's text, with `Connection: close`. */
export const requestText = (parts: RequestParts): string => {
  const lines = [`${parts.method ?? 'GET'} ${parts.path ?? '/'} HTTP/1.1`]
  if (parts.host !== null && parts.host !== undefined) lines.push(`Host: ${parts.host}`)
  for (const [name, value] of Object.entries(parts.headers ?? {})) lines.push(`${name}: ${value}`)
  if (parts.body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(parts.body)}`)
  lines.push('Connection: close')
  return `${lines.join('\r\n')}\r\n\r\n${parts.body ?? ''}`
}

/**
 * Every request a process on the machine, or a page of another site, might send without the page
 * secret: each route (and others) by each method, under the right and wrong `Host`, with no, the
 * page's own or another `Origin`, without a cookie or with a wrong one, with and without a body.
 * `port` is the page server's; `token` a wrong token to try.
 */
export const requestsWithoutSecret = (port: number): RequestParts[] => {
  const paths = [
    '/',
    '/session.json',
    '/dashboard.js',
    '/favicon.ico',
    '/nope',
    '/?token=wrong',
    '/session.json?x=1',
  ]
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']
  const hosts = [
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    `evil.example:${port}`,
    '127.0.0.1',
    null,
  ]
  const origins = [undefined, `http://127.0.0.1:${port}`, 'http://evil.example']
  const cookies = [undefined, `room-files-demo-${port}=wrong`, 'other=1']
  const bodies = [undefined, '{"malformed', 'x'.repeat(5000)]
  const all: RequestParts[] = []
  for (const path of paths)
    for (const method of methods)
      for (const host of hosts)
        for (const origin of origins)
          for (const cookie of cookies) {
            const body = bodies[all.length % bodies.length]
            all.push({
              method,
              path,
              host,
              headers: {
                ...(origin === undefined ? {} : { Origin: origin }),
                ...(cookie === undefined ? {} : { Cookie: cookie }),
              },
              ...(body === undefined ? {} : { body }),
            })
          }
  return all
}

/** Sends every request, `parallel` at a time, and returns the answers in order. */
export const sendAll = async (
  url: string,
  requests: ReadonlyArray<RequestParts>,
  parallel = 50,
): Promise<RawAnswer[]> => {
  const answers: RawAnswer[] = []
  for (let at = 0; at < requests.length; at += parallel)
    answers.push(
      ...(await Promise.all(
        requests.slice(at, at + parallel).map((parts) => rawRequest(url, requestText(parts))),
      )),
    )
  return answers
}

/** The cookie `Set-Cookie` stores, as a `Cookie` header value. */
export const cookieOf = (answer: RawAnswer): string =>
  (answer.headers['set-cookie'] ?? '').split(';')[0] ?? ''
