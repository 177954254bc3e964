// What the terminal demo does by itself, as a kiosk would: it says hello to a peer once connected,
// accepts offers nobody answered, and downloads every file it received. Its notes go to the log.
import { fileSizeOf } from '@org/file-events-codec'
import type { NodeRoomConnection } from '@org/file-events-stream/node'
import type { Subscription } from 'rxjs'
import { formatBytes, messageOf } from './presentation'
import type { Note } from './viewModel'

/**
 * Scaling never takes the auto-accept delay below this. The scenario answers some offers itself a
 * little after making them (the `demo` preset rejects holiday.jpg 400 ms later, 0 ms at time scale
 * 0); an accept fired as early as that would race the scenario's answer and change the outcome.
 */
export const MIN_SCALED_ACCEPT_MS = 500

/** The auto-accept delay with the embedded simulator: `--accept-after` times `--time-scale`, floored. */
export const scaledAcceptDelay = (acceptAfterMs: number, timeScale: number): number =>
  Math.max(acceptAfterMs * timeScale, Math.min(acceptAfterMs, MIN_SCALED_ACCEPT_MS))

export interface KioskOptions {
  readonly connection: NodeRoomConnection
  /** Where received files are saved. */
  readonly dir: string
  /** Accept an offer nobody answered within this many milliseconds; never without it. */
  readonly acceptAfterMs: number | undefined
  /** Send `hello-from-demo.txt` to this peer once connected (the embedded room's). */
  readonly helloTo: string | undefined
  /** Where its notes go. */
  readonly note: (note: Note) => void
}

/** A running kiosk behaviour. */
export interface Kiosk {
  /** Whether an accept is still to come or a call of its is still running. */
  readonly busy: () => boolean
  /** Resolves when the calls it has started have settled. */
  readonly settled: () => Promise<void>
  /** Stops acting: no more accepts; calls under way run on. */
  readonly stop: () => void
}

export const startKiosk = (options: KioskOptions): Kiosk => {
  const { connection, note } = options
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const pending = new Set<Promise<unknown>>()
  const say = (text: string): void => note({ kind: 'action', text })
  const track = (work: Promise<unknown>): void => {
    const p = work.catch((error: unknown) => note({ kind: 'error', text: `! ${messageOf(error)}` }))
    pending.add(p)
    void p.finally(() => pending.delete(p))
  }
  const later = (ms: number, f: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      f()
    }, ms)
    timers.add(timer)
  }
  let sentHello = false
  const subscriptions: Subscription[] = [
    connection.state$.subscribe({
      error: () => undefined,
      next: (s) => {
        if (s.status !== 'ready' || options.helloTo === undefined || sentHello) return
        sentHello = true
        track(
          connection
            .sendFile({
              data: `Hello from the demo, ${new Date().toISOString()}\n`,
              fileName: 'hello-from-demo.txt',
              to: options.helloTo,
            })
            .then((id) => say(`⇡ sendFile hello-from-demo.txt → request ${id.slice(0, 8)}`)),
        )
      },
    }),
    connection.events$.subscribe({
      error: () => undefined,
      next: (e) => {
        const delayMs = options.acceptAfterMs
        if (e.event === 'receivedFileRequest' && delayMs !== undefined) {
          const id = e.fileRequestId
          later(delayMs, () => {
            const r = connection.fileRequests.get(id)
            if (r !== undefined && r.status === 1 && !r.rejected) {
              // Said before the call: its answer (accepted, in progress) follows as room events.
              say(
                `⇣ accepting ${e.fileName} with acceptFile (nobody answered it for ${(delayMs / 1000).toFixed(1)} s)`,
              )
              track(connection.acceptFile(id))
            }
          })
        }
        if (
          e.event === 'fileRequestStatusChanged' &&
          e.status === 3 &&
          e.directionType === 0 &&
          e.fileId !== undefined
        ) {
          const size = fileSizeOf(e)
          track(
            connection
              .downloadFile(e.fileId, {
                dir: options.dir,
                fileName: e.fileName,
                ...(size === undefined ? {} : { expectedSize: size }),
              })
              .then((f) => say(`⇣ saved ${f.fileName} (${formatBytes(f.bytes)}) to ${f.path}`)),
          )
        }
      },
    }),
  ]
  return {
    busy: () => timers.size > 0 || pending.size > 0,
    settled: async () => {
      await Promise.allSettled([...pending])
    },
    stop: () => {
      for (const s of subscriptions) s.unsubscribe()
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    },
  }
}
