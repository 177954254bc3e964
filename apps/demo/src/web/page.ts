// The dashboard's HTML, and the short pages that say why a request was refused.

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

export const PAGE = `<!doctype html>
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

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** A short readable page for a refusal: a title and one paragraph (text, escaped here). */
export const refusalPage = (title: string, text: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width"><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`
