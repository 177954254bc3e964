import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import fc from 'fast-check'
import {
  MAX_FILE_NAME_BYTES,
  isDownloadError,
  numberedFileName,
  sanitizeFileName,
} from '../src/index'
import { saveResponseToFile } from '../src/node'
import { tempDir } from './helpers'

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')

const RESERVED_NAMES = [
  'con',
  'prn',
  'aux',
  'nul',
  'conin$',
  'conout$',
  ...[...'0123456789¹²³'].flatMap((d) => [`com${d}`, `lpt${d}`]),
]
const BIDI_AND_C1 = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i)),
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
]

const hostileName = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom(
    '../x',
    '../../../../etc/passwd',
    '/etc/passwd',
    'C:\\Windows\\system32\\evil.dll',
    '\\\\server\\share\\x',
    'a\u0000b.txt',
    'CON',
    'con.txt',
    'NUL',
    'COM1.log',
    'lpt9',
    '..',
    '.',
    '',
    '   ',
    'trailing... ',
    '\u0001\u0002\u001f',
    'x'.repeat(1000),
    'é'.repeat(1000) + '.txt',
    '😀'.repeat(300) + '.jpeg',
  ),
  fc
    .tuple(fc.constantFrom('../', '/', '..\\', './', 'a/../../'), fc.string({ maxLength: 20 }))
    .map(([a, b]) => a + b),
  // Device names in any case, with trailing dots and spaces and an extension.
  fc
    .tuple(
      fc.constantFrom(...RESERVED_NAMES),
      fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
      fc.string({ unit: fc.constantFrom(' ', '.'), maxLength: 4 }),
      fc.constantFrom('', '.txt', '.tar.gz', '. txt', '.', ' .log'),
      fc.constantFrom('', '../', 'x/'),
    )
    .map(([device, upper, trailing, extension, folder]) => {
      const cased = [...device].map((c, i) => (upper[i] === true ? c.toUpperCase() : c)).join('')
      return `${folder}${cased}${trailing}${extension}`
    }),
  // A device name followed by enough spaces that cutting to 255 bytes brings it back.
  fc.constantFrom(...RESERVED_NAMES).map((device) => `${device}${' '.repeat(300)}x.txt`),
  // Bidirectional and C1 controls mixed into ordinary text.
  fc.string({ unit: fc.constantFrom(...BIDI_AND_C1, 'a', '.', ' ', 'é'), maxLength: 30 }),
)

/** The name before the first dot, as Windows compares it with its device names. */
const deviceOf = (name: string): string =>
  (name.split('.')[0] ?? '').replace(/[. ]+$/, '').toLowerCase()

describe('sanitizeFileName', () => {
  it('cleans hostile names to one safe segment of at most 255 bytes', () => {
    fc.assert(
      fc.property(hostileName, (name) => {
        const safe = sanitizeFileName(name)
        expect(safe.length).toBeGreaterThan(0)
        expect(bytes(safe)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES)
        // eslint-disable-next-line no-control-regex
        expect(safe).not.toMatch(/[/\\\u0000-\u001f\u007f<>:"|?*]/)
        expect(safe).not.toMatch(/[\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/)
        expect(RESERVED_NAMES).not.toContain(deviceOf(safe))
        for (let n = 1; n < 4; n++)
          expect(RESERVED_NAMES).not.toContain(deviceOf(numberedFileName(safe, n)))
        expect(safe).not.toMatch(/[. ]$/)
        expect(safe === '.' || safe === '..').toBe(false)
        expect(sanitizeFileName(safe)).toBe(safe)
        for (let n = 1; n < 4; n++)
          expect(bytes(numberedFileName(safe, n))).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES)
      }),
      { numRuns: 2_000 },
    )
  })

  it('keeps ordinary names and extensions', () => {
    expect(sanitizeFileName('report 2024.pdf')).toBe('report 2024.pdf')
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd')
    expect(sanitizeFileName('C:\\temp\\a.txt')).toBe('a.txt')
    expect(sanitizeFileName('CON.txt')).toBe('_CON.txt')
    expect(sanitizeFileName('CON .txt')).toBe('_CON.txt')
    expect(sanitizeFileName('con. .TXT')).toBe('_con.TXT')
    expect(sanitizeFileName('CONIN$')).toBe('_CONIN$')
    expect(sanitizeFileName('conout$.log')).toBe('_conout$.log')
    expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoice_fdp.exe')
    expect(sanitizeFileName('a\u0085b\u2066c.txt')).toBe('a_b_c.txt')
    expect(sanitizeFileName('a\u0000b.txt')).toBe('a_b.txt')
    expect(sanitizeFileName('..')).toBe('file')
    const long = sanitizeFileName(`${'x'.repeat(1000)}.tar.gz`)
    expect(long.endsWith('.gz')).toBe(true)
    expect(bytes(long)).toBe(255)
    expect(numberedFileName('a.txt', 2)).toBe('a (2).txt')
    expect(numberedFileName(long, 12).endsWith(' (12).gz')).toBe(true)
  })
})

const responseOf = (body: string | Uint8Array, headers: Record<string, string> = {}): Response =>
  new Response(typeof body === 'string' ? body : new Blob([body]), { headers })

describe('saveResponseToFile', () => {
  it('writes inside the folder under a safe name and never overwrites, whatever the announced name', async () => {
    const folder = tempDir()
    try {
      let run = 0
      await fc.assert(
        fc.asyncProperty(hostileName, fc.boolean(), async (name, collide) => {
          const dir = join(folder.dir, `run-${run++}`)
          mkdirSync(dir)
          const safe = sanitizeFileName(name)
          if (collide) writeFileSync(join(dir, safe), 'existing')
          const content = `content of run ${run}`
          const saved = await saveResponseToFile(responseOf(content), 1, {
            dir,
            fileName: name,
            expectedSize: bytes(content),
          })
          expect(dirname(saved.path)).toBe(resolve(dir))
          expect(readFileSync(saved.path, 'utf8')).toBe(content)
          // Owner only, as the README says.
          expect(statSync(saved.path).mode & 0o777).toBe(0o600)
          expect(saved.fileName).toBe(collide ? numberedFileName(safe, 1) : safe)
          if (collide) expect(readFileSync(join(dir, safe), 'utf8')).toBe('existing')
          // Only the new file (and the colliding one) are there: no temporary leftovers.
          expect(readdirSync(dir).sort()).toEqual(
            (collide ? [safe, saved.fileName] : [safe]).sort(),
          )
        }),
        { numRuns: 150 },
      )
    } finally {
      folder.remove()
    }
  })

  describe('over HTTP', () => {
    let server: Server
    let base = ''
    const routes = new Map<string, (res: ServerResponse) => void>()
    beforeAll(async () => {
      server = createServer((req, res) => {
        const route = routes.get(req.url ?? '')
        if (route === undefined) {
          res.writeHead(404).end()
          return
        }
        route(res)
      })
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    })
    afterAll(async () => {
      await new Promise((ok) => server.close(ok))
    })

    const chunked = (chunks: ReadonlyArray<string>) => (res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' })
      for (const c of chunks) res.write(c)
      res.end()
    }

    it('streams a large body to disk', async () => {
      const chunk = 'abcdefghij'.repeat(6_554)
      routes.set('/big', chunked(Array.from({ length: 40 }, () => chunk)))
      const folder = tempDir()
      try {
        const saved = await saveResponseToFile(await fetch(`${base}/big`), 7, {
          dir: folder.dir,
          fileName: 'big.bin',
          expectedSize: chunk.length * 40,
        })
        expect(saved.bytes).toBe(chunk.length * 40)
        expect(readFileSync(saved.path).length).toBe(chunk.length * 40)
      } finally {
        folder.remove()
      }
    })

    it('aborts when more bytes arrive than announced, leaving nothing behind', async () => {
      routes.set('/more', chunked(['12345', '67890', 'extra']))
      routes.set('/declared', (res) => {
        res.writeHead(200, { 'Content-Length': '15' })
        res.end('123456789012345')
      })
      const folder = tempDir()
      try {
        const error = await saveResponseToFile(await fetch(`${base}/more`), 3, {
          dir: folder.dir,
          fileName: 'x.bin',
          expectedSize: 10,
        }).catch((e: unknown) => e)
        expect(isDownloadError(error)).toBe(true)
        expect(error).toMatchObject({ code: 'ERR_DOWNLOAD', reason: 'too-large', fileId: 3 })
        const declared = await saveResponseToFile(await fetch(`${base}/declared`), 4, {
          dir: folder.dir,
          fileName: 'y.bin',
          expectedSize: 10,
        }).catch((e: unknown) => e)
        expect(declared).toMatchObject({ reason: 'too-large' })
        expect(readdirSync(folder.dir)).toEqual([])
      } finally {
        folder.remove()
      }
    })

    it('fails a short body, a broken connection and a missing folder without partial files', async () => {
      routes.set('/short', chunked(['12345']))
      routes.set('/broken', (res) => {
        res.writeHead(200, { 'Content-Length': '1000' })
        res.write('partial')
        setImmediate(() => res.destroy())
      })
      const folder = tempDir()
      try {
        await expect(
          saveResponseToFile(await fetch(`${base}/short`), 5, {
            dir: folder.dir,
            fileName: 's',
            expectedSize: 10,
          }),
        ).rejects.toMatchObject({ reason: 'truncated' })
        await expect(
          saveResponseToFile(await fetch(`${base}/broken`), 6, { dir: folder.dir, fileName: 'b' }),
        ).rejects.toMatchObject({ reason: 'io' })
        await expect(
          saveResponseToFile(await fetch(`${base}/short`), 8, {
            dir: join(folder.dir, 'missing'),
            fileName: 'm',
          }),
        ).rejects.toMatchObject({ reason: 'io' })
        expect(readdirSync(folder.dir)).toEqual([])
        expect(existsSync(join(folder.dir, 'missing'))).toBe(false)
      } finally {
        folder.remove()
      }
    })

    it('stops when aborted', async () => {
      routes.set('/slow', chunked(['a', 'b', 'c']))
      const folder = tempDir()
      const controller = new AbortController()
      controller.abort()
      try {
        await expect(
          saveResponseToFile(await fetch(`${base}/slow`), 9, {
            dir: folder.dir,
            fileName: 'a',
            signal: controller.signal,
          }),
        ).rejects.toMatchObject({ reason: 'aborted' })
        expect(readdirSync(folder.dir)).toEqual([])
      } finally {
        folder.remove()
      }
    })
  })
})
