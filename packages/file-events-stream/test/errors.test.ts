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
  redactUrl,
} from '../src/index'

const cause = new Error('socket hang up')
const cases: Array<[RoomClientError, string, string, (u: unknown) => boolean]> = [
  [new ConnectionError('lost', { url: 'ws://h:1', closeCode: 1006 }, { cause }), 'ConnectionError', 'ERR_CONNECTION', isConnectionError],
  [new RetriesExhaustedError(3, cause), 'RetriesExhaustedError', 'ERR_RETRIES_EXHAUSTED', isRetriesExhaustedError],
  [new AuthenticationError({ authType: 'secured', resultCode: 3, serverError: 'Wrong credentials' }), 'AuthenticationError', 'ERR_AUTHENTICATION', isAuthenticationError],
  [new RequestTimeoutError({ method: 'auth', requestId: '1', timeoutMs: 10 }), 'RequestTimeoutError', 'ERR_REQUEST_TIMEOUT', isRequestTimeoutError],
  [new CommandFailedError({ method: 'sendFile', requestId: '2', serverError: 'no file' }), 'CommandFailedError', 'ERR_COMMAND_FAILED', isCommandFailedError],
  [new ReplyDecodeError({ method: 'sendFile', requestId: '2', failure: decodeFailure('schema', ['bad'], 10) }), 'ReplyDecodeError', 'ERR_REPLY_DECODE', isReplyDecodeError],
  [new ConnectionClosedError(), 'ConnectionClosedError', 'ERR_CLOSED', isConnectionClosedError],
  [new DiscoveryError('no', 'http://h/public/default/config.json', { cause }), 'DiscoveryError', 'ERR_DISCOVERY', isDiscoveryError],
  [new HttpError('403', { method: 'GET', url: 'http://h:2/files/1?token=s3cr3t', status: 403 }), 'HttpError', 'ERR_HTTP', isHttpError],
  [new DownloadError('big', { reason: 'too-large', fileId: 4 }), 'DownloadError', 'ERR_DOWNLOAD', isDownloadError],
  [new ConfigurationError('no ws'), 'ConfigurationError', 'ERR_CONFIGURATION', isConfigurationError],
]

describe('errors', () => {
  it.each(cases)('%p has its name, code and guard', (error, name, code, guard) => {
    expect(error).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf(RoomClientError)
    expect(error.name).toBe(name)
    expect(error.code).toBe(code)
    expect(guard(error)).toBe(true)
    expect(String(error)).toContain(name)
    for (const [other, , , otherGuard] of cases) if (other !== error) expect(otherGuard(error)).toBe(false)
    expect(guard({ code })).toBe(false)
    expect(guard(undefined)).toBe(false)
  })

  it('keeps the cause and structured fields', () => {
    const e = cases[0]?.[0] as ConnectionError
    expect(e.cause).toBe(cause)
    expect(e.closeCode).toBe(1006)
    expect(new RetriesExhaustedError(3, cause)).toMatchObject({ attempts: 3, lastError: cause, cause })
  })

  it('never shows tokens or credentials from URLs', () => {
    expect(redactUrl('http://h:2/files/1?token=abc&x=1')).toBe('http://h:2/files/1?token=***&x=1')
    expect(redactUrl('ws://user:pw@h:1/?pin=1234')).toBe('ws://***@h:1/?pin=***')
    const http = cases[8]?.[0] as HttpError
    expect(http.url).not.toContain('s3cr3t')
    expect(JSON.stringify(http)).not.toContain('s3cr3t')
    expect(new AuthenticationError({ authType: 'unsecured' }).message).toContain('may require a PIN')
  })
})
