// The page's element ids and data attributes, declared once: the page's HTML, its script and the
// browser tests read them from here.

/** Element ids of the dashboard page. */
export const IDS = {
  room: 'room',
  connection: 'connection',
  badFrames: 'bad-frames',
  error: 'error',
  /** The outcome counts, which are the outcome filter's buttons. */
  outcomes: 'outcomes',
  direction: 'direction',
  search: 'search',
  shown: 'shown',
  table: 'transfers-table',
  transfers: 'transfers',
  sendForm: 'send',
  sendFile: 'send-file',
  sendTo: 'send-to',
  sendError: 'send-error',
  throughputChart: 'throughput-chart',
  throughputNow: 'throughput-now',
  outcomesChart: 'outcomes-chart',
  outcomesNow: 'outcomes-now',
  log: 'log',
  logPause: 'log-pause',
  logProgress: 'log-progress',
} as const

/**
 * Data attributes: a row's `data-id` (its `fileRequestId`), `data-name`, `data-state` (the state
 * word), `data-outcome` and `data-direction` (`in`, `out`); a sort button's `data-sort`; an outcome
 * filter button's `data-outcome` (`all` for every one); a chart's `data-points` and `data-last` (the
 * number of points drawn and the time of the last, which move while it is live).
 */
export const ROW_ACTION_ERROR_CLASS = 'action-error'
