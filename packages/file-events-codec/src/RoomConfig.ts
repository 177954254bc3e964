import * as t from 'io-ts'
import { primitive } from './internal/codecs'

/**
 * A TCP port number, 0..65535.
 *
 * @category discovery
 * @since 0.1.0
 */
export const Port = /*#__PURE__*/ primitive(
  'Port',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 65535,
)
/** @category discovery @since 0.1.0 */
export type Port = number

const Endpoint = /*#__PURE__*/ t.type(
  { hostname: /*#__PURE__*/ t.union([t.string, t.null]), port: Port },
  'Endpoint',
)

/**
 * The discovery document, `GET http://HOST:WEBPORT/public/default/config.json`: the WebSocket
 * and HTTP ports (`hostname` is `null` on real rooms: use the host you asked).
 *
 * @example
 * import { RoomConfig } from '@org/file-events-codec'
 * RoomConfig.is({ config: { websocket: { hostname: null, port: 8765 }, http: { hostname: null, port: 8766 } } }) // true
 *
 * @category discovery
 * @since 0.1.0
 */
export const RoomConfig = /*#__PURE__*/ t.type(
  { config: /*#__PURE__*/ t.type({ websocket: Endpoint, http: Endpoint }) },
  'RoomConfig',
)
/** @category discovery @since 0.1.0 */
export type RoomConfig = t.TypeOf<typeof RoomConfig>

/**
 * Ports that clients fall back to when discovery fails (TrueConf's own clients use them).
 *
 * @category discovery
 * @since 0.1.0
 */
export const DEFAULT_PORTS = /*#__PURE__*/ Object.freeze({
  web: 80,
  websocket: 8765,
  http: 8766,
} as const)

/**
 * The path of the discovery document on the web port.
 *
 * @category discovery
 * @since 0.1.0
 */
export const CONFIG_PATH = '/public/default/config.json'
