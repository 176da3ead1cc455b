import { testBackends } from './test-databases';

describe('testBackends', () => {
  it('[T1] always includes PGlite, and PostgreSQL when TEST_DATABASE_URL is set', () => {
    expect(testBackends({}).map((b) => b.name)).toEqual(['pglite']);
    expect(testBackends({ TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' }).map((b) => b.name)).toEqual([
      'pglite',
      'postgres',
    ]);
  });

  it('[T2] refuses to run in CI without TEST_DATABASE_URL rather than skipping PostgreSQL', () => {
    expect(() => testBackends({ CI: 'true' })).toThrow(/TEST_DATABASE_URL must be set in CI/);
    expect(() => testBackends({ CI: 'true', TEST_DATABASE_URL: 'postgres://h/db' })).not.toThrow();
  });
});
