// The dashboard's HTML, and the short pages that say why a request was refused.
import { OUTCOMES, type SortKey } from '../presentation'
import { IDS, ROW_ACTION_ERROR_CLASS } from './ids'

// Colours are variables, set twice: light, and dark under `prefers-color-scheme: dark`. Each pair
// of text and background colours keeps a contrast of at least 4.5:1 (axe-core checks it).
const STYLE = `
:root { color-scheme: light dark;
  --bg: #f6f7f9; --surface: #fff; --text: #1d2330; --muted: #4a5568; --line: #d9dde3;
  --accent: #1d4ed8; --complete: #15803d; --failed: #b91c1c; --rejected: #a34c07;
  --waiting: #0e6a83; --active: #1d4ed8; --in: #1d4ed8; --out: #a34c07;
  --error-bg: #fde8e8; --error-text: #8a1c1c; --pressed: #dbe4ff }
@media (prefers-color-scheme: dark) { :root {
  --bg: #111827; --surface: #1f2937; --text: #e5e7eb; --muted: #aab2bf; --line: #374151;
  --accent: #93c5fd; --complete: #4ade80; --failed: #fca5a5; --rejected: #fbbf24;
  --waiting: #67e8f9; --active: #93c5fd; --in: #93c5fd; --out: #fbbf24;
  --error-bg: #3f1d1d; --error-text: #fecaca; --pressed: #1e3a8a } }
* { box-sizing: border-box }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; padding: 1rem; color: var(--text); background: var(--bg); overflow-wrap: anywhere }
h1 { font-size: 1.2rem; margin: 0 0 .25rem }
h2 { font-size: 1rem; margin: 1.25rem 0 .5rem }
button, input, select { font: inherit; color: inherit }
button { background: var(--surface); border: 1px solid var(--line); border-radius: 6px; padding: .3rem .6rem; cursor: pointer }
button[aria-pressed="true"] { background: var(--pressed); border-color: var(--accent) }
input, select { background: var(--surface); border: 1px solid var(--line); border-radius: 6px; padding: .3rem .4rem; max-width: 100% }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px }
#status { margin-bottom: .75rem; color: var(--muted) }
#status b { color: var(--text) }
#${IDS.error}:empty { display: none }
#${IDS.error} { background: var(--error-bg); color: var(--error-text); padding: .6rem .8rem; border-radius: 6px; margin-bottom: 1rem }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin-bottom: .6rem }
.filters .group { display: flex; flex-wrap: wrap; gap: .3rem; align-items: center }
table { border-collapse: collapse; width: 100%; background: var(--surface); box-shadow: 0 1px 2px #0003 }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top }
th, .state, td.dir { white-space: nowrap }
th button { border: 0; padding: 0; background: none; font-weight: 600 }
/* The arrow has empty alternative text: aria-sort says the order, and the name stays the column's. */
th[aria-sort="ascending"] button::after { content: " ▲" / "" }
th[aria-sort="descending"] button::after { content: " ▼" / "" }
td.name { min-width: 8rem; max-width: 16rem; overflow-wrap: anywhere }
td.time, td.speed, td.actions { white-space: nowrap }
td.size { text-align: right; white-space: nowrap }
td.progress { min-width: 9rem }
progress { width: 100%; max-width: 9rem; vertical-align: middle; display: block }
.muted, time { color: var(--muted) }
.state { font-weight: 600 }
td.status .state { display: block }
.field { display: inline-flex; flex-wrap: wrap; gap: .5rem; align-items: center; max-width: 100% }
.complete { color: var(--complete) } .failed { color: var(--failed) } .rejected { color: var(--rejected) }
.waiting { color: var(--waiting) } .receiving, .sending, .active { color: var(--active) }
.dir.in { color: var(--in) } .dir.out { color: var(--out) }
details.anomalies summary { color: var(--rejected); cursor: pointer }
details.anomalies ul { margin: .25rem 0 0; padding-left: 1.1rem }
td.actions button { margin: 0 .25rem .25rem 0 }
.${ROW_ACTION_ERROR_CLASS}, #${IDS.sendError} { color: var(--failed); display: block }
.${ROW_ACTION_ERROR_CLASS}:empty, #${IDS.sendError}:empty { display: none }
form { margin: 1rem 0; display: flex; flex-wrap: wrap; gap: .5rem; align-items: center }
[aria-invalid="true"] { border-color: var(--failed) }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr)); gap: 1rem }
figure { margin: 0; background: var(--surface); padding: .5rem; box-shadow: 0 1px 2px #0003; min-width: 0 }
figcaption { color: var(--muted) }
.chart { width: 100%; height: 180px; overflow: hidden }
.legend { display: flex; flex-wrap: wrap; gap: .25rem .75rem; margin: 0; padding: 0; list-style: none }
.legend span { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .3rem; vertical-align: -1px }
.log-tools { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center }
ol#${IDS.log} { list-style: none; margin: .5rem 0 0; padding: .5rem; background: var(--surface); box-shadow: 0 1px 2px #0003; max-height: 20rem; overflow-y: auto; font: 13px/1.4 ui-monospace, monospace }
ol#${IDS.log} li { padding: .1rem 0; border-bottom: 1px solid var(--line) }
ol#${IDS.log} li[data-kind="error"], ol#${IDS.log} li[data-kind="fatal"], ol#${IDS.log} li[data-kind="bad-frame"] { color: var(--failed) }
ol#${IDS.log} time { margin-right: .5rem }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap }
/* Wide screens: the log beside the rest, always in view. */
@media (min-width: 1400px) {
  main { display: grid; grid-template-columns: minmax(0, 1fr) 25rem; gap: 1.25rem; align-items: start }
  aside { position: sticky; top: .5rem }
  ol#${IDS.log} { max-height: calc(100vh - 7rem) }
}
/* Narrow screens: each row becomes a card, each cell labelled by its column. */
@media (max-width: 760px) {
  body { padding: .5rem }
  table, tbody, tr, td { display: block; width: 100% }
  table { background: none; box-shadow: none }
  thead tr { display: flex; flex-wrap: wrap; gap: .25rem; border: 0 }
  thead th { border: 0; padding: .1rem .3rem; font-weight: normal }
  thead th.no-sort { display: none }
  tbody tr { background: var(--surface); box-shadow: 0 1px 2px #0003; border-radius: 6px; margin-bottom: .6rem; padding: .3rem .5rem }
  tbody tr[hidden] { display: none }
  td { border: 0; padding: .15rem 0; display: grid; grid-template-columns: 6.5rem 1fr; gap: .5rem; max-width: none }
  td::before { content: attr(data-label); color: var(--muted); grid-row: 1 / span 4 }
  td > * { grid-column: 2 }
  td > br { display: none }
  td.actions:not(:has(button:not([hidden]))) { display: none }
  td.size { text-align: left }
  td.time, td.speed, td.actions, td.dir { white-space: normal }
}
`

/** The table's columns: the text of each header cell, and what it sorts by. */
export const COLUMNS: ReadonlyArray<{
  readonly label: string
  readonly sort?: SortKey
  readonly className: string
}> = [
  { label: 'Direction', sort: 'direction', className: 'dir' },
  { label: 'Peer', sort: 'peer', className: 'peer' },
  { label: 'File', sort: 'name', className: 'name' },
  { label: 'Size', sort: 'size', className: 'size' },
  { label: 'Progress', sort: 'progress', className: 'progress' },
  { label: 'Status', sort: 'state', className: 'status' },
  { label: 'Time', sort: 'started', className: 'time' },
  { label: 'Speed', sort: 'speed', className: 'speed' },
  { label: 'Actions', className: 'actions' },
]

const header = COLUMNS.map((c) =>
  c.sort === undefined
    ? `<th scope="col" class="no-sort">${c.label}</th>`
    : `<th scope="col" aria-sort="${c.sort === 'started' ? 'ascending' : 'none'}"><button type="button" data-sort="${c.sort}">${c.label}</button></th>`,
).join('')

const outcomeButtons = ['all', ...OUTCOMES]
  .map(
    (o) =>
      `<button type="button" data-outcome="${o}" aria-pressed="${o === 'all'}">${o === 'all' ? 'all' : o} <b>0</b></button>`,
  )
  .join('')

export const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Room file transfers</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body data-connection="starting">
<header>
<h1>TrueConf Room file transfers</h1>
<p id="status"><span id="${IDS.room}"></span> · connection: <b id="${IDS.connection}" role="status">starting</b> · bad frames: <b id="${IDS.badFrames}">0</b></p>
<div id="${IDS.error}" role="alert"></div>
</header>
<main>
<div class="main-column">
<h2>Last minutes</h2>
<div class="charts">
<figure><figcaption id="throughput-caption">Throughput, bytes per second: <span id="${IDS.throughputNow}"></span></figcaption>
<div id="${IDS.throughputChart}" class="chart" role="img" aria-labelledby="throughput-caption" data-points="0"></div>
<ul class="legend" aria-hidden="true"><li><span style="background: var(--in)"></span>in</li><li><span style="background: var(--out)"></span>out</li></ul></figure>
<figure><figcaption id="outcomes-caption">Transfers by outcome: <span id="${IDS.outcomesNow}"></span></figcaption>
<div id="${IDS.outcomesChart}" class="chart" role="img" aria-labelledby="outcomes-caption" data-points="0"></div>
<ul class="legend" aria-hidden="true">${OUTCOMES.map((o) => `<li><span style="background: var(--${o})"></span>${o}</li>`).join('')}</ul></figure>
</div>
<form id="${IDS.sendForm}" novalidate>
<h2 class="visually-hidden">Send a file</h2>
<span class="field"><label for="${IDS.sendFile}"><b>Send a file</b></label> <input type="file" id="${IDS.sendFile}" aria-describedby="${IDS.sendError}"></span>
<span class="field"><label for="${IDS.sendTo}">to</label> <input id="${IDS.sendTo}" size="28" autocomplete="off" aria-describedby="${IDS.sendError}" placeholder="TrueConf ID"></span>
<button type="submit">Send</button>
<span id="${IDS.sendError}" role="alert"></span>
</form>
<h2 id="transfers-heading">Transfers</h2>
<div class="filters">
<div class="group" role="group" aria-label="Show transfers by outcome" id="${IDS.outcomes}">${outcomeButtons}</div>
<div class="group"><label for="${IDS.direction}">Direction</label>
<select id="${IDS.direction}"><option value="all">both</option><option value="in">⇣ in</option><option value="out">⇡ out</option></select></div>
<div class="group"><label for="${IDS.search}">Search</label>
<input type="search" id="${IDS.search}" placeholder="file or peer" autocomplete="off"></div>
<span id="${IDS.shown}" class="muted" role="status"></span>
</div>
<table id="${IDS.table}" aria-labelledby="transfers-heading"><thead><tr>${header}</tr></thead>
<tbody id="${IDS.transfers}"></tbody></table>
</div>
<aside aria-labelledby="log-heading">
<h2 id="log-heading">Log</h2>
<div class="log-tools"><button type="button" id="${IDS.logPause}" aria-pressed="false">Pause</button>
<label><input type="checkbox" id="${IDS.logProgress}"> progress events</label>
<span class="muted">newest first</span></div>
<ol id="${IDS.log}" aria-label="Log, newest first" tabindex="0"></ol>
</aside>
</main>
<script src="/dashboard.js"></script>
</body></html>`

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** A short readable page for a refusal: a title and one paragraph (text, escaped here). */
export const refusalPage = (title: string, text: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width"><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`
