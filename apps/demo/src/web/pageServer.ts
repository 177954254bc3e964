import {
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
  createServer,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { PAGE, refusalPage } from './page'
import { type PageSecret, createPageSecret } from './pageSecret'
import type { DashboardSession } from './session'

export interface PageServerOptions {
  /** Interface to bind. */
  readonly host: '127.0.0.1' | '::1'
  /** Port to listen on; 0 picks a free one. */
  readonly port: number
  /** The page's script (`/dashboard.js`). */
  readonly script: string
  /** What `/session.json` answers, once the room is known. */
  readonly session: () => DashboardSession | undefined
  /** The page secret's token (tests); a random one otherwise. */
  readonly token?: string
  /**
   * A connection must send its headers within this many milliseconds and is closed after as long
   * a silence (the page's requests are small and quick). @default 10000
   */
  readonly idleTimeoutMs?: number
}

export interface PageServer {
  /** The URL to open, page secret included: the one thing the demo prints. */
  readonly url: string
  /** The page's origins (`http://127.0.0.1:PORT`, `http://localhost:PORT`), for the room's CORS. */
  readonly origins: ReadonlyArray<string>
  close(): Promise<void>
}

/** No route takes a body; a declared one past this is refused unread (413). */
export const MAX_BODY_BYTES = 1024
const IDLE_TIMEOUT_MS = 10_000
/** A kept-alive connection idle this long between requests is closed. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000

/** Sent with every answer: nothing cached, sniffed, framed by another page or leaked in a Referer. */
const COMMON_HEADERS: OutgoingHttpHeaders = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
}

interface Route {
  readonly methods: ReadonlyArray<string>
  /** Needs the page secret: the route returns session data or acts. */
  readonly secret: boolean
  readonly type?: string
  readonly body?: (session: DashboardSession | undefined) => string | undefined
}

const routes = (script: string): Readonly<Record<string, Route>> => ({
  '/': {
    methods: ['GET', 'HEAD'],
    secret: true,
    type: 'text/html; charset=utf-8',
    body: () => PAGE,
  },
  '/dashboard.js': {
    methods: ['GET', 'HEAD'],
    secret: false,
    type: 'text/javascript; charset=utf-8',
    body: () => script,
  },
  '/session.json': {
    methods: ['GET'],
    secret: true,
    type: 'application/json',
    body: (session) => (session === undefined ? undefined : JSON.stringify(session)),
  },
  // No icon: an empty answer rather than a 404 in the page's console.
  '/favicon.ico': { methods: ['GET', 'HEAD'], secret: false },
})

const SECRET_NEEDED =
  'This dashboard needs the link the demo printed (it ends in ?token=...): open that link once in this browser.'

/**
 * The web demo's own server: the dashboard page, its script and the session (the room's address and
 * PIN). It answers only at `127.0.0.1` / `localhost` (and `[::1]` when bound there) on its port,
 * only to requests without an `Origin` or with its own, and gives the session only with the page
 * secret; each route answers its own methods and takes no body.
 */
export const startPageServer = async (options: PageServerOptions): Promise<PageServer> => {
  /** Known once the port is: the secret, and the names and origins of the page. */
  const bound: { context?: Context } = {}
  const server: Server = createServer((req, res) => {
    if (bound.context === undefined) res.writeHead(503, COMMON_HEADERS).end()
    else answer(req, res, bound.context)
  })
  const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS
  server.keepAliveTimeout = Math.min(KEEP_ALIVE_TIMEOUT_MS, idleTimeoutMs)
  server.headersTimeout = idleTimeoutMs
  // Socket inactivity, from the connection on: also closes one that never sends a byte, which
  // Node's headersTimeout (counted from a request's first byte) would keep.
  server.timeout = idleTimeoutMs
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const secret = createPageSecret(port, options.token)
  const names = options.host === '::1' ? ['[::1]', 'localhost'] : ['127.0.0.1', 'localhost']
  const origins = names.map((name) => `http://${name}:${port}`)
  bound.context = {
    table: routes(options.script),
    secret,
    hosts: new Set(names.map((name) => `${name}:${port}`)),
    origins,
    session: options.session,
  }
  return {
    url: `http://${names[0]}:${port}/?token=${secret.token}`,
    origins,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

interface Context {
  readonly table: Readonly<Record<string, Route>>
  readonly secret: PageSecret
  readonly hosts: ReadonlySet<string>
  readonly origins: ReadonlyArray<string>
  readonly session: () => DashboardSession | undefined
}

/** Answers with a body, closing the connection when the request's own body was left unread. */
const reply = (
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: OutgoingHttpHeaders = {},
): void => {
  const unread = !req.readableEnded && hasBody(req)
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    ...(unread ? { Connection: 'close' } : {}),
    ...headers,
  })
  res.end(req.method === 'HEAD' ? undefined : body)
}

const text = (
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  line: string,
  headers?: OutgoingHttpHeaders,
) => reply(req, res, status, 'text/plain; charset=utf-8', `${line}\n`, headers)

const page = (
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  title: string,
  line: string,
) => reply(req, res, status, 'text/html; charset=utf-8', refusalPage(title, line))

const hasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0')

const answer = (req: IncomingMessage, res: ServerResponse, ctx: Context): void => {
  const target = req.url ?? ''
  if (!target.startsWith('/') || target.startsWith('//')) {
    text(req, res, 400, 'malformed request target')
    return
  }
  const allowed = [...ctx.hosts].map((host) => `http://${host}/`).join(' or ')
  // Another name for this address is what a page of another site would use (DNS rebinding).
  if (!ctx.hosts.has(req.headers.host ?? '')) {
    page(
      req,
      res,
      403,
      'Open this dashboard at its own address',
      `This dashboard answers only at ${allowed}. It refuses other names for this machine, which a page of another site could use to read the room's PIN.`,
    )
    return
  }
  const origin = req.headers.origin
  if (origin !== undefined && !ctx.origins.includes(origin)) {
    text(req, res, 403, "requests from another site's page are refused")
    return
  }
  const url = new URL(`http://page.invalid${target}`)
  const route = Object.hasOwn(ctx.table, url.pathname) ? ctx.table[url.pathname] : undefined
  if (route === undefined) {
    text(req, res, 404, 'not found')
    return
  }
  if (!route.methods.includes(req.method ?? '')) {
    text(req, res, 405, `${url.pathname} answers ${route.methods.join(', ')} only`, {
      Allow: route.methods.join(', '),
    })
    return
  }
  if (hasBody(req)) {
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES)
      text(req, res, 413, `the request body is over ${MAX_BODY_BYTES} bytes`)
    else text(req, res, 400, `${url.pathname} takes no request body`)
    return
  }
  const token = url.searchParams.get('token') ?? undefined
  if (route.secret && url.pathname === '/' && ctx.secret.matches(token)) {
    // The secret leaves the address bar: the page lives at the bare URL, with the cookie.
    res.writeHead(303, {
      ...COMMON_HEADERS,
      Location: '/',
      'Set-Cookie': ctx.secret.setCookie,
      'Content-Length': 0,
    })
    res.end()
    return
  }
  if (route.secret && !ctx.secret.inCookies(req.headers.cookie)) {
    const why =
      token === undefined
        ? SECRET_NEEDED
        : `The link's token is not this dashboard's. ${SECRET_NEEDED}`
    if (url.pathname === '/') page(req, res, 403, 'This dashboard needs its link', why)
    else text(req, res, 403, why)
    return
  }
  const body = route.body?.(ctx.session())
  if (route.type === undefined) {
    res.writeHead(204, COMMON_HEADERS).end()
    return
  }
  if (body === undefined) {
    text(req, res, 503, 'the room is not known yet: try again in a moment')
    return
  }
  reply(req, res, 200, route.type, body)
}
