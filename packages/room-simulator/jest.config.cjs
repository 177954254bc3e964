module.exports = require('../../jest.preset.cjs')({
  testTimeout: 20000,
  collectCoverage: true,
  collectCoverageFrom: ['src/**/*.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  coverageThreshold: { global: { lines: 90 } },
})
