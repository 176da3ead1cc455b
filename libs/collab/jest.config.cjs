module.exports = { ...require('../../jest.preset.cjs'), displayName: 'collab', rootDir: __dirname };
