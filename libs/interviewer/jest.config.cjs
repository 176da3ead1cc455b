module.exports = { ...require('../../jest.preset.cjs'), displayName: 'interviewer', rootDir: __dirname };
