// `npm test` runs every project's suite in one Jest run; each project can also be run alone (`nx test model`).
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.cjs', '<rootDir>/apps/*/jest.config.cjs', '<rootDir>/test/jest.config.cjs'],
  reporters: ['default', '<rootDir>/tools/summary-reporter.cjs'],
};
