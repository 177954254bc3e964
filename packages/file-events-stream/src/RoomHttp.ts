import { fileDownloadPath } from '@org/file-events-codec'
import type { SchedulerLike, Subscription } from 'rxjs'
import { FILE_UPLOAD_PATH, type FetchLike } from './discoverRoom'
import { ConfigurationError, HttpError } from './errors'
import {
  RedirectRefused,
  corsHint,
  fetchOnce,
  fetchWithin,
  inBrowser,
} from './internal/fetchWithin'
import { type UploadProgress, multipartBody } from './internal/uploadBody'
import type { Redactor } from './Redactor'

/** Read through a call, so that a check made before an `await` is not taken as still true after it. */
const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true

/** What the HTTP side needs from its connection. */
export interface RoomHttpHost {
  readonly fetch: FetchLike | undefined
  readonly scheduler: SchedulerLike
  readonly httpTokenMaxAgeMs: number
  /** The longest silence: no piece of a body taken or given, or no answer once a body is sent. */
  readonly httpTimeoutMs: number
  readonly redactor: Redactor
  /** The HTTP server's URL, once known. */
  baseUrl(): string | undefined
  /** A fresh token from the room (`getTokenForHttpServer`); waits for the connection. */
  freshToken(): Promise<string>
  /** Aborted when the connection ends. */
  readonly ended: AbortSignal
  /** The error that ended the connection, or `undefined` while it is open. */
  endedWith(): unknown
}

/**
 * The room's built-in HTTP server: the token (kept, refreshed when old or refused), uploads and
 * downloads. Every request runs under a signal of its own, aborted by the end of the connection,
 * by the caller's signal and by `httpTimeoutMs` of silence; a download follows redirects only on
 * the server's own origin, an upload none.
 *
 * @internal
 */
export class RoomHttp {
  /** Read through closures, so that no inspection of this object reaches the token. */
  private readonly token: (forceRefresh: boolean) => Promise<string>
  private readonly keep: (value: string) => void

  /** The requests running, each aborted by the end of the connection. */
  private readonly live = new Set<AbortController>()
  /** Drops the end of the connection's one listener, there while a request runs. */
  private unlinkEnded: AbortController | undefined

  /** In a browser: whether the HTTP server at this base URL lets this page read its answers. */
  private corsChecked: Map<string, Promise<void>> | undefined

  constructor(private readonly host: RoomHttpHost) {
    let current: { readonly value: string; readonly at: number } | undefined
    let refresh: Promise<string> | undefined
    this.keep = (value) => {
      current = { value, at: host.scheduler.now() }
    }
    this.token = async (forceRefresh) => {
      if (
        !forceRefresh &&
        current !== undefined &&
        host.scheduler.now() - current.at < host.httpTokenMaxAgeMs
      )
        return current.value
      // Before the first auth this waits for the connection like any request; one refresh is shared.
      refresh ??= host.freshToken()
      const pending = refresh
      try {
        const value = await pending
        current = { value, at: host.scheduler.now() }
        return value
      } finally {
        if (refresh === pending) refresh = undefined
      }
    }
  }

  /** The token `auth` handed out. */
  authenticated(tokenForHttpServer: string): void {
    this.keep(tokenForHttpServer)
  }

  /**
   * Uploads bytes and resolves with the new `fileId`. The body is pulled piece by piece as the
   * socket takes it (on Node, a file from `fs.openAsBlob` is never held in memory), is never sent
   * on by a redirect, and is watched for silence rather than timed whole; `signal` bounds the whole.
   */
  async upload(
    data: Blob | Uint8Array | string,
    fileName: string,
    signal: AbortSignal | undefined,
  ): Promise<number> {
    if (typeof fileName !== 'string' || fileName.trim() === '') {
      throw new ConfigurationError({ detail: 'a file to send needs a name: `fileName` is empty' })
    }
    const blob = data instanceof Blob ? data : new Blob([data])
    // A browser's fetch streams a request body only over HTTP/2: there the form goes as a whole,
    // and how much of it was sent cannot be seen.
    const multipart = inBrowser() ? undefined : multipartBody(blob, fileName)
    const { response, url, unlink } = await this.request(
      'POST',
      FILE_UPLOAD_PATH,
      signal,
      (progress): RequestInit => {
        if (multipart === undefined) {
          const form = new FormData()
          form.append('file', blob, fileName)
          return { body: form }
        }
        // `duplex` is what fetch requires with a stream body; TypeScript's RequestInit lacks it.
        return {
          body: multipart.open(progress),
          headers: {
            'Content-Type': multipart.contentType,
            'Content-Length': String(multipart.length),
          },
          duplex: 'half',
        } as RequestInit
      },
    )
    const header = response.headers.get('FileId')
    await response.body?.cancel().catch(() => undefined)
    unlink()
    if (header === null || !/^\d+$/.test(header.trim())) {
      throw new HttpError({
        method: 'POST',
        url,
        status: response.status,
        detail: 'the upload answer had no numeric FileId header',
      })
    }
    return Number(header.trim())
  }

  /** A 2xx download response (the body unread), and the function that unlinks its signal once read. */
  download(
    fileId: number | string,
    signal: AbortSignal | undefined,
  ): Promise<{ response: Response; unlink: () => void }> {
    return this.request('GET', fileDownloadPath(fileId), signal, undefined)
  }

  /**
   * The signal a request runs under: aborted when the connection ends, or when the caller's signal,
   * if any, aborts. `unlink` drops the listeners that join them once the request and its body are
   * done, so that a long-lived signal keeps nothing of finished requests. (`AbortSignal.any` would
   * do the joining, but on Node 20 a source keeps every signal made from it for as long as it lives.)
   */
  private signal(callers: AbortSignal | null | undefined): {
    signal: AbortSignal
    abort: (reason: unknown) => void
    unlink: () => void
  } {
    // Always a signal of the request's own: fetch leaves its listener on the signal it is given.
    const either = new AbortController()
    const ended = this.host.ended
    const aborted = [callers, ended].find((source) => source?.aborted === true)
    if (aborted !== undefined && aborted !== null) {
      either.abort(aborted.reason)
      return { signal: either.signal, abort: () => undefined, unlink: () => undefined }
    }
    // The end of the connection reaches the requests running through one listener, there while
    // any runs: a listener each would pass Node's limit of 10 and warn, and none stays when idle.
    const live = this.live
    if (live.size === 0) {
      const unlinkEnded = new AbortController()
      this.unlinkEnded = unlinkEnded
      ended.addEventListener(
        'abort',
        () => {
          for (const request of [...live]) request.abort(ended.reason)
        },
        { once: true, signal: unlinkEnded.signal },
      )
    }
    live.add(either)
    const links = new AbortController()
    if (callers !== undefined && callers !== null)
      callers.addEventListener('abort', () => either.abort(callers.reason), {
        once: true,
        signal: links.signal,
      })
    return {
      signal: either.signal,
      abort: (reason) => either.abort(reason),
      unlink: () => {
        if (live.delete(either) && live.size === 0) this.unlinkEnded?.abort()
        links.abort()
      },
    }
  }

  /**
   * In a browser, asks the HTTP server once, without the token, whether it answers this page's
   * origin: a request that CORS blocks is printed whole in the browser's console, token included,
   * so the token is only sent once a request without it went through. Any answer (404 included)
   * will do; a failure is an `HttpError` that names CORS, and is asked again next time.
   */
  private corsAllowed(
    doFetch: FetchLike,
    base: string,
    method: string,
    path: string,
    shownUrl: string,
  ): Promise<void> {
    if (!inBrowser()) return Promise.resolve()
    const checked = (this.corsChecked ??= new Map())
    let check = checked.get(base)
    if (check === undefined) {
      check = fetchWithin(doFetch, `${base}/`, () => ({
        method: 'GET',
        signal: this.host.ended,
      })).then(
        async (response) => {
          await response.body?.cancel().catch(() => undefined)
        },
        (error: unknown) => {
          checked.delete(base)
          const ended = this.host.endedWith()
          if (ended !== undefined) throw ended
          const detail = `${method} ${path} failed: the HTTP server at ${base} could not be read without a token${corsHint(error)}`
          throw new HttpError(
            { method, url: shownUrl, detail },
            { cause: this.host.redactor.scrub(error) },
          )
        },
      )
      checked.set(base, check)
    }
    return check
  }

  /**
   * A 2xx response; a 401/403 refreshes the token and tries once more. A request with a body
   * (`body`, called anew for each attempt, reporting its progress) follows no redirect; one
   * without follows them on the server's own origin. The silence timer measures the wait for the
   * next piece of the body to be taken, then for the answer: never the size of the body.
   */
  private async request(
    method: string,
    path: string,
    callerSignal: AbortSignal | undefined,
    body: ((progress: UploadProgress) => RequestInit) | undefined,
  ): Promise<{ response: Response; url: string; unlink: () => void }> {
    const doFetch = this.host.fetch
    if (doFetch === undefined)
      throw new ConfigurationError({
        detail: 'no fetch implementation: pass `fetch` in the options',
      })
    const redactor = this.host.redactor
    const scheduler = this.host.scheduler
    let refreshed = false
    for (;;) {
      const token = await this.token(refreshed)
      const ended = this.host.endedWith()
      if (ended !== undefined) throw ended
      if (isAborted(callerSignal)) throw callerSignal?.reason
      const base = this.host.baseUrl()
      if (base === undefined)
        throw new ConfigurationError({ detail: 'the HTTP server URL is not known yet' })
      const shownUrl = `${base}${path}?token=***`
      await this.corsAllowed(doFetch, base, method, path, shownUrl)
      const url = `${base}${path}?token=${encodeURIComponent(token)}`
      // The end of the connection aborts the request, and the reading of its body; so does the
      // caller's signal, and so does silence: httpTimeoutMs without a piece of the request's body
      // taken, or without an answer once it is all taken.
      const { signal, abort, unlink } = this.signal(callerSignal)
      const limit = this.host.httpTimeoutMs
      let silence: HttpError | undefined
      const watch = silenceWatch(scheduler, limit, (waitingFor, sentBytes) => {
        const detail =
          waitingFor === 'answer'
            ? `${method} ${path} got no answer within httpTimeoutMs (${limit} ms)`
            : `${method} ${path} stalled: the server took no more of the body for httpTimeoutMs (${limit} ms), after ${sentBytes} bytes`
        silence = new HttpError({ method, url: shownUrl, detail })
        abort(silence)
      })
      let response: Response
      try {
        response =
          body === undefined
            ? await fetchWithin(doFetch, url, () => ({ method, signal }))
            : await fetchOnce(doFetch, url, { ...body(watch), method, signal })
      } catch (error) {
        watch.stop()
        unlink()
        const endedNow = this.host.endedWith()
        if (endedNow !== undefined) throw endedNow
        if (silence !== undefined && signal.reason === silence) throw silence
        if (isAborted(callerSignal)) throw callerSignal?.reason
        const detail =
          error instanceof RedirectRefused
            ? `${method} ${path} was not sent on: ${error.message}`
            : `${method} ${path} failed: ${redactor.describe(error)}${corsHint(error)}`
        throw new HttpError(
          { method, url: shownUrl, detail },
          error instanceof RedirectRefused ? undefined : { cause: redactor.scrub(error) },
        )
      }
      watch.stop()
      if ((response.status === 401 || response.status === 403) && !refreshed) {
        await response.body?.cancel().catch(() => undefined)
        unlink()
        refreshed = true
        continue
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined)
        unlink()
        throw new HttpError({
          method,
          url: shownUrl,
          status: response.status,
          detail: `${method} ${path} answered HTTP ${response.status}`,
        })
      }
      const idle = new HttpError({
        method,
        url: shownUrl,
        status: response.status,
        detail: `${method} ${path} sent no data for httpTimeoutMs (${limit} ms)`,
      })
      return {
        response: watchBody(response, {
          idleMs: limit,
          scheduler: this.host.scheduler,
          onIdle: () => abort(idle),
          onEnd: unlink,
        }),
        url: shownUrl,
        unlink,
      }
    }
  }
}

/**
 * The silence timer of a request: `onSilence` is called once `limit` ms pass without progress
 * (a piece of the body taken, the whole body taken), saying what was awaited. It waits for the
 * answer until a piece is taken, and again once the body is all taken. One timer serves the whole
 * request, moved on only when it fires, so that a piece taken costs a clock read.
 */
const silenceWatch = (
  scheduler: SchedulerLike,
  limit: number,
  onSilence: (waitingFor: 'answer' | 'body', sentBytes: number) => void,
): UploadProgress & { readonly stop: () => void } => {
  let waitingFor: 'answer' | 'body' = 'answer'
  let sentBytes = 0
  let last = scheduler.now()
  let timer: Subscription | undefined
  const arm = (delay: number): void => {
    timer = scheduler.schedule(() => {
      const idle = scheduler.now() - last
      if (idle < limit) arm(limit - idle)
      else onSilence(waitingFor, sentBytes)
    }, delay)
  }
  arm(limit)
  return {
    pulled: (bytes) => {
      waitingFor = 'body'
      sentBytes = bytes
      last = scheduler.now()
    },
    sent: () => {
      waitingFor = 'answer'
      last = scheduler.now()
    },
    stop: () => timer?.unsubscribe(),
  }
}

/**
 * The response with its body read through a watch: a wait for data longer than `idleMs` calls
 * `onIdle` (which aborts the request), and the end of the body, read to its end, failed or
 * cancelled, calls `onEnd` once (which drops the request's links to long-lived signals).
 */
const watchBody = (
  response: Response,
  watch: {
    readonly idleMs: number
    readonly scheduler: SchedulerLike
    readonly onIdle: () => void
    readonly onEnd: () => void
  },
): Response => {
  const body = response.body
  if (body === null) {
    watch.onEnd()
    return response
  }
  const reader = body.getReader()
  let timer: Subscription | undefined
  let ended = false
  const end = (): void => {
    timer?.unsubscribe()
    if (ended) return
    ended = true
    watch.onEnd()
  }
  const watched = new ReadableStream<Uint8Array>({
    async pull(controller) {
      timer = watch.scheduler.schedule(watch.onIdle, watch.idleMs)
      try {
        const { done, value } = await reader.read()
        timer.unsubscribe()
        if (done) {
          end()
          controller.close()
        } else controller.enqueue(value)
      } catch (error) {
        end()
        controller.error(error)
      }
    },
    async cancel(reason) {
      end()
      await reader.cancel(reason).catch(() => undefined)
    },
  })
  return new Response(watched, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
}
