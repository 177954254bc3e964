/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleNameMapper: {
    '^@org/(file-events-codec|room-simulator|file-events-stream)$': '<rootDir>/../../packages/$1/src/index.ts',
    '^@org/file-events-stream/node$': '<rootDir>/../../packages/file-events-stream/src/node.ts',
  },
}
