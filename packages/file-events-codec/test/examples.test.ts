/**
 * Every code sample of the README and every `@example` of the TSDoc is kept as a module under
 * `test/examples/`, so that `tsc` type-checks it with the rest of the tests. This test fails when a
 * sample and its module differ; `UPDATE_EXAMPLES=1 pnpm exec jest test/examples.test.ts` rewrites the
 * modules from the sources. It also runs the README samples and checks what they print.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as t from 'io-ts'
import ts from 'typescript'
import * as codec from '../src'

const ROOT = join(__dirname, '..')
const EXAMPLES = join(__dirname, 'examples')
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** The README's TypeScript blocks. */
const readmeSamples = (): ReadonlyArray<readonly [string, string]> =>
  [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map(
    (m, i) => [`readme-${i + 1}`, m[1] as string] as const,
  )

/** The `@example` blocks of every exported declaration, by export name. */
const tsdocSamples = (): ReadonlyArray<readonly [string, string]> => {
  const index = join(ROOT, 'src/index.ts')
  const program = ts.createProgram([index], {
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: true,
    noLib: true,
    types: [],
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(index)
  const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source)
  const out: Array<readonly [string, string]> = []
  for (const symbol of moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
    const tags = (target.declarations ?? []).flatMap((d) =>
      ts.getJSDocTags(d).filter((t) => t.tagName.text === 'example'),
    )
    tags.forEach((tag, i) => {
      const text = ts.getTextOfJSDocComment(tag.comment) ?? ''
      out.push([`tsdoc-${symbol.name}${i > 0 ? `-${i + 1}` : ''}`, `${text.trim()}\n`])
    })
  }
  return out
}

/** The sample as a module of this folder: the package name points at the sources, and its top-level names are exported (a sample declares what it shows, and `noUnusedLocals` would reject that). */
const asModule = (sample: string, from: string): string => {
  const code = sample.replaceAll("from '@org/file-events-codec'", "from '../../src'")
  const file = ts.createSourceFile('sample.ts', code, ts.ScriptTarget.ES2022, true)
  const names = file.statements.flatMap((s) =>
    ts.isVariableStatement(s)
      ? s.declarationList.declarations.flatMap((d) =>
          ts.isIdentifier(d.name) ? [d.name.text] : [],
        )
      : ts.isFunctionDeclaration(s) && s.name !== undefined
        ? [s.name.text]
        : [],
  )
  // A sample may show a value as a bare expression with its result in a comment.
  const bare = file.statements.some(
    (s) =>
      ts.isExpressionStatement(s) &&
      !ts.isCallExpression(s.expression) &&
      !ts.isBinaryExpression(s.expression),
  )
  return [
    `// From ${from}; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.`,
    ...(bare ? ['/* eslint-disable @typescript-eslint/no-unused-expressions */'] : []),
    code.trimEnd(),
    names.length > 0 ? `export { ${names.join(', ')} }` : 'export {}',
    '',
  ].join('\n')
}

const expected = new Map<string, string>([
  ...readmeSamples().map(([name, code]) => [`${name}.ts`, asModule(code, 'README.md')] as const),
  ...tsdocSamples().map(
    ([name, code]) =>
      [`${name}.ts`, asModule(code, `the TSDoc of ${name.slice('tsdoc-'.length)}`)] as const,
  ),
])

if (process.env.UPDATE_EXAMPLES === '1') {
  rmSync(EXAMPLES, { recursive: true, force: true })
  mkdirSync(EXAMPLES, { recursive: true })
  for (const [file, text] of expected) writeFileSync(join(EXAMPLES, file), text)
}

describe('code samples', () => {
  it('finds the README samples and the TSDoc examples', () => {
    expect(readmeSamples().length).toBeGreaterThanOrEqual(6)
    expect(tsdocSamples().length).toBeGreaterThanOrEqual(10)
  })

  it('each is kept, unchanged, as a type-checked module in test/examples', () => {
    const onDisk = existsSync(EXAMPLES) ? readdirSync(EXAMPLES).sort() : []
    expect(onDisk).toEqual([...expected.keys()].sort())
    for (const [file, text] of expected)
      expect([file, readFileSync(join(EXAMPLES, file), 'utf8')]).toEqual([file, text])
  })
})

describe('README samples print what the README says', () => {
  let logged: unknown[][] = []
  beforeEach(() => {
    logged = []
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      logged.push(args)
    })
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(['error', ...args])
    })
  })
  afterEach(() => jest.restoreAllMocks())

  /** Each sample is loaded once, after console is spied on, so what it prints at load time is seen. */
  const load = async (n: number): Promise<Record<string, unknown>> =>
    (await import(`./examples/readme-${n}`)) as Record<string, unknown>

  it('decoding a frame', async () => {
    await load(1)
    expect(logged).toEqual([['event']])
  })

  it('narrowing on event', async () => {
    const { describeMessage } = (await load(2)) as {
      describeMessage: (m: codec.RoomMessage) => string
    }
    const decode = (frame: string): codec.RoomMessage => {
      const r = codec.decodeRoomMessage(frame)
      if (r._tag === 'Left') throw new Error(r.left.messages.join('\n'))
      return r.right
    }
    const vector = (name: string) =>
      decode(readFileSync(join(__dirname, 'fixtures/vectors', name), 'utf8'))
    expect(describeMessage(vector('event.fileRequestStatusChanged.json'))).toBe(
      '2.jpg: in progress',
    )
    expect(describeMessage(vector('event.incomingFileRequestDownloadingProgress.json'))).toBe(
      '777.zip: 20 %',
    )
    expect(describeMessage(vector('event.receivedFileRequest.json'))).toBe(
      '4.png offered at 2022-07-31T15:01:37.784Z',
    )
    expect(describeMessage(vector('event.fileTransferAvailabilityChanged.json'))).toBe(
      'fileTransferAvailabilityChanged',
    )
    expect(describeMessage(vector('response.sendFile.json'))).toBe('not a file event')
  })

  it('a typed reply', async () => {
    const { sentFileRequestId } = (await load(3)) as {
      sentFileRequestId: (json: unknown) => string | undefined
    }
    expect(
      sentFileRequestId(
        JSON.parse(
          readFileSync(join(__dirname, 'fixtures/vectors/response.sendFile.json'), 'utf8'),
        ),
      ),
    ).toBe('88e75ca1-b758-4466-a2fe-d0e80b5cd6bd')
    expect(
      sentFileRequestId({ method: 'sendFile', result: false, error: 'no such file' }),
    ).toBeUndefined()
    expect(sentFileRequestId({ method: 'sendFile', result: true })).toBeUndefined()
  })

  it('formatting errors', async () => {
    await load(4)
    expect(logged).toEqual([
      [
        [
          'fileRequestStatusChanged.status: expected FileRequestStatus, received 4',
          'fileRequestStatusChanged.fileSize: expected FileSize (fileSize or size), missing',
        ],
      ],
    ])
    await load(5)
    expect(logged[1]).toEqual([
      [
        'getIncomingFilesRequests.incomingFilesRequests[0].status: expected FileRequestStatus, received 7',
      ],
    ])
  })

  it('the text blocks are real: the count of failing items, and the secrets lines', () => {
    const [count, secrets] = [...README.matchAll(/```text\n([\s\S]*?)```/g)].map((m) =>
      (m[1] as string).trim().split('\n'),
    )
    const list = codec.decodeRoomMessage(
      JSON.stringify({
        method: 'getIncomingFilesRequests',
        requestId: '1',
        result: true,
        incomingFilesRequests: Array(300_000).fill({}),
      }),
    )
    expect(count).toEqual([...(list._tag === 'Left' ? list.left.messages.slice(0, 2) : []), '...'])
    const pin = codec.decodeRoomRequest('{"method":"auth","type":"secured","credentials":1234}')
    const nested = codec.decodeRoomMessage(
      '{"method":"getFileList","result":true,"fileList":{"name":"a.txt","token":"abc"}}',
    )
    expect(secrets).toEqual([
      ...(pin._tag === 'Left' ? pin.left.messages : []),
      ...(nested._tag === 'Left' ? nested.left.messages : []),
    ])
  })

  it('the helpers sample', async () => {
    const { finished } = (await load(6)) as {
      finished: (e: codec.FileEventOf<'fileRequestStatusChanged'>) => string | undefined
    }
    const event = JSON.parse(
      readFileSync(join(__dirname, 'fixtures/vectors/event.fileRequestStatusChanged.json'), 'utf8'),
    ) as codec.FileEventOf<'fileRequestStatusChanged'>
    expect(finished(event)).toBeUndefined()
    expect(finished({ ...event, status: 3 })).toBe('2.jpg (3200 bytes)')
  })
})

describe('the README codec tables', () => {
  it('list every exported codec', () => {
    const codecs = Object.entries(codec)
      .filter(([, value]) => value instanceof t.Type)
      .map(([name]) => name)
    expect(codecs.length).toBeGreaterThan(60)
    const missing = codecs.filter((name) => !README.includes(`| \`${name}\` |`))
    expect(missing).toEqual([])
  })

  it('name every other export somewhere', () => {
    const missing = Object.keys(codec).filter((name) => !README.includes(`\`${name}`))
    expect(missing).toEqual([])
  })
})
