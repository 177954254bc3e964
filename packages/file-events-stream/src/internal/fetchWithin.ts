/** Redirects followed on the same origin before giving up. */
const MAX_REDIRECTS = 5

/** Why a fetch was refused without reaching what it asked for. */
export class RedirectRefused extends Error {
  constructor(
    message: string,
    readonly location: string,
  ) {
    super(message)
  }
}

const NOT_REDIRECTED =
  'the server answered with a redirect, which a request with a body does not follow'

/**
 * `fetch` that follows no redirect at all, for a request with a body: an answer 3xx rejects with
 * {@link RedirectRefused}. It asks fetch to fail on a redirect (`redirect: 'error'`) rather than to
 * hand it over (`'manual'`), because Node 20's fetch keeps a copy of every piece of a streamed body
 * it may have to send again on a redirect it follows or hands over: an upload would be held in
 * memory whole.
 */
export const fetchOnce = async (
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
): Promise<Response> => {
  let response: Response
  try {
    response = await doFetch(url, { ...init, redirect: 'error' })
  } catch (error) {
    // undici says so in the cause; a browser's failure does not say why.
    const cause = (error as { cause?: { message?: unknown } } | null | undefined)?.cause
    if (cause?.message === 'unexpected redirect') throw new RedirectRefused(NOT_REDIRECTED, '')
    throw error
  }
  if (response.status >= 300 && response.status <= 399 && response.status !== 304) {
    await response.body?.cancel().catch(() => undefined)
    throw new RedirectRefused(NOT_REDIRECTED, '')
  }
  return response
}

/**
 * `fetch`, following redirects only on the URL's own origin: a room's server that redirects to
 * another host does not get the token or the PIN-derived session sent there. A redirect elsewhere,
 * or one a browser hides (`opaqueredirect`), rejects with {@link RedirectRefused}. `init` is called
 * for every hop. For requests without a body (discovery, downloads); uploads use {@link fetchOnce}.
 */
export const fetchWithin = async (
  doFetch: typeof fetch,
  url: string,
  init: () => RequestInit,
): Promise<Response> => {
  const start = new URL(url)
  let current = url
  for (let hop = 0; ; hop++) {
    const request = init()
    const response = await doFetch(current, { ...request, redirect: 'manual' })
    if (response.type === 'opaqueredirect') {
      throw new RedirectRefused('the server answered with a redirect, which is not followed', '')
    }
    if (response.status < 300 || response.status > 399 || response.status === 304) return response
    const location = response.headers.get('location')
    await response.body?.cancel().catch(() => undefined)
    if (location === null)
      throw new RedirectRefused(
        `the server answered HTTP ${response.status} without a Location`,
        '',
      )
    let next: URL
    try {
      next = new URL(location, current)
    } catch {
      throw new RedirectRefused(`the server redirected to a malformed location`, '')
    }
    if (next.origin !== start.origin) {
      throw new RedirectRefused(
        `the server redirected to another origin (${next.origin}), which is not followed`,
        next.origin,
      )
    }
    if (hop >= MAX_REDIRECTS)
      throw new RedirectRefused(`more than ${MAX_REDIRECTS} redirects`, next.origin)
    current = next.href
  }
}

/**
 * The body as text, reading at most `max` bytes: a longer body (declared or sent) rejects with
 * the byte count seen, without reading the rest.
 */
export const readTextWithin = async (response: Response, max: number): Promise<string> => {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => undefined)
    throw new TooLarge(declared, max)
  }
  const body = response.body
  if (body === null) return ''
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let bytes = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    bytes += value.byteLength
    if (bytes > max) {
      await reader.cancel().catch(() => undefined)
      throw new TooLarge(bytes, max)
    }
    chunks.push(value)
  }
  const all = new Uint8Array(bytes)
  let at = 0
  for (const chunk of chunks) {
    all.set(chunk, at)
    at += chunk.byteLength
  }
  return new TextDecoder('utf-8').decode(all)
}

/** A body over its cap. */
export class TooLarge extends Error {
  constructor(
    readonly bytes: number,
    readonly max: number,
  ) {
    super(`the body is over ${max} bytes (at least ${bytes})`)
  }
}

/** Whether this runs in a browser page, where a failed fetch is often a CORS refusal. */
export const inBrowser = (): boolean =>
  typeof (globalThis as { document?: unknown }).document === 'object' &&
  typeof (globalThis as { location?: { origin?: unknown } }).location?.origin === 'string'

/**
 * What to add to a fetch failure's message: in a browser, a network failure is also how a server
 * that does not allow the page's origin (CORS) looks, and the page cannot tell the two apart.
 */
export const corsHint = (error: unknown): string => {
  if (!inBrowser() || !(error instanceof TypeError)) return ''
  const page = (globalThis as unknown as { location: { origin: string } }).location.origin
  return ` (in a browser this is also what a room whose web server does not allow this page's origin, ${page}, looks like: CORS; the room must answer it with Access-Control-Allow-Origin)`
}
