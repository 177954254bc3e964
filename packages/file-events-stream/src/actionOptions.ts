/*
 * The options a connection's actions take: what to send, and the `signal` every action accepts.
 * `RoomConnection` (and the Node entry's subclass) take them.
 */
/**
 * What to send with {@link RoomConnection.sendFile}: the bytes and the name, and the receiver
 * (a peer's TrueConf ID, or `'conference'` for the ongoing group conference).
 *
 * @category files
 * @since 0.1.0
 */
export interface SendFileOptions {
  readonly data: Blob | Uint8Array | string
  readonly fileName: string
  readonly to: string
  /**
   * Aborts the upload (it rejects with the signal's reason); aborted by then, no command follows it. The upload
   * has no total time limit of its own, only `httpTimeoutMs` of silence: bound the whole with
   * `AbortSignal.timeout(ms)`.
   *
   * @since 0.1.0
   */
  readonly signal?: AbortSignal
}

/**
 * Options of {@link RoomConnection.uploadFile}.
 *
 * @category files
 * @since 0.1.0
 */
export interface UploadFileOptions {
  /**
   * Aborts the upload; it then rejects with the signal's reason. An upload is cut by
   * `httpTimeoutMs` only when it stops moving: `AbortSignal.timeout(ms)` bounds its whole time.
   */
  readonly signal?: AbortSignal
}

/**
 * The options of `acceptFile`, `rejectFile` and `sendUploaded`.
 *
 * @category connection
 * @since 0.1.0
 */
export interface FileActionOptions {
  /** Aborts the command: it rejects with the signal's reason, and the room's reply is ignored. */
  readonly signal?: AbortSignal
}

/**
 * The options of {@link RoomConnection.ready}.
 *
 * @category connection
 * @since 0.1.0
 */
export interface ReadyOptions {
  /** Stops waiting: `ready` rejects with the signal's reason (the connection goes on). */
  readonly signal?: AbortSignal
}
