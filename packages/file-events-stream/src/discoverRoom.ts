import {
  CONFIG_PATH,
  FILE_DOWNLOAD_PATH as CODEC_DOWNLOAD_PATH,
  FILE_UPLOAD_PATH as CODEC_UPLOAD_PATH,
  RoomConfig,
  formatDecodeErrors,
} from '@org/file-events-codec'
import { DiscoveryError, type DiscoveryFailureReason, messageOf } from './errors'
import {
  RedirectRefused,
  TooLarge,
  corsHint,
  fetchWithin,
  readTextWithin,
} from './internal/fetchWithin'

/**
 * Path of the upload endpoint of the room's built-in HTTP server (`POST`, multipart field `file`,
 * the new id in the `FileId` response header). Re-exported from `@org/file-events-codec`, where it
 * is defined.
 *
 * @category http
 * @since 0.1.0
 */
export const FILE_UPLOAD_PATH: string = CODEC_UPLOAD_PATH

/**
 * Path prefix of the download endpoint: `GET {FILE_DOWNLOAD_PATH}{fileId}?token=T`. The real
 * room does not document its download path; it is chosen once, in `@org/file-events-codec`, which
 * the simulator serves too.
 *
 * @category http
 * @since 0.1.0
 */
export const FILE_DOWNLOAD_PATH: string = CODEC_DOWNLOAD_PATH

/**
 * The `fetch` function the HTTP calls use.
 *
 * @category http
 * @since 0.1.0
 */
export type FetchLike = typeof fetch

/**
 * Where the room listens, after discovery or from explicit options.
 *
 * @category connection
 * @since 0.1.0
 */
export interface RoomEndpoints {
  readonly wsUrl: string
  readonly httpUrl: string
}

/**
 * `scheme://host:port` for a host that may be an IPv6 literal.
 *
 * @internal
 */
export const origin = (scheme: string, host: string, port: number): string =>
  `${scheme}://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`

/**
 * Options of {@link discoverRoom}.
 *
 * @category connection
 * @since 0.1.0
 */
export interface DiscoverRoomOptions {
  readonly host: string
  readonly webPort: number
  readonly secure?: boolean
  readonly fetch?: FetchLike
  /** Aborts the request and the reading of its body. */
  readonly signal?: AbortSignal
  /**
   * Time allowed for the whole discovery (answer and body); past it, a `DiscoveryError`.
   *
   * @default 10000
   */
  readonly timeoutMs?: number
  /**
   * Use a `hostname` the document names even when it is another host than `host`.
   *
   * @default false
   */
  readonly trustDiscoveredHosts?: boolean
  /**
   * The most of the document that is read, in bytes.
   *
   * @default 65536
   */
  readonly maxBytes?: number
}

/**
 * What discovery found: the URLs, and the hosts the document named that were not used.
 *
 * @category connection
 * @since 0.1.0
 */
export interface DiscoveredRoom extends RoomEndpoints {
  /** Host names the document gave that are not `host`, ignored because `trustDiscoveredHosts` is off. */
  readonly ignoredHosts: ReadonlyArray<string>
}

const DEFAULT_MAX_BYTES = 64 * 1024
const DEFAULT_TIMEOUT_MS = 10_000

/**
 * The host as URLs spell it (lower case, punycode, IPv6 in brackets), for comparing two of them;
 * `undefined` when it is not one host name or address that URL parsing reads as it is.
 *
 * @internal
 */
export const hostnameOf = (host: string): string | undefined => {
  if (/[\s/?#@\\%]/.test(host)) return undefined
  try {
    const url = new URL(origin('http', host, 1))
    return url.port === '1' && url.hostname !== '' ? url.hostname : undefined
  } catch {
    return undefined
  }
}

/**
 * Reads the discovery document `http(s)://host:webPort/public/default/config.json` and returns
 * the WebSocket and HTTP URLs. At most `maxBytes` (64 KiB) are read; a redirect to another origin is
 * not followed. A `hostname` that is `null`, empty or `host` means `host`; any other host is
 * ignored (and listed in `ignoredHosts`) unless `trustDiscoveredHosts` is set, since the document
 * would otherwise decide where the PIN goes. A malformed host or a port outside 1..65535 is a
 * {@link DiscoveryError}, as is every other failure.
 *
 * @category connection
 * @since 0.1.0
 */
export const discoverRoom = async (options: DiscoverRoomOptions): Promise<DiscoveredRoom> => {
  const doFetch = options.fetch ?? globalThis.fetch
  const secure = options.secure === true
  const url = origin(secure ? 'https' : 'http', options.host, options.webPort) + CONFIG_PATH
  const fail = (reason: DiscoveryFailureReason, detail: string, cause?: unknown): DiscoveryError =>
    new DiscoveryError({ reason, url, detail }, cause === undefined ? undefined : { cause })
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES
  // Its own signal: aborted by the caller's, or by the time limit, whichever comes first.
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const controller = new AbortController()
  const timedOut = fail('timeout', `did not answer within ${timeoutMs} ms`)
  const timer = setTimeout(() => controller.abort(timedOut), timeoutMs) as { unref?: () => void }
  timer.unref?.()
  const caller = options.signal
  const follow = (): void => controller.abort(caller?.reason)
  if (caller?.aborted === true) follow()
  else caller?.addEventListener('abort', follow, { once: true })
  let text: string
  try {
    const response = await fetchWithin(doFetch, url, () => ({ signal: controller.signal }))
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined)
      throw fail('http-status', `answered HTTP ${response.status}`)
    }
    text = await readTextWithin(response, max)
  } catch (error) {
    if (controller.signal.reason === timedOut) throw timedOut
    if (error instanceof DiscoveryError) throw error
    if (error instanceof TooLarge) throw fail('too-large', `sent a document over ${max} bytes`)
    if (error instanceof RedirectRefused) throw fail('redirect', `failed: ${error.message}`)
    throw fail('unreachable', `failed: ${messageOf(error)}${corsHint(error)}`, error)
  } finally {
    clearTimeout(timer as Parameters<typeof clearTimeout>[0])
    caller?.removeEventListener('abort', follow)
    // The body is read (or the request failed): aborting now changes nothing for it, but removes
    // the listener fetch left on the signal, which would otherwise keep its request alive.
    controller.abort()
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw fail('invalid', `returned an invalid document: not JSON`)
  }
  const decoded = RoomConfig.decode(body)
  if (decoded._tag === 'Left')
    throw fail(
      'invalid',
      `returned an invalid document: ${formatDecodeErrors(decoded.left, { maxLines: 5 }).join('; ')}`,
    )
  const own = hostnameOf(options.host)
  const ignoredHosts: string[] = []
  const endpoint = (
    name: string,
    found: { readonly hostname: string | null; readonly port: number },
    scheme: string,
  ): string => {
    if (!(Number.isInteger(found.port) && found.port >= 1 && found.port <= 65535)) {
      throw fail('destination', `named ${name} port ${found.port}, not one from 1 to 65535`)
    }
    const named = found.hostname
    if (named === null || named === '') return origin(scheme, options.host, found.port)
    const canonical = hostnameOf(named)
    if (canonical === undefined)
      throw fail(
        'destination',
        `named a malformed ${name} host ${JSON.stringify(named.slice(0, 100))}`,
      )
    if (canonical === own) return origin(scheme, options.host, found.port)
    if (options.trustDiscoveredHosts === true) return origin(scheme, named, found.port)
    if (!ignoredHosts.includes(canonical)) ignoredHosts.push(canonical)
    return origin(scheme, options.host, found.port)
  }
  const { websocket, http } = decoded.right.config
  return {
    wsUrl: endpoint('WebSocket', websocket, secure ? 'wss' : 'ws'),
    httpUrl: endpoint('HTTP', http, secure ? 'https' : 'http'),
    ignoredHosts,
  }
}
