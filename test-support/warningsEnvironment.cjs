// The jest environment of every suite (jest.preset.cjs): Node's own, plus a record of the process
// warnings raised while a test file runs. It lives outside the test's sandbox, where Node emits
// them (the sandbox's `process` is a copy whose listeners never hear them); failOnWarnings.cjs
// reads the record from the sandbox and fails the file.
const { TestEnvironment } = require('jest-environment-node')

class WarningsEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context)
    this.warnings = []
    this.onWarning = (warning) => this.warnings.push(`${warning.name}: ${warning.message}`)
  }

  async setup() {
    await super.setup()
    process.on('warning', this.onWarning)
    this.global.__processWarnings = this.warnings
  }

  async teardown() {
    process.off('warning', this.onWarning)
    await super.teardown()
  }
}

module.exports = WarningsEnvironment
