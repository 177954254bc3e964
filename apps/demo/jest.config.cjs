// string-width and its dependencies are ESM only: jest (CommonJS here) gets them through swc.
const esmOnly = ['string-width', 'strip-ansi', 'ansi-regex', 'get-east-asian-width']
const preset = require('../../jest.preset.cjs')()

module.exports = {
  ...preset,
  transform: {
    ...preset.transform,
    '^.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/\\.pnpm/(?!(${esmOnly.join('|')})@)`],
}
