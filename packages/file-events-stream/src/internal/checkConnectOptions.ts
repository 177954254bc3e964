/*
 * The checks `connectRoom` makes of its options before anything starts: a name it does not have
 * (a misspelt option), and endpoints that could never work (a URL as `host`, a port out of range,
 * a malformed URL, an empty PIN). Each fails at once with a `ConfigurationError`.
 */
import type { ConnectRoomOptions } from '../connectOptions'
import { hostnameOf } from '../discoverRoom'
import { ConfigurationError, redactUrl } from '../errors'

/** Every option's name: the type makes sure none is missing and none is extra. */
const OPTION_NAMES: { readonly [K in keyof Required<ConnectRoomOptions>]: true } = {
  host: true,
  webPort: true,
  wsUrl: true,
  httpUrl: true,
  secure: true,
  discoveryFallback: true,
  trustDiscoveredHosts: true,
  pin: true,
  WebSocketCtor: true,
  webSocketOptions: true,
  fetch: true,
  backoff: true,
  maxRetries: true,
  connectTimeoutMs: true,
  handshakeLimiter: true,
  minUptimeMs: true,
  requestTimeoutMs: true,
  maxQueuedRequests: true,
  apiVersion: true,
  resync: true,
  tracker: true,
  httpTokenMaxAgeMs: true,
  httpTimeoutMs: true,
  keepAliveMs: true,
  logger: true,
  scheduler: true,
  maxFrameBytes: true,
}

/** A misspelt option (`keepaliveMs`) would be ignored without a word: it is refused, with the right name. */
export const checkNames = (o: ConnectRoomOptions): void => {
  for (const key of Object.keys(o)) {
    if (Object.prototype.hasOwnProperty.call(OPTION_NAMES, key)) continue
    const near = Object.keys(OPTION_NAMES).find((name) => name.toLowerCase() === key.toLowerCase())
    const shown = JSON.stringify(key.slice(0, 60))
    throw new ConfigurationError({
      detail: `connectRoom has no option ${shown}${near === undefined ? '' : `: did you mean \`${near}\`?`}`,
    })
  }
}

/**
 * A URL or a `host:port` given as `host`, a URL that does not parse or has the wrong scheme, a port
 * out of range, an empty PIN.
 */
export const checkEndpoints = (o: ConnectRoomOptions): void => {
  if (o.host === undefined && o.wsUrl === undefined) {
    throw new ConfigurationError({ detail: 'connectRoom needs `host` (with discovery) or `wsUrl`' })
  }
  // An empty PIN is a mistake (an empty environment variable, say), not a room without a PIN.
  if (o.pin === '')
    throw new ConfigurationError({
      detail: '`pin` is empty: give the PIN, or leave `pin` out for a room without one',
    })
  const host: unknown = o.host
  if (host !== undefined) {
    // Quoted back only without what could be a secret: user info (`user:pin@`) and the PIN itself.
    const shown = (value: string): string => {
      const withoutUser = value.replace(/^([^@]*:\/\/)?[^@/]*@/, '$1***@')
      return JSON.stringify(
        typeof o.pin === 'string' && o.pin !== ''
          ? withoutUser.split(o.pin).join('***')
          : withoutUser,
      )
    }
    const text = String(host)
    const hint = text.includes('://') ? ': for URLs, use `wsUrl` and `httpUrl`' : ''
    const notAHost = (): ConfigurationError =>
      new ConfigurationError({
        detail: `\`host\` takes a host name or an IP address (such as 192.168.1.20), not ${shown(text)}${hint}`,
      })
    if (typeof host !== 'string' || host === '' || /[\s/?#@\\]/.test(host)) throw notAHost()
    // `name:port` or `[v6]:port`; a bare IPv6 address has colons too, but more than one and no brackets.
    const withPort = /^([^:[\]]+|\[[^\]]*\]):(\d*)$/.exec(host)
    if (withPort !== null) {
      throw new ConfigurationError({
        detail: `\`host\` takes no port: pass host ${shown(withPort[1] as string)}, and the web port as \`webPort\``,
      })
    }
    if (hostnameOf(host) === undefined) throw notAHost()
  }
  if (o.webPort !== undefined && !isPort(o.webPort)) {
    throw new ConfigurationError({
      detail: `\`webPort\` must be an integer from 1 to 65535, not ${String(o.webPort)}`,
    })
  }
  const urls: ReadonlyArray<readonly [string, unknown, ReadonlyArray<string>]> = [
    ['wsUrl', o.wsUrl, ['ws:', 'wss:']],
    ['httpUrl', o.httpUrl, ['http:', 'https:']],
  ]
  for (const [key, value, schemes] of urls) {
    if (value === undefined) continue
    let url: URL
    try {
      url = new URL(String(value))
    } catch {
      throw new ConfigurationError({
        detail: `\`${key}\` is not a valid URL: ${JSON.stringify(redactUrl(String(value)))}`,
      })
    }
    if (!schemes.includes(url.protocol)) {
      throw new ConfigurationError({
        detail: `\`${key}\` must start with ${schemes.map((p) => `${p}//`).join(' or ')}, not ${url.protocol}//`,
      })
    }
  }
}

/**
 * Whether `port` is a TCP port a client can connect to (1..65535).
 *
 * @internal
 */
export const isPort = (port: unknown): port is number =>
  typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535
