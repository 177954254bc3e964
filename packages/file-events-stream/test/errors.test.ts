import { decodeFailure } from '@org/file-events-codec'
import {
  AuthenticationError,
  CommandFailedError,
  ConfigurationError,
  ConnectionClosedError,
  ConnectionError,
  DiscoveryError,
  DownloadError,
  HttpError,
  ReplyDecodeError,
  RequestTimeoutError,
  RetriesExhaustedError,
  RoomClientError,
  isAuthenticationError,
  isCommandFailedError,
  isConfigurationError,
  isConnectionClosedError,
  isConnectionError,
  isDiscoveryError,
  isDownloadError,
  isHttpError,
  isReplyDecodeError,
  isRequestTimeoutError,
  isRetriesExhaustedError,
  isRequestQueueFullError,
  RequestQueueFullError,
  redactUrl,
  type RoomClientErrorCode,
  BACKOFF_DEFAULTS,
  CONNECT_DEFAULTS,
  DECODE_DEFAULTS,
  FILE_REQUEST_ANOMALIES,
  TRACKER_DEFAULTS,
} from '../src/index'
import { inspect } from 'node:util'
import { messageOf } from '../src/errors'

const cause = new Error('socket hang up')
const cases: Array<[RoomClientError, string, string, (u: unknown) => boolean]> = [
  [
    new ConnectionError(
      { reason: 'closed', url: 'ws://h:1', closeCode: 1006, detail: 'lost' },
      { cause },
    ),
    'ConnectionError',
    'ERR_CONNECTION',
    isConnectionError,
  ],
  [
    new RetriesExhaustedError({ attempts: 3, lastError: cause }),
    'RetriesExhaustedError',
    'ERR_RETRIES_EXHAUSTED',
    isRetriesExhaustedError,
  ],
  [
    new AuthenticationError({
      authType: 'secured',
      resultCode: 3,
      serverError: 'Wrong credentials',
    }),
    'AuthenticationError',
    'ERR_AUTHENTICATION',
    isAuthenticationError,
  ],
  [
    new RequestTimeoutError({ method: 'auth', requestId: '1', timeoutMs: 10 }),
    'RequestTimeoutError',
    'ERR_REQUEST_TIMEOUT',
    isRequestTimeoutError,
  ],
  [
    new CommandFailedError({ method: 'sendFile', requestId: '2', serverError: 'no file' }),
    'CommandFailedError',
    'ERR_COMMAND_FAILED',
    isCommandFailedError,
  ],
  [
    new ReplyDecodeError({
      method: 'sendFile',
      requestId: '2',
      failure: decodeFailure('schema', ['bad'], 10),
    }),
    'ReplyDecodeError',
    'ERR_REPLY_DECODE',
    isReplyDecodeError,
  ],
  [new ConnectionClosedError(), 'ConnectionClosedError', 'ERR_CLOSED', isConnectionClosedError],
  [
    new DiscoveryError(
      { reason: 'unreachable', url: 'http://h/public/default/config.json', detail: 'failed: no' },
      { cause },
    ),
    'DiscoveryError',
    'ERR_DISCOVERY',
    isDiscoveryError,
  ],
  [
    new HttpError({
      method: 'GET',
      url: 'http://h:2/files/1?token=s3cr3t',
      status: 403,
      detail: '403',
    }),
    'HttpError',
    'ERR_HTTP',
    isHttpError,
  ],
  [
    new DownloadError({ reason: 'too-large', fileId: 4, detail: 'big' }),
    'DownloadError',
    'ERR_DOWNLOAD',
    isDownloadError,
  ],
  [
    new ConfigurationError({ detail: 'no ws' }),
    'ConfigurationError',
    'ERR_CONFIGURATION',
    isConfigurationError,
  ],
  [
    new RequestQueueFullError({ method: 'getAppState', maxQueuedRequests: 2 }),
    'RequestQueueFullError',
    'ERR_QUEUE_FULL',
    isRequestQueueFullError,
  ],
]

describe('errors', () => {
  it.each(cases)('%p has its name, code and guard', (error, name, code, guard) => {
    expect(error).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf(RoomClientError)
    expect(error.name).toBe(name)
    expect(error.code).toBe(code)
    expect(guard(error)).toBe(true)
    expect(String(error)).toContain(name)
    for (const [other, , , otherGuard] of cases)
      if (other !== error) expect(otherGuard(error)).toBe(false)
    expect(guard({ code })).toBe(false)
    expect(guard(undefined)).toBe(false)
  })

  it('keeps the cause (as a scrubbed copy) and structured fields', () => {
    const e = cases[0]?.[0] as ConnectionError
    expect(e.cause).toBeInstanceOf(Error)
    expect(e.cause).toMatchObject({ message: 'socket hang up' })
    expect(e.closeCode).toBe(1006)
    expect(new RetriesExhaustedError({ attempts: 3, lastError: cause })).toMatchObject({
      attempts: 3,
      lastError: cause,
      cause: { message: 'socket hang up' },
    })
    // This package's own errors are kept as they are.
    const inner = new ConfigurationError({ detail: 'inner' })
    expect(
      new ConnectionError({ reason: 'closed', url: '', detail: 'x' }, { cause: inner }).cause,
    ).toBe(inner)
  })

  it('scrubs URL secrets from a chain of causes, keeping prototypes and system fields', () => {
    const root = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:1 for http://h/files/?token=s3cr3t'),
      { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', port: 1 },
    )
    const parse = new TypeError(
      'Failed to parse URL from http://bad host:1/files/?token=s3cr3t&x=1',
      { cause: root },
    )
    const error = new HttpError(
      {
        method: 'POST',
        url: 'http://bad host:1/files/?token=s3cr3t',
        detail: 'POST /files/ failed',
      },
      { cause: new Error('fetch failed', { cause: parse }) },
    )
    const printed = inspect(error, { depth: 10 })
    expect(printed).not.toContain('s3cr3t')
    expect(printed).toContain('token=***')
    const copy = (error.cause as Error).cause as TypeError & { cause: NodeJS.ErrnoException }
    expect(copy).toBeInstanceOf(TypeError)
    expect(copy.cause).toMatchObject({
      code: 'ECONNREFUSED',
      errno: -111,
      syscall: 'connect',
      port: 1,
    })
    // The original errors are left as they were.
    expect(parse.message).toContain('s3cr3t')
  })

  it('describes an error with the reasons in its causes', () => {
    const fetchFailed = new TypeError('fetch failed', {
      cause: new Error('getaddrinfo ENOTFOUND no-such-host.invalid'),
    })
    expect(messageOf(fetchFailed)).toBe('fetch failed: getaddrinfo ENOTFOUND no-such-host.invalid')
    expect(messageOf(new Error('a: b', { cause: new Error('b') }))).toBe('a: b')
    expect(messageOf('text')).toBe('text')
  })

  it('never shows tokens or credentials from URLs', () => {
    expect(redactUrl('http://h:2/files/1?token=abc&x=1')).toBe('http://h:2/files/1?token=***&x=1')
    expect(redactUrl('ws://user:pw@h:1/?pin=1234')).toBe('ws://***@h:1/?pin=***')
    const http = cases[8]?.[0] as HttpError
    expect(http.url).not.toContain('s3cr3t')
    expect(JSON.stringify(http)).not.toContain('s3cr3t')
    expect(new AuthenticationError({ authType: 'unsecured' }).message).toContain(
      'may require a PIN',
    )
  })
})

describe('error codes', () => {
  it('are a closed union that a switch can cover exhaustively', () => {
    const label = (error: RoomClientError): string => {
      const code: RoomClientErrorCode = error.code
      switch (code) {
        case 'ERR_CONNECTION':
        case 'ERR_RETRIES_EXHAUSTED':
        case 'ERR_CLOSED':
        case 'ERR_QUEUE_FULL':
          return 'connection'
        case 'ERR_AUTHENTICATION':
        case 'ERR_CONFIGURATION':
          return 'setup'
        case 'ERR_REQUEST_TIMEOUT':
        case 'ERR_COMMAND_FAILED':
        case 'ERR_REPLY_DECODE':
          return 'command'
        case 'ERR_DISCOVERY':
        case 'ERR_HTTP':
        case 'ERR_DOWNLOAD':
          return 'http'
        default: {
          // A new code without a case here fails to compile.
          const never: never = code
          return never
        }
      }
    }
    expect(cases.map(([error]) => label(error))).toEqual([
      'connection',
      'connection',
      'setup',
      'command',
      'command',
      'command',
      'connection',
      'http',
      'http',
      'http',
      'setup',
      'connection',
    ])
  })
})

describe('the exported defaults', () => {
  it('are frozen, so that no caller changes them for every other one', () => {
    for (const defaults of [
      CONNECT_DEFAULTS,
      TRACKER_DEFAULTS,
      BACKOFF_DEFAULTS,
      DECODE_DEFAULTS,
      FILE_REQUEST_ANOMALIES,
    ])
      expect(Object.isFrozen(defaults)).toBe(true)
    expect(() => {
      ;(CONNECT_DEFAULTS as { maxRetries: number }).maxRetries = 0
    }).toThrow(TypeError)
    expect(CONNECT_DEFAULTS.maxRetries).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('causes of every kind', () => {
  const printed = (error: unknown): string => inspect(error, { depth: 10 })

  it('an AbortError (a DOMException) as cause: the error is made, prints, and keeps name and code', () => {
    const reason: unknown = AbortSignal.abort().reason
    const error = new DownloadError(
      { reason: 'aborted', fileId: 1, detail: 'aborted' },
      { cause: reason },
    )
    expect(printed(error)).toContain('AbortError')
    expect(error.cause).toMatchObject({ name: 'AbortError', code: 20 })
    const timeout = new HttpError(
      { method: 'GET', url: 'http://h/', detail: 'late' },
      { cause: new DOMException('timed out ?token=t0', 'TimeoutError') },
    )
    expect(printed(timeout)).not.toContain('t0')
  })

  it('an AggregateError (every address refused): its errors are scrubbed, and their reasons named', () => {
    const refused = new AggregateError(
      [
        new Error('connect ECONNREFUSED ::1:80 for ?token=s1'),
        new Error('connect ECONNREFUSED 127.0.0.1:80'),
      ],
      '',
    )
    const fetchFailed = new TypeError('fetch failed', { cause: refused })
    expect(messageOf(fetchFailed)).toBe(
      'fetch failed: connect ECONNREFUSED ::1:80 for ?token=s1; connect ECONNREFUSED 127.0.0.1:80',
    )
    const error = new HttpError(
      { method: 'POST', url: 'http://h/', detail: 'POST /files/ failed' },
      { cause: fetchFailed },
    )
    expect(printed(error)).toContain('ECONNREFUSED 127.0.0.1:80')
    expect(printed(error)).not.toContain('s1')
  })

  it('getters that throw, frozen errors and cycles neither throw nor leak', () => {
    const hostile = Object.create(Error.prototype, {
      message: { get: () => 'bad ?token=g1' },
      cause: {
        get: () => {
          throw new Error('no')
        },
      },
    }) as Error
    expect(
      printed(new HttpError({ method: 'GET', url: '', detail: 'x' }, { cause: hostile })),
    ).not.toContain('g1')
    const frozen = Object.freeze(
      Object.assign(new TypeError('frozen ?token=f1'), { code: 'E_FROZEN' }),
    )
    const kept = new HttpError({ method: 'GET', url: '', detail: 'x' }, { cause: frozen }).cause
    expect(kept).toBeInstanceOf(TypeError)
    expect(kept).toMatchObject({ code: 'E_FROZEN' })
    expect(printed(kept)).not.toContain('f1')
    const cyclic = new Error('cycle ?token=c1')
    ;(cyclic as { cause?: unknown }).cause = cyclic
    expect(
      printed(new HttpError({ method: 'GET', url: '', detail: 'x' }, { cause: cyclic })),
    ).not.toContain('c1')
    expect(messageOf(Object.create(null))).toBe('[object Object]')
  })

  it("this package's errors, from another copy of it too, are kept as they are", () => {
    const fromAnotherCopy = Object.assign(new Error('GET /files/1 answered HTTP 404'), {
      code: 'ERR_HTTP',
      status: 404,
      url: 'http://h/files/1?token=***',
    })
    expect(
      new DownloadError({ reason: 'io', fileId: 1, detail: 'x' }, { cause: fromAnotherCopy }).cause,
    ).toBe(fromAnotherCopy)
  })
})
