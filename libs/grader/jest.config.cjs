module.exports = { ...require('../../jest.preset.cjs'), displayName: 'grader', rootDir: __dirname };
