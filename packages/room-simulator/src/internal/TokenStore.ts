import { randomBytes } from 'node:crypto'

export type TokenCheck = 'ok' | 'missing' | 'unknown' | 'expired'

/**
 * Tokens of the built-in HTTP server. They are random (not seeded): they are secrets, and they take
 * no part in the event sequence a seed reproduces.
 */
export class TokenStore {
  private readonly expiries = new Map<string, number>()

  constructor(
    /** Lifetime in ms; `Infinity` when a PIN is set (the documentation: no expiry until restart). */
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): string {
    const token = randomBytes(24).toString('base64url')
    this.expiries.set(token, this.now() + this.ttlMs)
    return token
  }

  check(token: string | null | undefined): TokenCheck {
    if (token === null || token === undefined || token === '') return 'missing'
    const expiry = this.expiries.get(token)
    if (expiry === undefined) return 'unknown'
    return this.now() >= expiry ? 'expired' : 'ok'
  }
}

/** A fresh opaque session token for the WebSocket `auth` reply. */
export const newSessionToken = (): string => randomBytes(24).toString('base64url')
