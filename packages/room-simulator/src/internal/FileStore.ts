import { rmSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import type { StoredFile } from './RoomState'
import type { StorageQuota } from './StorageQuota'

/**
 * The storage folder: writes that `close()` waits for, removals that give their bytes back to the
 * quota. Uploads reserve their bytes themselves as they arrive (see `httpFiles`).
 */
export class FileStore {
  /** File writes in flight; `close()` waits for them before removing the storage folder. */
  private readonly writes = new Set<Promise<unknown>>()

  constructor(
    readonly dir: string,
    readonly quota: StorageQuota,
  ) {}

  /**
   * Writes `size` bytes without blocking the event loop, after reserving them; resolves false (and
   * writes nothing) when they do not fit the quota. Generated content arrives as chunks made while
   * the file is written, so a large one never sits in memory whole. A failed write gives the bytes back.
   */
  async write(
    path: string,
    bytes: Uint8Array | Iterable<Uint8Array>,
    size: number,
  ): Promise<boolean> {
    if (!this.quota.tryReserve(size)) return false
    const write = writeFile(path, bytes)
    this.writes.add(write)
    try {
      await write
      return true
    } catch (error) {
      this.quota.release(size)
      throw error
    } finally {
      this.writes.delete(write)
    }
  }

  /** Drops a written file that will not be kept. */
  async discard(path: string, size: number): Promise<void> {
    this.quota.release(size)
    await rm(path, { force: true })
  }

  remove(file: StoredFile): void {
    this.quota.release(file.size)
    rmSync(file.path, { force: true })
  }

  settled(): Promise<unknown> {
    return Promise.allSettled([...this.writes])
  }
}
