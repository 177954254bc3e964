import { runDemo } from './demo'
import { parseDemoArgs, USAGE } from './options'
import { runWebDemo } from './web/webDemo'

// Whoever reads the output may go away (`npm run demo -- --plain | head -3`): the demo then stops
// as on Ctrl-C, cleaning up (room, simulator, temporary folder), instead of dying on EPIPE.
let outputOpen = true
let outputError: NodeJS.ErrnoException | undefined
let outputGone: () => void = () => undefined
const outputClosed = new Promise<void>((resolve) => (outputGone = resolve))
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  outputOpen = false
  if (error.code !== 'EPIPE') outputError ??= error
  outputGone()
})
// With stderr gone too there is nobody left to tell.
process.stderr.on('error', () => undefined)

const main = async (): Promise<number> => {
  let options
  try {
    options = parseDemoArgs(process.argv.slice(2), process.env)
  } catch (error) {
    // One line, named like every other error of this CLI (and of room-simulator's).
    process.stderr.write(`room-files-demo: ${error instanceof Error ? error.message : String(error)}\n`)
    return 2
  }
  if (options.help) {
    process.stdout.write(USAGE)
    return 0
  }
  const stop = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
    // The terminal was closed: clean up (simulator, temporary folder) as on Ctrl-C.
    process.once('SIGHUP', resolve)
    void outputClosed.then(resolve)
  })
  const code = await (options.web ? runWebDemo : runDemo)(
    options,
    {
      write: (text) => {
        if (outputOpen) process.stdout.write(text)
      },
      writeError: (text) => void process.stderr.write(text),
      isTTY: process.stdout.isTTY === true,
      columns: () => process.stdout.columns || 100,
      rows: () => (process.stdout.rows > 0 ? process.stdout.rows : undefined),
      onResize: (redraw) => {
        process.stdout.on('resize', redraw)
        return () => void process.stdout.off('resize', redraw)
      },
    },
    stop,
  )
  if (outputError !== undefined) {
    process.stderr.write(`room-files-demo: cannot write the output: ${outputError.message}\n`)
    return 1
  }
  return code
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`room-files-demo: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  },
)
