// The web dashboard: runs in the browser, bundled with @org/file-events-stream's main entry. It
// reads where the room is (and its PIN) from the demo's own server, then talks to the room
// directly: events over the WebSocket, uploads and downloads over the room's HTTP server. It draws
// the same view model as the terminal view, in the same words.
import {
  type FileRequestOutcome,
  type FileRequestState,
  type RoomConnection,
  connectRoom,
} from '@org/file-events-stream'
import { Subject } from 'rxjs'
import { OUTCOMES, type SortKey, formatSpeed, messageOf } from '../presentation'
import { type Note, type RoomView, countOutcomes, roomView } from '../viewModel'
import { byId, setAttr, setText } from './dom'
import { IDS } from './ids'
import { LiveChart } from './LiveChart'
import { LogView } from './LogView'
import type { DashboardSession } from './session'
import { DEFAULT_FILTER, type TableFilter, TransferTable } from './TransferTable'

/** The shortest time between two frames of the page. */
const MIN_FRAME_MS = 200

/** Seconds of history the charts show. */
const CHART_SECONDS = 300

/** Whether an error is the room refusing this page's origin (the stream's error carries the hint). */
const refusesOrigin = (error: unknown): boolean =>
  /CORS|Access-Control-Allow-Origin/.test(
    messageOf((error as { lastError?: unknown }).lastError ?? error),
  )

/** An error that stops the page, in a user's words: a refused origin is explained. */
const explain = (error: unknown): string => {
  if (!refusesOrigin(error)) return messageOf(error)
  const text = messageOf((error as { lastError?: unknown }).lastError ?? error)
  return `The room did not answer this page (${location.origin}). A browser may only talk to a room whose web and file servers allow this page's origin (CORS: they must answer it with Access-Control-Allow-Origin); a TrueConf Room does not by default, so watch it from the terminal demo instead, or have it allow this origin. Details: ${text}`
}

/** What the error box says: the error that ended the connection, or a refused origin while retrying. */
const problemOf = (view: RoomView): string => {
  if (view.fatal !== undefined) return explain(view.fatal)
  const state = view.connection
  return state?.status === 'reconnecting' && refusesOrigin(state.lastError)
    ? explain(state.lastError)
    : ''
}

const notes = new Subject<Note>()
const say = (kind: Note['kind'], text: string): void => notes.next({ kind, text })

/** Why an action cannot run now, or `undefined` when it can. */
const notReady = (view: RoomView): string | undefined =>
  view.connection?.status === 'ready'
    ? undefined
    : `the room is not connected (${view.connectionText})`

/** Runs an action on the room, with its start and its result in the log; rethrows its error. */
const act = async (label: string, work: () => Promise<unknown>): Promise<void> => {
  try {
    await work()
    say('action', label)
  } catch (error) {
    say('error', `! ${label} failed: ${messageOf(error)}`)
    throw error
  }
}

const saveDownload = async (room: RoomConnection, r: FileRequestState): Promise<void> => {
  const response = await room.openDownload(r.fileId as number)
  const url = URL.createObjectURL(await response.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = r.fileName
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

const start = async (): Promise<void> => {
  const response = await fetch('/session.json', { cache: 'no-store' })
  if (!response.ok)
    throw new Error(`/session.json answered ${response.status}: ${await response.text()}`)
  const session = (await response.json()) as DashboardSession
  setText(byId(IDS.room), session.title)
  const sendTo = byId<HTMLInputElement>(IDS.sendTo)
  sendTo.value = session.sendTo
  const room = connectRoom({
    host: session.host,
    webPort: session.webPort,
    ...(session.pin === undefined ? {} : { pin: session.pin }),
    // No limit: a page kept open keeps trying (the backoff is capped), and says why it is not
    // connected in the connection line.
  })
  addEventListener('pagehide', () => room.close())

  let view: RoomView | undefined
  /** Throws why an action cannot run now. */
  const ready = (): void => {
    const why = view === undefined ? 'the dashboard is starting' : notReady(view)
    if (why !== undefined) throw new Error(why)
  }
  const table = new TransferTable(byId<HTMLTableSectionElement>(IDS.transfers), {
    accept: (r) =>
      act(
        `⇣ accepted ${r.fileName} from the page`,
        async () => (ready(), room.acceptFile(r.fileRequestId)),
      ),
    reject: (r) =>
      act(
        `⇣ rejected ${r.fileName} from the page`,
        async () => (ready(), room.rejectFile(r.fileRequestId)),
      ),
    download: (r) => act(`⇣ downloaded ${r.fileName} to this browser`, () => saveDownload(room, r)),
  })
  let filter: TableFilter = DEFAULT_FILTER
  const throughput = new LiveChart({
    container: byId(IDS.throughputChart),
    series: [
      { label: 'in', color: '--in', value: (s) => s.inBytesPerSecond },
      { label: 'out', color: '--out', value: (s) => s.outBytesPerSecond },
    ],
    format: formatSpeed,
    windowSeconds: CHART_SECONDS,
  })
  const outcomes = new LiveChart({
    container: byId(IDS.outcomesChart),
    series: OUTCOMES.map((o) => ({ label: o, color: `--${o}`, value: (s) => s.outcomes[o] })),
    format: (n) => String(n),
    windowSeconds: CHART_SECONDS,
  })
  const log = new LogView(
    byId<HTMLOListElement>(IDS.log),
    byId<HTMLButtonElement>(IDS.logPause),
    byId<HTMLInputElement>(IDS.logProgress),
  )

  const draw = (): void => {
    if (view === undefined) return
    document.body.dataset['connection'] =
      view.fatal !== undefined ? 'failed' : (view.connection?.status ?? 'starting')
    setText(byId(IDS.connection), view.connectionText)
    setText(byId(IDS.badFrames), String(view.decodeFailures))
    setText(byId(IDS.error), problemOf(view))
    const shown = table.update(view.requests, filter, Date.now())
    setText(byId(IDS.shown), `${shown} of ${view.requests.size} shown`)
    const counts = countOutcomes(view.requests)
    for (const button of byId(IDS.outcomes).querySelectorAll<HTMLButtonElement>('button')) {
      const outcome = button.dataset['outcome'] as FileRequestOutcome | 'all'
      setText(
        button.querySelector('b') as HTMLElement,
        String(outcome === 'all' ? view.requests.size : counts[outcome]),
      )
      setAttr(button, 'aria-pressed', String(filter.outcome === outcome))
    }
    for (const th of byId(IDS.table).querySelectorAll('th[aria-sort]')) {
      const key = th.querySelector('button')?.dataset['sort']
      setAttr(
        th,
        'aria-sort',
        key !== filter.sort ? 'none' : filter.ascending ? 'ascending' : 'descending',
      )
    }
    throughput.update(view.samples)
    outcomes.update(view.samples)
    const last = view.samples[view.samples.length - 1]
    if (last !== undefined) {
      setText(
        byId(IDS.throughputNow),
        `in ${formatSpeed(last.inBytesPerSecond)}, out ${formatSpeed(last.outBytesPerSecond)}`,
      )
      setText(byId(IDS.outcomesNow), OUTCOMES.map((o) => `${last.outcomes[o]} ${o}`).join(', '))
    }
    log.update(view.log)
  }
  // At most a few frames a second: a page kept open beside a meeting room needs no more, and a
  // busy main thread would stop reading the room's WebSocket (the room closes a client that lags).
  let scheduled = false
  let drawnAt = 0
  const schedule = (): void => {
    if (scheduled) return
    scheduled = true
    setTimeout(
      () =>
        requestAnimationFrame(() => {
          scheduled = false
          drawnAt = performance.now()
          draw()
        }),
      Math.max(0, drawnAt + MIN_FRAME_MS - performance.now()),
    )
  }
  const refilter = (change: Partial<TableFilter>): void => {
    filter = { ...filter, ...change }
    draw()
  }

  byId(IDS.outcomes).addEventListener('click', (event) => {
    const button = (event.target as Element).closest('button')
    if (button !== null)
      refilter({ outcome: button.dataset['outcome'] as FileRequestOutcome | 'all' })
  })
  const direction = byId<HTMLSelectElement>(IDS.direction)
  direction.addEventListener('change', () =>
    refilter({ direction: direction.value as TableFilter['direction'] }),
  )
  const search = byId<HTMLInputElement>(IDS.search)
  search.addEventListener('input', () => refilter({ search: search.value }))
  byId(IDS.table).addEventListener('click', (event) => {
    const key = (event.target as Element).closest<HTMLButtonElement>('th button')?.dataset[
      'sort'
    ] as SortKey | undefined
    if (key !== undefined)
      refilter({ sort: key, ascending: key === filter.sort ? !filter.ascending : true })
  })

  const file = byId<HTMLInputElement>(IDS.sendFile)
  const sendError = byId(IDS.sendError)
  byId(IDS.sendForm).addEventListener('submit', (event) => {
    event.preventDefault()
    const chosen = file.files?.[0]
    const to = sendTo.value.trim()
    const why =
      chosen === undefined
        ? 'Choose a file to send.'
        : to === ''
          ? 'Enter the TrueConf ID of a peer to send to.'
          : view === undefined
            ? 'The dashboard is starting.'
            : notReady(view)
    setAttr(file, 'aria-invalid', String(chosen === undefined))
    setAttr(sendTo, 'aria-invalid', String(chosen !== undefined && to === ''))
    if (why !== undefined || chosen === undefined) {
      setText(sendError, `Cannot send: ${why}`)
      return
    }
    setText(sendError, '')
    act(`⇡ sent ${chosen.name} to ${to} from the page`, () =>
      room.sendFile({ data: chosen, fileName: chosen.name, to }),
    ).catch((error: unknown) =>
      setText(sendError, `Sending ${chosen.name} failed: ${messageOf(error)}`),
    )
  })

  roomView(room, notes, { maxLog: 1000 }).subscribe({
    next: (next) => {
      view = next
      schedule()
    },
    // The view turns the connection's errors into `fatal`: an error here is the page's own.
    error: (error: unknown) =>
      setText(byId(IDS.error), `The dashboard stopped: ${messageOf(error)}`),
  })
}

start().catch((error: unknown) => {
  setText(byId(IDS.error), `The dashboard could not start: ${messageOf(error)}`)
})
