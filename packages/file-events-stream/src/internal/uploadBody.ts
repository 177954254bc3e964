/** What an upload's body reports while it is pulled: the watch on its progress. */
export interface UploadProgress {
  /** A piece was taken by the sender; `bytes` counts the body's bytes taken so far. */
  readonly pulled: (bytes: number) => void
  /** The last piece was taken: the whole body is on its way. */
  readonly sent: () => void
}

/** The largest piece handed to the sender at once: progress is seen at least this finely. */
const MAX_PIECE = 16 * 1024

/** A `multipart/form-data` body with one part, made anew for every attempt. */
export interface MultipartBody {
  readonly contentType: string
  /** The body's exact length in bytes (sent as `Content-Length`). */
  readonly length: number
  /** The body as a stream that reads the file only as the sender pulls it. */
  readonly open: (progress: UploadProgress) => ReadableStream<Uint8Array>
}

/**
 * A file name as the HTML form encoding puts it in a `Content-Disposition` header (as `FormData`
 * does): a quote and line breaks are percent-encoded, so a name cannot end the header.
 */
const quotedName = (name: string): string =>
  name.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')

const randomBoundary = (): string => {
  const bytes = new Uint8Array(16)
  globalThis.crypto.getRandomValues(bytes)
  let hex = ''
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0')
  return `----file-events-stream-${hex}`
}

/**
 * The body of an upload in the multipart field `file`, as a stream pulled piece by piece: the file
 * (a `Blob`, maybe backed by a file on disk) is read only as fast as the sender takes it, so memory
 * stays constant, and every piece taken is reported, so that a silence timer can tell a slow but
 * moving upload from a stalled one.
 */
export const multipartBody = (file: Blob, fileName: string, field = 'file'): MultipartBody => {
  const boundary = randomBoundary()
  const encoder = new TextEncoder()
  const type = file.type === '' ? 'application/octet-stream' : file.type
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${quotedName(fileName)}"\r\n` +
      `Content-Type: ${type}\r\n\r\n`,
  )
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.byteLength + file.size + tail.byteLength,
    open: (progress) => {
      let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
      let stage: 'head' | 'file' | 'tail' | 'done' = 'head'
      let bytes = 0
      /** The rest of a piece the file gave that is larger than one piece sent. */
      let rest: Uint8Array | undefined
      const give = (
        controller: ReadableStreamDefaultController<Uint8Array>,
        chunk: Uint8Array,
      ): void => {
        // A Blob in memory gives itself whole: one piece taken would say nothing of its progress.
        const piece = chunk.byteLength > MAX_PIECE ? chunk.subarray(0, MAX_PIECE) : chunk
        rest = piece === chunk ? undefined : chunk.subarray(MAX_PIECE)
        bytes += piece.byteLength
        progress.pulled(bytes)
        controller.enqueue(piece)
      }
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            if (stage === 'head') {
              stage = 'file'
              give(controller, head)
              return
            }
            if (rest !== undefined) {
              give(controller, rest)
              return
            }
            if (stage === 'file') {
              reader ??= file.stream().getReader()
              const { done, value } = await reader.read()
              if (!done) {
                give(controller, value)
                return
              }
              stage = 'tail'
            }
            if (stage === 'tail') {
              stage = 'done'
              give(controller, tail)
              progress.sent()
              return
            }
            controller.close()
          },
          async cancel(reason) {
            stage = 'done'
            await reader?.cancel(reason).catch(() => undefined)
          },
        },
        // Nothing is read ahead of the sender: a piece is read when the socket takes the last one.
        { highWaterMark: 0 },
      )
    },
  }
}
