// Unit tests of the client's pure modules (save tracking, diagram graph, status words, routes) in Node.
// The browser itself is tested end to end in test/web.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'web',
  rootDir: __dirname,
};
