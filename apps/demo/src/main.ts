import { runDemo } from './demo'
import { parseDemoArgs, USAGE } from './options'

const main = async (): Promise<number> => {
  let options
  try {
    options = parseDemoArgs(process.argv.slice(2), process.env)
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`)
    return 2
  }
  if (options.help) {
    process.stdout.write(USAGE)
    return 0
  }
  const stop = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  return runDemo(
    options,
    {
      write: (text) => void process.stdout.write(text),
      writeError: (text) => void process.stderr.write(text),
      isTTY: process.stdout.isTTY === true, columns: process.stdout.columns || 100 },
    stop,
  )
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`room-files-demo: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  },
)
