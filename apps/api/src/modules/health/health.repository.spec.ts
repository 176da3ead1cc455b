import { Database } from '../../database/database';
import { createTestLogger } from '../../testing/silent-logger';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import { DatabaseHealthRepository } from './database-health.repository';

describe.each(testBackends())('DatabaseHealthRepository on $name', (backend) => {
  let testDb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDb = await backend.create();
    database = await Database.open(testDb.target, createTestLogger());
  });

  afterAll(async () => {
    await database?.close();
    await testDb?.dispose();
  });

  it('[H1] ping answers while the database is open and rejects once it is closed', async () => {
    const repository = new DatabaseHealthRepository(database.dataSource);
    await expect(repository.ping()).resolves.toBeUndefined();
    await database.close();
    await expect(repository.ping()).rejects.toThrow();
  });
});
