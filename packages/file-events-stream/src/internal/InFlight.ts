/**
 * What a connection has started and not seen end: sockets closing, discoveries being aborted,
 * commands, uploads and downloads. `settled()` resolves once all of them have, those that start
 * meanwhile included, so that `close()` can say when nothing of the connection is left running.
 *
 * @internal
 */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>()

  /** Keeps `work` until it settles; returns it. */
  track<T>(work: Promise<T>): Promise<T> {
    const pending = this.pending
    pending.add(work)
    const drop = (): void => {
      pending.delete(work)
    }
    work.then(drop, drop)
    return work
  }

  /** Resolves once everything tracked has settled, whatever it settled with. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }
}
