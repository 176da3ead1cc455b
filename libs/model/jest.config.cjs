const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'model',
  rootDir: __dirname,
  transform: {
    // The io specs apply exported DDL to PGlite, whose CommonJS build loads Node built-ins with import();
    // Jest's CommonJS runtime refuses that without --experimental-vm-modules, so SWC rewrites them to require().
    '[/\\\\]node_modules[/\\\\]@electric-sql[/\\\\].+\\.c?js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: false },
    ],
    ...preset.transform,
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/)'],
};
