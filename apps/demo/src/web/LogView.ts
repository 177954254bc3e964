// The log on the page: newest first, with times; pausable (while paused, new entries wait and the
// button counts them); progress events only when asked for.
import type { LogEntry } from '../viewModel'
import { el, setAttr, setText, setTime } from './dom'

/** Entries the list holds. */
const MAX_ITEMS = 200

export class LogView {
  private paused = false
  private showProgress = false
  private entries: ReadonlyArray<LogEntry> = []
  /** The newest entry in the list. */
  private shownSeq = 0

  constructor(
    private readonly list: HTMLOListElement,
    private readonly pause: HTMLButtonElement,
    progress: HTMLInputElement,
  ) {
    pause.addEventListener('click', () => {
      this.paused = !this.paused
      this.draw()
    })
    progress.addEventListener('change', () => {
      this.showProgress = progress.checked
      // Another choice of kinds: the list is made again.
      this.list.replaceChildren()
      this.shownSeq = 0
      this.draw()
    })
  }

  update(entries: ReadonlyArray<LogEntry>): void {
    this.entries = entries
    this.draw()
  }

  private wanted(entry: LogEntry): boolean {
    return this.showProgress || entry.kind !== 'progress'
  }

  private draw(): void {
    const fresh = this.entries.filter((e) => e.seq > this.shownSeq && this.wanted(e))
    setAttr(this.pause, 'aria-pressed', String(this.paused))
    setText(this.pause, this.paused ? `Resume (${fresh.length} new)` : 'Pause')
    if (this.paused || fresh.length === 0) return
    for (const entry of fresh) {
      const time = el('time')
      setTime(time, entry.at, new Date(entry.at).toLocaleTimeString())
      const item = el('li')
      item.dataset['kind'] = entry.kind
      item.append(time, el('span', entry.text))
      this.list.prepend(item)
    }
    this.shownSeq = fresh[fresh.length - 1]?.seq ?? this.shownSeq
    while (this.list.childElementCount > MAX_ITEMS) this.list.lastElementChild?.remove()
  }
}
