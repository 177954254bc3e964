/* global afterAll */
// Set up by every jest suite (jest.preset.cjs): a Node process warning raised while a test file
// runs (recorded by warningsEnvironment.cjs) fails that file, as a warning in a user's process
// would be a bug there. The warnings the tests provoke on purpose are listed here, each with why.
const EXPECTED = [
  // None at the moment: a test that provokes a warning on purpose lists it here, with the reason.
]

afterAll(async () => {
  // Node emits a warning on the next tick after it is raised.
  await new Promise((resolve) => setImmediate(resolve))
  const seen = (globalThis.__processWarnings ?? []).filter(
    (warning) => !EXPECTED.some((expected) => expected.test(warning)),
  )
  if (seen.length > 0)
    throw new Error(
      `Node printed a process warning while this file's tests ran:\n  ${seen.join('\n  ')}`,
    )
})
