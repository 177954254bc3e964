import { connect } from 'node:net'
import { startPageServer, type PageServer } from '../src/web/pageServer'
import {
  cookieOf,
  rawRequest,
  requestText,
  requestsWithoutSecret,
  sendAll,
} from './helpers/rawHttp'

const PIN = '246810'
const SESSION = { title: 't', host: '127.0.0.1', webPort: 1, pin: PIN, sendTo: '' }

describe('the web demo page server', () => {
  let pages: PageServer
  let base: string
  let port: number
  let token: string
  beforeEach(async () => {
    pages = await startPageServer({
      host: '127.0.0.1',
      port: 0,
      script: '/* js */',
      session: () => SESSION,
    })
    const url = new URL(pages.url)
    base = `${url.protocol}//${url.host}`
    port = Number(url.port)
    token = url.searchParams.get('token') ?? ''
  })
  afterEach(() => pages.close())

  const send = (parts: Parameters<typeof requestText>[0]) =>
    rawRequest(base, requestText({ host: `127.0.0.1:${port}`, ...parts }))

  /** The cookie the printed link sets, got as a browser would on its first load. */
  const signIn = async (host = `127.0.0.1:${port}`) =>
    cookieOf(await send({ path: `/?token=${token}`, host }))

  it('prints a URL on 127.0.0.1 with a long random token, and allows both names as page origins', () => {
    expect(pages.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/)
    expect(pages.origins).toEqual([`http://127.0.0.1:${port}`, `http://localhost:${port}`])
  })

  it('trades the token for an HttpOnly, SameSite=Strict cookie and a redirect to the bare URL; with it the page and the session are served', async () => {
    const first = await send({ path: `/?token=${token}` })
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe('/')
    expect(first.headers['set-cookie']).toBe(
      `room-files-demo-${port}=${token}; Path=/; HttpOnly; SameSite=Strict`,
    )
    const cookie = cookieOf(first)
    const page = await send({ headers: { Cookie: cookie } })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<script src="/dashboard.js">')
    expect(page.headers['x-frame-options']).toBe('DENY')
    const session = await send({ path: '/session.json', headers: { Cookie: `a=b; ${cookie}` } })
    expect(session.status).toBe(200)
    expect(JSON.parse(session.body)).toEqual(SESSION)
    // From the page itself (same origin), as its fetch sends it.
    const fromPage = await send({
      path: '/session.json',
      headers: { Cookie: cookie, Origin: `http://127.0.0.1:${port}` },
    })
    expect(fromPage.status).toBe(200)
  })

  it('accepts localhost as the page host, sign-in included', async () => {
    const cookie = await signIn(`localhost:${port}`)
    const session = await send({
      path: '/session.json',
      host: `localhost:${port}`,
      headers: { Cookie: cookie, Origin: `http://localhost:${port}` },
    })
    expect(session.status).toBe(200)
  })

  it('refuses the session without the secret with 403 and one line saying why', async () => {
    const answer = await send({ path: '/session.json' })
    expect(answer.status).toBe(403)
    expect(answer.body).toBe(
      'This dashboard needs the link the demo printed (it ends in ?token=...): open that link once in this browser.\n',
    )
    const wrong = await send({ path: '/?token=nope' })
    expect(wrong.status).toBe(403)
    expect(wrong.body).toContain('The link&#39;s token is not this dashboard&#39;s.')
  })

  it('answers another Host with a short page that says why', async () => {
    const answer = await send({
      host: `attacker.example:${port}`,
      headers: { Cookie: await signIn() },
    })
    expect(answer.status).toBe(403)
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(answer.body).toContain(
      `This dashboard answers only at http://127.0.0.1:${port}/ or http://localhost:${port}/.`,
    )
  })

  it('answers each route with its methods only (405 and Allow), refuses bodies (400, and 413 past 1 KiB) and unknown paths (404)', async () => {
    const cookie = await signIn()
    const post = await send({
      method: 'POST',
      path: '/session.json',
      headers: { Cookie: cookie },
      body: '{"bad',
    })
    expect(post.status).toBe(405)
    expect(post.headers.allow).toBe('GET')
    const del = await send({ method: 'DELETE', headers: { Cookie: cookie } })
    expect([del.status, del.headers.allow]).toEqual([405, 'GET, HEAD'])
    const small = await send({
      path: '/session.json',
      headers: { Cookie: cookie },
      body: '{"x":1}',
    })
    expect(small.status).toBe(400)
    const big = await send({
      path: '/session.json',
      headers: { Cookie: cookie, 'Content-Length': '5000' },
    })
    expect(big.status).toBe(413)
    const chunked = await send({
      path: '/session.json',
      headers: { Cookie: cookie, 'Transfer-Encoding': 'chunked' },
    })
    expect(chunked.status).toBe(400)
    expect((await send({ path: '/other', headers: { Cookie: cookie } })).status).toBe(404)
    for (const answer of [post, del, small, big, chunked]) expect(answer.raw).not.toContain(PIN)
  })

  it('bound to [::1], takes [::1] and localhost as the page host, and no longer 127.0.0.1', async () => {
    const v6 = await startPageServer({ host: '::1', port: 0, script: '', session: () => SESSION })
    try {
      const url = new URL(v6.url)
      expect(url.hostname).toBe('[::1]')
      const at = (host: string) =>
        rawRequest(v6.url, requestText({ path: `/?token=${url.searchParams.get('token')}`, host }))
      expect((await at(`[::1]:${url.port}`)).status).toBe(303)
      expect((await at(`localhost:${url.port}`)).status).toBe(303)
      expect((await at(`127.0.0.1:${url.port}`)).status).toBe(403)
      expect(v6.origins).toEqual([`http://[::1]:${url.port}`, `http://localhost:${url.port}`])
    } finally {
      await v6.close()
    }
  })

  it('closes a connection that never speaks, or stops halfway through its headers', async () => {
    const quiet = await startPageServer({
      host: '127.0.0.1',
      port: 0,
      script: '',
      session: () => SESSION,
      idleTimeoutMs: 200,
    })
    try {
      const { port: quietPort } = new URL(quiet.url)
      const closes = ['', 'GET /session.json HTTP/1.1\r\nHost: 127'].map(
        (sent) =>
          new Promise<string>((resolve) => {
            const socket = connect({ host: '127.0.0.1', port: Number(quietPort) }, () =>
              socket.write(sent),
            )
            let answer = ''
            socket.on('data', (d: Buffer) => (answer += d.toString()))
            socket.on('error', () => undefined)
            socket.once('close', () => resolve(answer))
          }),
      )
      for (const answer of await Promise.all(closes)) expect(answer).not.toContain(PIN)
    } finally {
      await quiet.close()
    }
  })

  it('never shows the PIN or the token to a request without the secret, among 2,205 kinds of them', async () => {
    const requests = requestsWithoutSecret(port)
    const answers = await sendAll(base, requests)
    const statuses = new Set<number>()
    answers.forEach((answer, i) => {
      statuses.add(answer.status)
      if (answer.raw.includes(PIN) || answer.raw.includes(token))
        throw new Error(`request ${JSON.stringify(requests[i])} was answered with a secret`)
    })
    // 200 and 204: the public script and icon only.
    expect([...statuses].sort((a, b) => a - b)).toEqual([200, 204, 400, 403, 404, 405, 413])
  })
})
