import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * The page secret, as Jupyter's token: the URL the demo prints carries it once (`/?token=…`); the
 * page's first load trades it for an `HttpOnly`, `SameSite=Strict` cookie, which every later request
 * of the page carries and no other site's page, nor another program on the machine, can read.
 */
export interface PageSecret {
  /** The value that goes into the printed URL's `token` query parameter. */
  readonly token: string
  /** The cookie's name: one per port, as cookies are not told apart by port. */
  readonly cookieName: string
  /** The `Set-Cookie` header value that stores the secret. */
  readonly setCookie: string
  /** Whether `value` (a `token` parameter or the cookie's value) is the secret, in constant time. */
  matches(value: string | undefined): boolean
  /** Whether a `Cookie` header carries the secret. */
  inCookies(header: string | undefined): boolean
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/** A new random secret for the page server on `port`. */
export const createPageSecret = (
  port: number,
  token = randomBytes(24).toString('base64url'),
): PageSecret => {
  const expected = digest(token)
  const cookieName = `room-files-demo-${port}`
  const matches = (value: string | undefined): boolean =>
    value !== undefined && value.length < 1024 && timingSafeEqual(digest(value), expected)
  return {
    token,
    cookieName,
    setCookie: `${cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`,
    matches,
    inCookies: (header) =>
      header !== undefined &&
      header.length < 8192 &&
      header.split(';').some((pair) => {
        const at = pair.indexOf('=')
        return (
          at > 0 && pair.slice(0, at).trim() === cookieName && matches(pair.slice(at + 1).trim())
        )
      }),
  }
}
