import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import type * as t from 'io-ts'
import {
  FileRequestStatusChanged,
  GetFileListReply,
  GetFileTransferHistoryReply,
  GetIncomingFilesRequestsReply,
  GetOutgoingFilesRequestsReply,
  RoomMessage,
  decodeRoomMessage,
} from '../src'
import { explain } from '../src/internal/explain'
import { everyCodec } from './everyCodec'
import {
  fileListItem,
  fileTransferHistoryItem,
  incomingFileRequestItem,
  outgoingFileRequestItem,
} from './arbitraries'

const UNLIMITED = { items: Number.POSITIVE_INFINITY, errors: Number.POSITIVE_INFINITY }
const rootOf = (codec: t.Mixed, u: unknown): t.Context => [{ key: '', type: codec, actual: u }]
const validated = (codec: t.Mixed, u: unknown): t.Errors => {
  const result = codec.validate(u, rootOf(codec, u))
  return result._tag === 'Left' ? result.left : []
}

/** The reply codecs that hold a list, each with a generator of valid items. */
const lists = [
  ['incomingFilesRequests', GetIncomingFilesRequestsReply, incomingFileRequestItem],
  ['outgoingFilesRequests', GetOutgoingFilesRequestsReply, outgoingFileRequestItem],
  ['filesRequests', GetFileTransferHistoryReply, fileTransferHistoryItem],
  ['fileList', GetFileListReply, fileListItem],
] as const

const methodOf = (codec: t.Mixed): string => codec.name.replace(/Reply$/, '').replace(/^G/, 'g')

/** A list reply whose items are valid ones, JSON values, or valid ones with a field changed. */
const listReply = fc.constantFrom(...lists).chain(([field, codec, item]) =>
  fc
    .array(
      fc.oneof(
        item as fc.Arbitrary<unknown>,
        fc.jsonValue(),
        fc
          .tuple(item as fc.Arbitrary<Record<string, unknown>>, fc.nat(), fc.jsonValue())
          .map(([valid, i, value]) => {
            const keys = Object.keys(valid)
            return { ...valid, [keys[i % keys.length] as string]: value }
          }),
      ),
      { maxLength: 12 },
    )
    .map((items) => ({
      codec: codec as t.Mixed,
      value: { method: methodOf(codec), requestId: '1', result: true, [field]: items } as unknown,
      items,
      item: (codec as t.Mixed).name,
    })),
)

describe('explain: the bounded explanation of a failure', () => {
  it.each(everyCodec)(
    '%s: without limits, gives exactly the errors io-ts validate gives',
    (_name, codec) => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.jsonValue(),
            listReply.map((r) => r.value),
          ),
          (u) => {
            expect(explain(codec, u, rootOf(codec, u), UNLIMITED)).toEqual(validated(codec, u))
          },
        ),
        { numRuns: 150 },
      )
    },
  )

  it('on list replies: the errors of validate, with a count before a list whose failing items were not all explained', () => {
    fc.assert(
      fc.property(listReply, fc.integer({ min: 1, max: 4 }), ({ codec, value }, items) => {
        const all = validated(codec, value)
        const bounded = explain(codec, value, rootOf(codec, value), { items, errors: 1000 })
        const counts = bounded.filter((e) => e.message !== undefined)
        const rest = bounded.filter((e) => e.message === undefined)
        // Every error explained is one validate gives, in the same order.
        expect(all.slice(0, rest.length)).toEqual(rest)
        if (counts.length === 0) expect(rest).toEqual(all)
        else {
          const [count] = counts as [t.ValidationError]
          const list = count.value as unknown[]
          const failed = list.filter((item, i) =>
            all.some(
              (e) =>
                e.context.length > 2 &&
                e.context.some((c) => c.key === String(i) && c.actual === item),
            ),
          ).length
          expect(count.message).toBe(
            `${failed} of ${list.length} items failed (the first ${items} ${items === 1 ? 'is' : 'are'} explained)`,
          )
          expect(bounded.indexOf(count)).toBe(0)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('stops explaining at the error limit, and still counts the list', () => {
    const value = { method: 'getFileList', requestId: '1', result: true, fileList: [{}, {}, {}] }
    const errors = explain(GetFileListReply, value, rootOf(GetFileListReply, value), {
      items: 3,
      errors: 2,
    })
    expect(errors.map((e) => e.message ?? e.context.map((c) => c.key).join('/'))).toEqual([
      '3 of 3 items failed (the first 1 is explained)',
      '/2/fileList/0/fileId',
      '/2/fileList/0/fileName',
    ])
  })

  it('reports a value that no codec chooses at the root, as validate does', () => {
    expect(explain(RoomMessage, [1, 2], rootOf(RoomMessage, [1, 2]))).toEqual(
      validated(RoomMessage, [1, 2]),
    )
  })
})

/** Frames under the 1 MiB cap that cost io-ts' own validation millions of errors. */
const hostileFrames = {
  'incoming list of 300,000 {}': {
    method: 'getIncomingFilesRequests',
    incomingFilesRequests: 300_000,
    item: {},
  },
  'history list of 300,000 {}': {
    method: 'getFileTransferHistory',
    filesRequests: 300_000,
    item: {},
  },
  'file list of 300,000 {}': { method: 'getFileList', fileList: 300_000, item: {} },
  'incoming list of 500,000 zeros': {
    method: 'getIncomingFilesRequests',
    incomingFilesRequests: 500_000,
    item: 0,
  },
} as const

const hostileFrame = (shape: (typeof hostileFrames)[keyof typeof hostileFrames]): string => {
  const { method, item, ...rest } = shape
  const [field, count] = Object.entries(rest)[0] as [string, number]
  return JSON.stringify({ method, requestId: '1', result: true, [field]: Array(count).fill(item) })
}

describe('hostile frames under the size cap', () => {
  it.each(Object.entries(hostileFrames))(
    '%s: one line counts the items, three are explained',
    (_name, shape) => {
      const frame = hostileFrame(shape)
      expect(frame.length).toBeLessThan(1024 * 1024)
      const result = decodeRoomMessage(frame)
      if (result._tag === 'Right') throw new Error('expected a failure')
      const [field, count] = Object.entries(shape).find(
        ([k]) => k !== 'method' && k !== 'item',
      ) as [string, number]
      expect(result.left.messages[0]).toBe(
        `${shape.method}.${field}: ${count} of ${count} items failed (the first 3 are explained)`,
      )
      expect(result.left.messages.length).toBeLessThanOrEqual(21)
      expect(result.left.messages.slice(1).every((line) => /\[[0-2]\]/.test(line))).toBe(true)
    },
  )

  it('deep nesting in a field and as the whole frame: one short line', () => {
    const deep = `${'['.repeat(400_000)}${']'.repeat(400_000)}`
    const inField = decodeRoomMessage(
      `{"method":"event","event":"fileRequestStatusChanged","fileRequestId":"a","fileName":${deep}}`,
    )
    if (inField._tag === 'Right') throw new Error('expected a failure')
    expect(
      inField.left.messages.some((m) =>
        m.startsWith('fileRequestStatusChanged.fileName: expected string, received [[[['),
      ),
    ).toBe(true)
    const whole = decodeRoomMessage(deep)
    if (whole._tag === 'Right') throw new Error('expected a failure')
    expect(whole.left.messages).toHaveLength(1)
    expect(FileRequestStatusChanged.is(JSON.parse(deep))).toBe(false)
  })

  // Memory is measured where it cannot be mistaken: a process with a small heap, which io-ts' own
  // validation of one such frame (hundreds of MiB of errors) cannot survive.
  const built = join(__dirname, '../dist/index.cjs')
  const withBuild = existsSync(built) ? it : it.skip
  withBuild('decodes every hostile shape in a process limited to 64 MiB of heap', () => {
    const script = `
      const { decodeRoomMessage } = require(${JSON.stringify(built)})
      const shapes = ${JSON.stringify(Object.values(hostileFrames))}
      for (const { method, item, ...rest } of shapes) {
        const [field, count] = Object.entries(rest)[0]
        for (let round = 0; round < 3; round++) {
          const frame = JSON.stringify({ method, requestId: '1', result: true, [field]: Array(count).fill(item) })
          const result = decodeRoomMessage(frame)
          if (result._tag !== 'Left') throw new Error('expected a failure')
        }
      }
      process.stdout.write('done')
    `
    const out = execFileSync(process.execPath, ['--max-old-space-size=64', '-e', script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    expect(out).toBe('done')
  })
})
