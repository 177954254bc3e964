import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { isIP } from 'node:net'

/** What a handler reads from a request target: never a `URL` built from the raw target in place. */
export interface RequestTarget {
  readonly pathname: string
  readonly searchParams: URLSearchParams
  /** Path and query as sent (origin-form), for redirects. */
  readonly pathAndQuery: string
}

const BASE = 'http://room.invalid'

/**
 * Reads a request target without ever throwing: origin-form (`/path?query`) is read against a fixed
 * base by concatenation; absolute-form (`http://host/path`) is accepted as RFC 9112 asks of a server.
 * A target starting with `//` reads as an authority to URL parsers (`//host:99999/x`) and no client
 * sends one, so it is refused like anything else malformed (`*`, `a/b`, an unparsable URL):
 * `undefined`, which the servers answer with 400.
 */
export const parseRequestTarget = (target: string | undefined): RequestTarget | undefined => {
  if (target === undefined || target === '' || target.startsWith('//')) return undefined
  try {
    const url = target.startsWith('/')
      ? new URL(BASE + target)
      : /^https?:\/\//i.test(target)
        ? new URL(target)
        : undefined
    if (url === undefined) return undefined
    return {
      pathname: url.pathname,
      searchParams: url.searchParams,
      pathAndQuery: url.pathname + url.search,
    }
  } catch {
    return undefined
  }
}

export const sendJson = (
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void => {
  if (res.headersSent) return
  const body = JSON.stringify({ error: message })
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  })
  res.end(body)
}

/** Answers once the whole request body has been read, so the client never sees a reset mid-upload. */
export const drainThen = (req: IncomingMessage, respond: () => void): void => {
  if (req.readableEnded) {
    respond()
    return
  }
  req.on('end', respond)
  req.on('error', respond)
  req.resume()
}

/**
 * A request listener that cannot take the process down: a synchronous throw or a rejected promise
 * of `handler` is logged and answered with 500 (or the socket destroyed once headers went out).
 */
export const guarded =
  (
    what: string,
    log: (line: string) => void,
    handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  ): RequestListener =>
  (req, res) => {
    const fail = (error: unknown): void => {
      log(`${what}: a request failed: ${error instanceof Error ? error.message : String(error)}`)
      if (!res.headersSent) sendJson(res, 500, 'internal error', { Connection: 'close' })
      else res.destroy()
    }
    try {
      const result = handler(req, res)
      if (result instanceof Promise) result.catch(fail)
    } catch (error) {
      fail(error)
    }
  }

/**
 * What every handler does first: a malformed target is answered with 400, a CORS preflight from an
 * allowed origin with 204 (both return `undefined`); otherwise the target and the CORS headers of
 * the answer.
 */
export const openRequest = (
  req: IncomingMessage,
  res: ServerResponse,
  corsOrigins: ReadonlyArray<string>,
  methods: string,
): { readonly target: RequestTarget; readonly cors: Record<string, string> } | undefined => {
  const target = parseRequestTarget(req.url)
  if (target === undefined) {
    drainThen(req, () => sendJson(res, 400, 'malformed request target'))
    return undefined
  }
  if (answerPreflight(corsOrigins, req, res, methods)) return undefined
  return { target, cors: corsHeaders(corsOrigins, req) }
}

// ---------------------------------------------------------------------------------------------
// CORS

/** The headers a browser page may read from a simulator answer, besides the CORS-safelisted ones. */
const EXPOSED = 'FileId'

/**
 * The CORS answer headers for `req` under `origins` (`'*'` allows every origin): empty when the
 * request has no `Origin` or its origin is not allowed, so the browser refuses the answer to the page.
 */
export const corsHeaders = (
  origins: ReadonlyArray<string>,
  req: IncomingMessage,
): Record<string, string> => {
  const origin = req.headers.origin
  if (origins.length === 0 || typeof origin !== 'string') return {}
  if (origins.includes('*'))
    return { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': EXPOSED }
  if (!origins.includes(origin)) return {}
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': EXPOSED,
    Vary: 'Origin',
  }
}

/** A page of another origin that the room does not allow: it must not change state (upload). */
export const originRefused = (origins: ReadonlyArray<string>, req: IncomingMessage): boolean =>
  typeof req.headers.origin === 'string' && Object.keys(corsHeaders(origins, req)).length === 0

const isPreflight = (req: IncomingMessage): boolean =>
  req.method === 'OPTIONS' && typeof req.headers['access-control-request-method'] === 'string'

const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/

/**
 * Answers a CORS preflight from an allowed origin with 204 and returns true; anything else (not a
 * preflight, or an origin not allowed) is left to the handler.
 */
export const answerPreflight = (
  origins: ReadonlyArray<string>,
  req: IncomingMessage,
  res: ServerResponse,
  methods: string,
): boolean => {
  if (!isPreflight(req)) return false
  const headers = corsHeaders(origins, req)
  if (Object.keys(headers).length === 0) return false
  const requested = req.headers['access-control-request-headers']
  drainThen(req, () => {
    res.writeHead(204, {
      ...headers,
      'Access-Control-Allow-Methods': methods,
      ...(typeof requested === 'string' && HEADER_LIST.test(requested)
        ? { 'Access-Control-Allow-Headers': requested }
        : {}),
      'Access-Control-Max-Age': '600',
      'Content-Length': '0',
    })
    res.end()
  })
  return true
}

/** Host names no page can reach through a rebound DNS name. */
const isRebindSafe = (hostname: string, boundHost: string): boolean =>
  isIP(hostname.replace(/^\[(.*)\]$/, '$1')) !== 0 ||
  hostname === 'localhost' ||
  hostname === boundHost

/**
 * Whether a WebSocket handshake may go ahead: no `Origin` (Node and Python clients, other
 * programs), an origin allowed by `origins`, or the WebSocket server's own origin (Python's
 * `websocket-client` sends `Origin: http://{Host}` by default) at a host name no other site can
 * rebind to. A page of any other origin in the user's browser is refused.
 */
export const handshakeOriginAllowed = (
  origins: ReadonlyArray<string>,
  req: IncomingMessage,
  boundHost: string,
): boolean => {
  const origin = req.headers.origin
  if (typeof origin !== 'string') return true
  if (origins.includes('*') || origins.includes(origin)) return true
  const host = req.headers.host
  if (typeof host !== 'string' || (origin !== `http://${host}` && origin !== `https://${host}`))
    return false
  try {
    return isRebindSafe(new URL(origin).hostname, boundHost)
  } catch {
    return false
  }
}
