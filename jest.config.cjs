// `npm test` runs every project's suite in one Jest run; each project can also be run alone (`nx test model`).
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.cjs', '<rootDir>/apps/*/jest.config.cjs', '<rootDir>/test/jest.config.cjs'],
  // testTimeout is a global option: a project's own value is ignored in a multi-project run.
  // Suites start real servers and databases (a fresh PGlite cluster takes seconds on a busy machine).
  testTimeout: 60_000,
  // A few clients (ioredis reconnect timers, PGlite's WASM runtime) can outlive their suite by seconds; never let
  // that hang CI after every test has reported. Suites still close what they open (see each afterAll).
  forceExit: true,
  reporters: ['default', '<rootDir>/tools/summary-reporter.cjs'],
};
