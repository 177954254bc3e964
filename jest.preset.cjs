// The jest settings every package shares: TypeScript through @swc/jest (type-checking is the
// separate `tsc` step), tests under test/, and the workspace packages mapped to their sources so
// that a test never runs against a stale build.
const path = require('node:path')

const packages = path.join(__dirname, 'packages')

/** @param {import('jest').Config} [overrides] @returns {import('jest').Config} */
module.exports = (overrides = {}) => ({
  // Node's environment, recording process warnings; failOnWarnings.cjs fails a file that raised one.
  testEnvironment: path.join(__dirname, 'test-support', 'warningsEnvironment.cjs'),
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFilesAfterEnv: [path.join(__dirname, 'test-support', 'failOnWarnings.cjs')],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleNameMapper: {
    '^@org/(file-events-codec|room-simulator|file-events-stream)$': `${packages}/$1/src/index.ts`,
    '^@org/file-events-stream/node$': `${packages}/file-events-stream/src/node.ts`,
  },
  ...overrides,
})
