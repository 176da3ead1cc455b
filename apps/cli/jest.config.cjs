const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'cli',
  rootDir: __dirname,
  // The process-level suite builds the CLI once (tsc -b) before it spawns it.
  testTimeout: 120_000,
};
