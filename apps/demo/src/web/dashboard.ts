// The web dashboard: runs in the browser, bundled with @org/file-events-stream's main entry. It
// reads where the room is (and its PIN) from the demo's own server, then talks to the room
// directly: events over the WebSocket, uploads and downloads over the room's HTTP server.
import {
  type ConnectionState,
  type FileRequestState,
  type RoomConnection,
  connectRoom,
} from '@org/file-events-stream'
import { formatBytes, stateLabel, summarize } from '../render'
import type { DashboardSession } from './session'

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T

/** An element with text content only: names come from the room and are never parsed as HTML. */
const el = (tag: string, text = '', className = ''): HTMLElement => {
  const e = document.createElement(tag)
  e.textContent = text
  if (className !== '') e.className = className
  return e
}

const describeState = (s: ConnectionState): string => {
  switch (s.status) {
    case 'connecting':
      return `connecting (attempt ${s.attempt})`
    case 'authenticating':
      return 'authenticating'
    case 'ready':
      return s.connects > 1 ? `ready (reconnected ${s.connects - 1}×)` : 'ready'
    case 'reconnecting':
      return `reconnecting in ${(s.delayMs / 1000).toFixed(1)} s: ${messageOf(s.lastError)}`
    case 'closed':
      return `closed (${s.reason})`
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** A refusal of the page's origin, said in a user's words (the stream's error carries the hint). */
const explain = (error: unknown): string => {
  const text = messageOf((error as { lastError?: unknown }).lastError ?? error)
  if (!/CORS|Access-Control-Allow-Origin/.test(text)) return messageOf(error)
  return `The room did not answer this page (${location.origin}). A browser may only talk to a room whose web and file servers allow this page's origin (CORS: they must answer it with Access-Control-Allow-Origin); a TrueConf Room does not by default, so watch it from the terminal demo instead, or have it allow this origin. Details: ${text}`
}

let room: RoomConnection
let requests: FileRequestState[] = []
let scheduled = false
const log: string[] = []

const say = (line: string): void => {
  log.push(`${new Date().toLocaleTimeString()} ${line}`)
  if (log.length > 12) log.shift()
  schedule()
}

const schedule = (): void => {
  if (scheduled) return
  scheduled = true
  requestAnimationFrame(() => {
    scheduled = false
    render()
  })
}

const act = (label: string, work: () => Promise<unknown>): void => {
  work().then(
    () => say(label),
    (error: unknown) => say(`${label} failed: ${messageOf(error)}`),
  )
}

const download = async (r: FileRequestState): Promise<void> => {
  const response = await room.openDownload(r.fileId as number)
  const url = URL.createObjectURL(await response.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = r.fileName
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

const row = (r: FileRequestState): HTMLElement => {
  const label = stateLabel(r)
  const tr = el('tr')
  tr.dataset['state'] = label
  tr.dataset['name'] = r.fileName
  const peer = r.peerDisplayName ?? r.peerId ?? (r.confId !== undefined ? 'conference' : '')
  tr.append(
    el('td', r.direction === 0 ? '⇣ in' : '⇡ out', 'dir'),
    el('td', peer),
    el('td', r.fileName, 'name'),
    el('td', formatBytes(r.fileSize), 'size'),
  )
  const bar = document.createElement('progress')
  bar.max = 100
  bar.value = r.percent
  const progress = el('td')
  progress.append(bar, el('span', ` ${r.percent} %`))
  tr.append(progress, el('td', label, `state ${label}`))
  const info = el('td', r.anomalies.length > 0 ? `⚠ ${r.anomalies.join(', ')}` : '', 'anomalies')
  tr.append(info)
  const actions = el('td', '', 'actions')
  const button = (text: string, onClick: () => void): void => {
    const b = el('button', text)
    b.addEventListener('click', onClick)
    actions.append(b)
  }
  if (r.direction === 0 && r.status === 1 && !r.terminal) {
    button('Accept', () => act(`accepted ${r.fileName}`, () => room.acceptFile(r.fileRequestId)))
    button('Reject', () => act(`rejected ${r.fileName}`, () => room.rejectFile(r.fileRequestId)))
  }
  if (r.direction === 0 && r.status === 3 && r.fileId !== undefined) {
    button('Download', () => act(`downloaded ${r.fileName}`, () => download(r)))
  }
  tr.append(actions)
  return tr
}

const render = (): void => {
  const body = $('transfers')
  body.replaceChildren(...requests.map(row))
  $('summary').textContent = summarize(requests)
  $('log').textContent = log.join('\n')
}

const start = async (): Promise<void> => {
  const session = (await (await fetch('/session.json', { cache: 'no-store' })).json()) as DashboardSession
  $('room').textContent = session.title
  ;($('send-to') as HTMLInputElement).value = session.sendTo
  room = connectRoom({
    host: session.host,
    webPort: session.webPort,
    ...(session.pin === undefined ? {} : { pin: session.pin }),
    maxRetries: 5,
  })
  const fail = (error: unknown): void => {
    document.body.dataset['connection'] = 'failed'
    $('error').textContent = explain(error)
  }
  room.state$.subscribe({
    next: (s) => {
      document.body.dataset['connection'] = s.status
      $('connection').textContent = describeState(s)
    },
    error: fail,
  })
  room.fileRequests$.subscribe({
    next: (state) => {
      requests = [...state.requests.values()].sort((a, b) => a.firstSeen - b.firstSeen)
      schedule()
    },
    error: () => undefined,
  })
  let badFrames = 0
  room.decodeFailures$.subscribe({
    next: (f) => {
      $('bad-frames').textContent = String(++badFrames)
      say(`bad frame: ${f.messages[0] ?? f.reason}`)
    },
    error: () => undefined,
  })
  room.events$.subscribe({
    next: (e) => {
      if (e.event === 'fileTransferAvailabilityChanged') say(`file transfer availability: ${e.availability}`)
    },
    error: () => undefined,
  })
  $('send').addEventListener('submit', (event) => {
    event.preventDefault()
    const file = ($('send-file') as HTMLInputElement).files?.[0]
    const to = ($('send-to') as HTMLInputElement).value.trim()
    if (file === undefined || to === '') return
    act(`sent ${file.name} to ${to}`, () => room.sendFile({ data: file, fileName: file.name, to }))
  })
  addEventListener('pagehide', () => room.close())
}

start().catch((error: unknown) => {
  $('error').textContent = `The dashboard could not start: ${messageOf(error)}`
})
