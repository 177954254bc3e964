import type { Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import { CONFIG_PATH, type RoomConfig } from '@org/file-events-codec'
import { FAULT_DEFAULTS, type Fault, activeFault } from '../Fault'
import { drainThen, guarded, openRequest, sendJson } from './httpCommon'

export interface WebServerDeps {
  /** The bound ports, read when `config.json` is asked for. */
  readonly ports: () => { readonly ws: number; readonly http: number }
  readonly corsOrigins: ReadonlyArray<string>
  readonly faults: () => ReadonlyArray<Fault>
  readonly log: (line: string) => void
}

const PAD_CHUNK = Buffer.alloc(64 * 1024, 'x')

/** Streams `head`, padding, `tail` to `total` bytes in chunks made while writing, following backpressure. */
const streamPadded = (res: ServerResponse, head: string, total: number, tail: string): void => {
  let left = Math.max(0, total - head.length - tail.length)
  res.write(head)
  const pump = (): void => {
    while (left > 0) {
      if (res.destroyed) return
      const n = Math.min(left, PAD_CHUNK.length)
      left -= n
      if (!res.write(n === PAD_CHUNK.length ? PAD_CHUNK : PAD_CHUNK.subarray(0, n))) {
        res.once('drain', pump)
        return
      }
    }
    res.end(tail)
  }
  pump()
}

/**
 * The room's web server: `GET /public/default/config.json` (the discovery), with the discovery
 * faults (`hangDiscovery`, `oversizedConfig`, `configOtherHost`) applied; 404 for every other path.
 */
export const createWebServer = (deps: WebServerDeps): Server =>
  createServer(
    guarded('web', deps.log, (req, res) => {
      const opened = openRequest(req, res, deps.corsOrigins, 'GET, OPTIONS')
      if (opened === undefined) return
      const { target, cors } = opened
      if (req.method !== 'GET' || target.pathname !== CONFIG_PATH) {
        drainThen(req, () => sendJson(res, 404, 'not found', cors))
        return
      }
      const faults = deps.faults()
      if (activeFault(faults, 'hangDiscovery') !== undefined) {
        deps.log('fault: config.json request left unanswered')
        return
      }
      const hostname = activeFault(faults, 'configOtherHost')
      const name =
        hostname === undefined ? null : (hostname.hostname ?? FAULT_DEFAULTS.configOtherHostname)
      const { ws, http } = deps.ports()
      const config: RoomConfig = {
        config: { websocket: { hostname: name, port: ws }, http: { hostname: name, port: http } },
      }
      const body = JSON.stringify(config)
      const oversized = activeFault(faults, 'oversizedConfig')
      if (oversized !== undefined) {
        const head = `${body.slice(0, -1)},"padding":"`
        const tail = '"}'
        const total = Math.max(
          oversized.bytes ?? FAULT_DEFAULTS.oversizedConfigBytes,
          head.length + tail.length,
        )
        deps.log(`fault: config.json padded to ${total} bytes`)
        res.writeHead(200, {
          'Content-Type': 'application/json',
          ...(oversized.declareLength === true ? { 'Content-Length': String(total) } : {}),
          ...cors,
        })
        streamPadded(res, head, total, tail)
        return
      }
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        ...cors,
      })
      res.end(body)
    }),
  )
