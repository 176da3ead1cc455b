const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'api',
  rootDir: __dirname,
  transform: {
    // PGlite's CommonJS build loads Node built-ins with import(), which Jest's CommonJS runtime refuses
    // without --experimental-vm-modules: SWC rewrites those calls to require() (the built app needs none of this).
    '[/\\\\]node_modules[/\\\\]@electric-sql[/\\\\].+\\.c?js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: false },
    ],
    ...preset.transform,
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/)'],
  // Suites start real servers and databases (PGlite takes seconds to create a fresh cluster).
  testTimeout: 60_000,
};
