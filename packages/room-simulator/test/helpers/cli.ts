import { type ChildProcessByStdio, spawn } from 'node:child_process'
import { join } from 'node:path'
import type { Readable } from 'node:stream'

export const CLI = join(__dirname, '..', '..', 'dist', 'cli.js')

export type Child = ChildProcessByStdio<null, Readable, Readable>

export const start = (
  args: string[],
  env: NodeJS.ProcessEnv = {},
): {
  child: Child
  stdout: () => string
  stderr: () => string
  urls: Promise<Record<string, string>>
} => {
  const { ROOM_PIN: _inherited, ...parentEnv } = process.env
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...parentEnv, ...env },
  })
  let out = ''
  let err = ''
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString()
  })
  const urls = new Promise<Record<string, string>>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n')[0]
      if (!out.includes('\n') || line === undefined) return
      try {
        resolve(JSON.parse(line) as Record<string, string>)
      } catch {
        reject(new Error(`the CLI printed a line that is not JSON: ${line}`))
      }
    })
    // 'close', not 'exit': at 'exit' the stdio streams may still hold output not read yet (Node
    // documents it), and the error must quote all of stderr.
    child.on('close', (code) =>
      reject(new Error(`the CLI exited with ${String(code)} before it was ready: ${err}`)),
    )
  })
  return { child, stdout: () => out, stderr: () => err, urls }
}

/** The exit code once the process has exited and its stdout and stderr have ended, so that the output read so far is all of it. */
export const exited = (child: Child): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null && child.stdout.readableEnded && child.stderr.readableEnded)
      resolve(child.exitCode)
    else child.on('close', (code) => resolve(code))
  })
