import { readFile } from 'node:fs/promises'
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type DemoIO, SetupError, loadScenario, startRoom } from '../demo'
import type { DemoOptions } from '../options'
import type { DashboardSession } from './session'

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2330; background: #f6f7f9 }
h1 { font-size: 1.2rem; margin: 0 0 .25rem }
#status { margin-bottom: 1rem; color: #4a5568 }
#error:empty { display: none }
#error { background: #fde8e8; color: #8a1c1c; padding: .6rem .8rem; border-radius: 6px; margin-bottom: 1rem }
table { border-collapse: collapse; width: 100%; background: #fff; box-shadow: 0 1px 2px #0002 }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #e5e7eb; white-space: nowrap }
td.name { max-width: 18rem; overflow: hidden; text-overflow: ellipsis }
td.size { text-align: right }
progress { width: 8rem; vertical-align: middle }
.state { font-weight: 600 }
.complete { color: #15803d } .failed { color: #b91c1c } .rejected { color: #b45309 }
.waiting { color: #0e7490 } .receiving, .sending { color: #1d4ed8 }
.anomalies { color: #b45309 }
form { margin: 1rem 0; display: flex; gap: .5rem; align-items: center }
pre { background: #fff; padding: .6rem; min-height: 6rem; box-shadow: 0 1px 2px #0002 }
`

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Room file transfers</title>
<meta name="viewport" content="width=device-width"><style>${STYLE}</style></head>
<body data-connection="starting">
<h1>TrueConf Room file transfers</h1>
<div id="status"><span id="room"></span> · connection: <b id="connection">starting</b> · bad frames: <b id="bad-frames">0</b> · <span id="summary"></span></div>
<div id="error"></div>
<table><thead><tr><th></th><th>peer</th><th>file</th><th>size</th><th>progress</th><th>status</th><th>anomalies</th><th></th></tr></thead>
<tbody id="transfers"></tbody></table>
<form id="send"><b>Send a file</b> <input type="file" id="send-file"> to <input id="send-to" size="28"> <button>Send</button></form>
<pre id="log"></pre>
<script src="/dashboard.js"></script>
</body></html>`

/**
 * `--web`: starts the embedded simulator (allowing this server's origin) unless `--host` names a
 * real room, serves the dashboard on 127.0.0.1, and prints its URL as the one line on stdout.
 * Runs until `stop` (or `--max-seconds`). Resolves with the exit code.
 */
export const runWebDemo = async (
  options: DemoOptions,
  io: DemoIO,
  stop: Promise<void>,
): Promise<number> => {
  const embedded = options.host === undefined
  let scenario: Awaited<ReturnType<typeof loadScenario>> | undefined
  try {
    if (embedded) scenario = await loadScenario(options.scenario)
  } catch (error) {
    if (!(error instanceof SetupError)) throw error
    io.writeError(`room-files-demo: ${error.message}\n`)
    return 2
  }
  const script = await readFile(new URL('./web/dashboard.global.js', import.meta.url), 'utf8')
  /** Set once the room is known; the page asks for it after that. */
  const served: { session?: DashboardSession } = {}
  let origin = ''
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    // Only this origin's own page gets the session (and its PIN): another site's page, or one
    // reached through a rebound DNS name, is refused.
    const host = request.headers.host
    const from = request.headers.origin
    if (`http://${host}` !== origin || (from !== undefined && from !== origin)) {
      response.writeHead(403).end()
      return
    }
    const send = (type: string, body: string): void =>
      void response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body)
    if (request.url === '/') send('text/html; charset=utf-8', PAGE)
    else if (request.url === '/dashboard.js') send('text/javascript; charset=utf-8', script)
    else if (request.url === '/session.json' && served.session !== undefined)
      send('application/json', JSON.stringify(served.session))
    // No icon: an empty answer rather than a 404 in the page's console.
    else if (request.url === '/favicon.ico') response.writeHead(204).end()
    else response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  // The embedded room is PIN-protected like a real kiosk; the PIN only goes to the page.
  const { simulator, pin } = await startRoom(options, embedded, scenario, [origin])
  served.session = {
    title: embedded ? 'embedded simulator' : `${options.host}:${options.webPort}`,
    host: embedded ? '127.0.0.1' : (options.host as string),
    webPort: simulator !== undefined ? Number(new URL(simulator.urls.web).port) : options.webPort,
    ...(pin === undefined ? {} : { pin }),
    sendTo: embedded ? 'carol@simulator.local' : '',
  }
  io.write(`${origin}/\n`)

  let deadlineTimer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<void>((resolve) => {
    if (options.maxSeconds !== undefined)
      deadlineTimer = setTimeout(resolve, options.maxSeconds * 1000)
  })
  await Promise.race([stop, deadline])
  clearTimeout(deadlineTimer)
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await simulator?.close()
  return 0
}
