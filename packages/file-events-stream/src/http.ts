import {
  CONFIG_PATH,
  FILE_DOWNLOAD_PATH as CODEC_DOWNLOAD_PATH,
  FILE_UPLOAD_PATH as CODEC_UPLOAD_PATH,
  RoomConfig,
  formatDecodeErrors,
} from '@org/file-events-codec'
import { DiscoveryError, messageOf } from './errors'

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
 * Reads the discovery document `http(s)://host:webPort/public/default/config.json` and returns
 * the WebSocket and HTTP URLs. Rejects with {@link DiscoveryError}.
 *
 * @category connection
 * @since 0.1.0
 */
export const discoverRoom = async (options: {
  readonly host: string
  readonly webPort: number
  readonly secure?: boolean
  readonly fetch?: FetchLike
  readonly signal?: AbortSignal
}): Promise<RoomEndpoints> => {
  const doFetch = options.fetch ?? globalThis.fetch
  const secure = options.secure === true
  const url = origin(secure ? 'https' : 'http', options.host, options.webPort) + CONFIG_PATH
  let body: unknown
  try {
    const response = await doFetch(url, options.signal === undefined ? {} : { signal: options.signal })
    if (!response.ok) throw new DiscoveryError(`discovery at ${url} answered HTTP ${response.status}`, url)
    body = await response.json()
  } catch (error) {
    if (error instanceof DiscoveryError) throw error
    throw new DiscoveryError(`discovery at ${url} failed: ${messageOf(error)}`, url, {
      cause: error,
    })
  }
  const decoded = RoomConfig.decode(body)
  if (decoded._tag === 'Left') {
    throw new DiscoveryError(`discovery at ${url} returned an invalid document: ${formatDecodeErrors(decoded.left).join('; ')}`, url)
  }
  const { websocket, http } = decoded.right.config
  return {
    wsUrl: origin(secure ? 'wss' : 'ws', websocket.hostname ?? options.host, websocket.port),
    httpUrl: origin(secure ? 'https' : 'http', http.hostname ?? options.host, http.port),
  }
}
