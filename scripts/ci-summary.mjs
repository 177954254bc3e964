// Reads the jest JSON reports written by .ci/run and prints the closing "N passed, N failed" line
// (skipped tests, if any, are counted on the line before it).
// A suite that failed to load, a jest run that wrote no report, and a jest run that exited
// non-zero with no failing test (a coverage threshold, for example) each count as one failure.
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'

const [dir, checksPassedArg, checksFailedArg] = process.argv.slice(2)
let passed = Number(checksPassedArg)
let failed = Number(checksFailedArg)
let skipped = 0
/** Tests skipped where what they need is missing (a folder beside the clone, a tool). */
const skippedNames = []
/** The cases run in a real browser, listed by name whatever their outcome. */
const browserCases = []

for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.rc'))
  .sort()) {
  const name = file.slice(0, -'.rc'.length)
  const rc = Number(readFileSync(join(dir, file), 'utf8').trim())
  const reportPath = join(dir, `${name}.json`)
  if (!existsSync(reportPath)) {
    console.log(`FAIL ${name}: no report (see .ci-out/${name}.log)`)
    failed += 1
    continue
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8'))
  passed += report.numPassedTests
  failed += report.numFailedTests + report.numRuntimeErrorTestSuites
  skipped += report.numPendingTests + report.numTodoTests
  for (const suite of report.testResults) {
    for (const a of suite.assertionResults) {
      if (a.status === 'pending' || a.status === 'todo') skippedNames.push(a.fullName)
      if (a.fullName.includes('headless Chromium'))
        browserCases.push(
          `${a.status === 'passed' ? 'ok  ' : a.status === 'failed' ? 'FAIL' : 'skip'} ${a.fullName}`,
        )
    }
    if (suite.status === 'failed') {
      const failures = suite.assertionResults.filter((a) => a.status === 'failed')
      console.log(`FAIL ${suite.name.replace(process.cwd() + '/', '')}`)
      for (const a of failures.slice(0, 10)) {
        console.log(`     - ${a.fullName}`)
        // The first lines of the failure, so that a CI log alone says what went wrong.
        const message = (a.failureMessages ?? [])
          .join('\n')
          .split('\n')
          .filter((l) => l.trim() !== '')
        for (const line of message.slice(0, 8)) console.log(`         ${line}`)
      }
      if (failures.length === 0)
        console.log(`     ${String(suite.message).split('\n').slice(0, 12).join('\n     ')}`)
    }
  }
  if (rc !== 0 && report.numFailedTests === 0 && report.numRuntimeErrorTestSuites === 0) {
    console.log(
      `FAIL ${name}: jest exited ${rc} (coverage threshold or setup; see .ci-out/${name}.log)`,
    )
    const log = readFileSync(join(dir, `${name}.log`), 'utf8').split('\n')
    console.log(
      log
        .filter((l) => /threshold|Error/i.test(l))
        .slice(0, 10)
        .join('\n'),
    )
    failed += 1
  }
}

if (browserCases.length > 0) {
  console.log(`${browserCases.length} cases in a real browser:`)
  for (const line of browserCases) console.log(`     ${line}`)
}
if (skipped > 0) {
  console.log(`${skipped} skipped (each skips itself where what it needs is missing):`)
  for (const name of skippedNames.slice(0, 10)) console.log(`     - ${name}`)
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
