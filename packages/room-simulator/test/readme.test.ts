import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8')
const MODULE = join(__dirname, 'examples', 'readme-start.ts')

/** The README's "From code" block. */
const readmeSample = (): string => {
  const match = /From code[^\n]*\n[^`]*```ts\n([\s\S]*?)```/.exec(README)
  if (match === null) throw new Error('README.md has no "From code" TypeScript block')
  return match[1] as string
}

/** The module back as README text: its header line and the async wrapper dropped, the sources import named as the package. */
const moduleAsSample = (): string => {
  const lines = readFileSync(MODULE, 'utf8').split('\n')
  const wrapper = lines.indexOf('export const run = async (): Promise<void> => {')
  const close = lines.lastIndexOf('}')
  if (wrapper < 0 || close < wrapper) throw new Error(`${MODULE} lost its wrapper`)
  return [...lines.slice(1, wrapper), ...lines.slice(wrapper + 1, close), '']
    .join('\n')
    .replace("from '../../src'", "from '@org/room-simulator'")
}

describe('the README "From code" sample', () => {
  it('is kept unchanged in test/examples/readme-start.ts', () => {
    expect(moduleAsSample()).toBe(readmeSample())
  })

  it('runs to completion and prints what its comments say', async () => {
    const logged: unknown[][] = []
    const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      logged.push(args)
    })
    try {
      const { run } = (await import('./examples/readme-start')) as { run: () => Promise<void> }
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error('the README sample did not finish within 15 s')),
          15_000,
        )
      })
      try {
        await Promise.race([run(), timeout])
      } finally {
        clearTimeout(timer)
      }
    } finally {
      spy.mockRestore()
    }
    expect(logged).toHaveLength(3)
    expect(Object.keys(logged[0]?.[0] as object)).toEqual(['web', 'ws', 'http'])
    expect(logged[1]).toEqual([3])
    expect(logged[2]).toEqual([3])
  }, 20_000)
})
