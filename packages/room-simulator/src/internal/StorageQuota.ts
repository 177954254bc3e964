/**
 * The bytes the storage folder may hold (uploads, received files, scenario sends). Bytes are
 * reserved as they arrive, before they are written, so concurrent uploads cannot pass the quota
 * together; a file that is dropped or deleted gives its bytes back.
 */
export class StorageQuota {
  private usedBytes = 0

  constructor(readonly maxBytes: number) {}

  get used(): number {
    return this.usedBytes
  }

  /** Reserves `bytes` and returns true, or returns false and reserves nothing when they do not fit. */
  tryReserve(bytes: number): boolean {
    if (this.usedBytes + bytes > this.maxBytes) return false
    this.usedBytes += bytes
    return true
  }

  release(bytes: number): void {
    this.usedBytes = Math.max(0, this.usedBytes - bytes)
  }
}
