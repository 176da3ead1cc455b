const preset = require('../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'e2e',
  rootDir: __dirname,
  transform: {
    // the browser suites start the real api in-process: PGlite's CommonJS build needs the same SWC pass
    // as in apps/api/jest.config.cjs (its import() of Node built-ins becomes require())
    '[/\\\\]node_modules[/\\\\]@electric-sql[/\\\\].+\\.c?js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: false },
    ],
    ...preset.transform,
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/)'],
  // end-to-end suites start servers and browsers: give them room
  testTimeout: 60_000,
};
