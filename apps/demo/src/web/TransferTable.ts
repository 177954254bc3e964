// The transfers table: one row per request, keyed by `fileRequestId`, made once and patched after
// (a progress tick changes a bar and a few texts; the Accept and Reject buttons stay the same
// elements). Sorted by any column, filtered by outcome, direction and a text search.
import type { FileRequestOutcome, FileRequestState } from '@org/file-events-stream'
import {
  type SortKey,
  bytesDone,
  directionLabel,
  explainAnomaly,
  formatAgo,
  formatBytes,
  formatDuration,
  formatSpeed,
  peerLabel,
  sortRequests,
  speedOf,
  startedAt,
  stateLabel,
  timeLeftOf,
} from '../presentation'
import { COLUMNS } from './page'
import { ROW_ACTION_ERROR_CLASS } from './ids'
import { el, setAttr, setHidden, setText, setTime } from './dom'

/** What a row's buttons do; each resolves when the room answered, or rejects with why not. */
export interface RowActions {
  readonly accept: (r: FileRequestState) => Promise<unknown>
  readonly reject: (r: FileRequestState) => Promise<unknown>
  readonly download: (r: FileRequestState) => Promise<unknown>
}

/** What the rows show: an outcome (or all), a direction (or both), a text to find, an order. */
export interface TableFilter {
  readonly outcome: FileRequestOutcome | 'all'
  readonly direction: 'all' | 'in' | 'out'
  readonly search: string
  readonly sort: SortKey
  readonly ascending: boolean
}

export const DEFAULT_FILTER: TableFilter = {
  outcome: 'all',
  direction: 'all',
  search: '',
  sort: 'started',
  ascending: true,
}

/** Whether a request passes the filter (the search looks at the file's and the peer's names). */
export const matches = (r: FileRequestState, filter: TableFilter): boolean => {
  if (filter.outcome !== 'all' && r.outcome !== filter.outcome) return false
  if (filter.direction !== 'all' && (r.direction === 0) !== (filter.direction === 'in'))
    return false
  const needle = filter.search.trim().toLowerCase()
  if (needle === '') return true
  return [r.fileName, peerLabel(r), r.peerId ?? ''].some((text) =>
    text.toLowerCase().includes(needle),
  )
}

interface Row {
  readonly tr: HTMLTableRowElement
  readonly cells: Record<string, HTMLTableCellElement>
  readonly bar: HTMLProgressElement
  readonly percent: HTMLElement
  readonly started: HTMLTimeElement
  readonly ended: HTMLTimeElement
  readonly state: HTMLElement
  readonly anomalies: HTMLDetailsElement
  readonly accept: HTMLButtonElement
  readonly reject: HTMLButtonElement
  readonly download: HTMLButtonElement
  readonly actionError: HTMLElement
  /** The request as last drawn, for the buttons. */
  current: FileRequestState
  /** An action of this row is running. */
  busy: boolean
}

export class TransferTable {
  private readonly rows = new Map<string, Row>()
  private order: string[] = []
  /** What the rows show now, so that a frame with nothing new costs nothing. */
  private drawn: {
    requests?: ReadonlyMap<string, FileRequestState>
    filter?: TableFilter
    second: number
    shown: number
  } = { second: 0, shown: 0 }

  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly actions: RowActions,
  ) {}

  /**
   * Brings the rows up to date with `requests` at `now`, in the filter's order. Returns how many
   * rows the filter shows.
   */
  update(
    requests: ReadonlyMap<string, FileRequestState>,
    filter: TableFilter,
    now: number,
  ): number {
    const second = Math.floor(now / 1000)
    // Nothing new but the clock: only the relative times move, once a second.
    if (requests === this.drawn.requests && filter === this.drawn.filter) {
      if (second !== this.drawn.second)
        for (const row of this.rows.values()) this.patchTimes(row, row.current, now)
      this.drawn.second = second
      return this.drawn.shown
    }
    for (const [id, row] of this.rows)
      if (!requests.has(id)) {
        row.tr.remove()
        this.rows.delete(id)
      }
    let shown = 0
    const sorted = sortRequests(requests.values(), filter.sort, filter.ascending)
    for (const r of sorted) {
      const existing = this.rows.get(r.fileRequestId)
      const row = existing ?? this.create(r)
      // The tracker's requests are immutable: the same object is the same picture.
      if (existing === undefined || r !== row.current) this.patch(row, r, now)
      else if (second !== this.drawn.second) this.patchTimes(row, r, now)
      const visible = matches(r, filter)
      setHidden(row.tr, !visible)
      if (visible) shown++
    }
    // Rows move only when out of place (a new row is one insert): moving a row would move it from
    // under the pointer, and every move costs a layout.
    const order = sorted.map((r) => r.fileRequestId)
    if (order.length !== this.order.length || order.some((id, i) => id !== this.order[i])) {
      order.forEach((id, i) => {
        const tr = (this.rows.get(id) as Row).tr
        const there = this.body.children[i]
        if (there !== tr) this.body.insertBefore(tr, there ?? null)
      })
      this.order = order
    }
    this.drawn = { requests, filter, second, shown }
    return shown
  }

  private create(r: FileRequestState): Row {
    const tr = el('tr')
    tr.dataset['id'] = r.fileRequestId
    const cells: Record<string, HTMLTableCellElement> = {}
    for (const column of COLUMNS) {
      const td = el('td', '', column.className)
      td.dataset['label'] = column.label
      cells[column.className] = td
      tr.append(td)
    }
    const bar = el('progress')
    bar.max = 100
    const percent = el('span', '', 'muted')
    cells['progress']?.append(bar, percent)
    const started = el('time')
    const ended = el('time')
    cells['time']?.append(started, el('br'), ended)
    // The bar is determinate from the start (a progress element without a value is indeterminate).
    bar.value = 0
    // How it stands, and below it what the tracker found odd about it.
    const state = el('span', '', 'state')
    const anomalies = el('details', '', 'anomalies')
    anomalies.hidden = true
    cells['status']?.append(state, anomalies)
    const button = (
      text: string,
      run: (r: FileRequestState) => Promise<unknown>,
    ): HTMLButtonElement => {
      const b = el('button', text)
      b.type = 'button'
      b.addEventListener('click', () => this.run(row, text, run))
      return b
    }
    const actionError = el('span', '', ROW_ACTION_ERROR_CLASS)
    actionError.setAttribute('role', 'alert')
    const row: Row = {
      tr,
      cells,
      bar,
      percent,
      started,
      ended,
      state,
      anomalies,
      accept: button('Accept', this.actions.accept),
      reject: button('Reject', this.actions.reject),
      download: button('Download', this.actions.download),
      actionError,
      current: r,
      busy: false,
    }
    cells['actions']?.append(row.accept, row.reject, row.download, actionError)
    this.rows.set(r.fileRequestId, row)
    return row
  }

  /** Runs a row's action; a failure is said next to the buttons, in the error's own words. */
  private run(row: Row, label: string, action: (r: FileRequestState) => Promise<unknown>): void {
    if (row.busy) {
      setText(row.actionError, `${label}: the last action of this row is still running`)
      return
    }
    row.busy = true
    setText(row.actionError, '')
    action(row.current).then(
      () => {
        row.busy = false
      },
      (error: unknown) => {
        row.busy = false
        setText(
          row.actionError,
          `${label} failed: ${error instanceof Error ? error.message : String(error)}`,
        )
      },
    )
  }

  private patch(row: Row, r: FileRequestState, now: number): void {
    row.current = r
    const { tr, cells } = row
    const label = stateLabel(r)
    tr.dataset['name'] = r.fileName
    setAttr(tr, 'data-state', label)
    setAttr(tr, 'data-outcome', r.outcome)
    setAttr(tr, 'data-direction', r.direction === 0 ? 'in' : 'out')
    const text = (key: string, value: string, className = ''): void => {
      const cell = cells[key] as HTMLTableCellElement
      setText(cell, value)
      if (className !== '') setAttr(cell, 'class', className)
    }
    text('dir', directionLabel(r.direction), `dir ${r.direction === 0 ? 'in' : 'out'}`)
    text('peer', peerLabel(r))
    text('name', r.fileName)
    text('size', formatBytes(r.fileSize))
    const percent = Math.round(r.percent * 10) / 10
    if (row.bar.value !== percent) row.bar.value = percent
    setAttr(row.bar, 'aria-label', `progress of ${r.fileName}`)
    setText(row.percent, `${percent} % · ${formatBytes(bytesDone(r))}`)
    setText(row.state, label)
    setAttr(row.state, 'class', `state ${label}`)
    this.patchTimes(row, r, now)
    const speed = speedOf(r)
    const left = timeLeftOf(r)
    text(
      'speed',
      speed === undefined
        ? '—'
        : left !== undefined
          ? `${formatSpeed(speed)} · ${formatDuration(left)} left`
          : formatSpeed(speed),
    )
    this.patchAnomalies(row, r)
    const waiting = r.direction === 0 && r.status === 1 && !r.terminal
    setHidden(row.accept, !waiting)
    setHidden(row.reject, !waiting)
    setHidden(row.download, !(r.direction === 0 && r.status === 3 && r.fileId !== undefined))
    setAttr(row.accept, 'aria-label', `Accept ${r.fileName}`)
    setAttr(row.reject, 'aria-label', `Reject ${r.fileName}`)
    setAttr(row.download, 'aria-label', `Download ${r.fileName}`)
  }

  /** When it started and ended, relative to `now`. */
  private patchTimes(row: Row, r: FileRequestState, now: number): void {
    const start = startedAt(r) ?? r.firstSeen
    setTime(row.started, start, `started ${formatAgo(start, now)}`)
    if (r.finishedAt !== undefined)
      setTime(row.ended, r.finishedAt, `${stateLabel(r)} ${formatAgo(r.finishedAt, now)}`)
    setHidden(row.ended, r.finishedAt === undefined)
  }

  private patchAnomalies(row: Row, r: FileRequestState): void {
    const key = r.anomalies.join(' ')
    if (row.anomalies.dataset['anomalies'] === key) return
    row.anomalies.dataset['anomalies'] = key
    setHidden(row.anomalies, r.anomalies.length === 0)
    const summary = el(
      'summary',
      `⚠ ${r.anomalies.length} ${r.anomalies.length === 1 ? 'anomaly' : 'anomalies'}`,
    )
    const list = el('ul')
    for (const anomaly of r.anomalies) list.append(el('li', explainAnomaly(anomaly)))
    row.anomalies.replaceChildren(summary, list)
  }
}
