module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'e2e',
  rootDir: __dirname,
  // end-to-end suites start servers and browsers: give them room
  testTimeout: 60_000,
};
