import { randomUUID } from 'node:crypto';
import { Database } from '../../database/database';
import { createTestLogger } from '../../testing/silent-logger';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import { ScoreSampleRepository, type StoredScores } from './score-sample.repository';

const scores = (list: number): StoredScores => ({
  scenarioId: 'tiny-saas',
  scenarioVersion: 3,
  stages: { frame: 0, list, optimize: 10, win: 0 },
  weakMoves: [{ move: 'tenant-boundaries', pointsLost: 12.5, checks: ['tenant-scoping'] }],
});

describe.each(testBackends())('ScoreSampleRepository on $name', (backend) => {
  let testDb: TestDatabase;
  let database: Database;
  let repository: ScoreSampleRepository;
  const sessionId = randomUUID();

  beforeAll(async () => {
    testDb = await backend.create();
    database = await Database.open(testDb.target, createTestLogger());
    repository = new ScoreSampleRepository(database.dataSource);
    await database.dataSource.query(`INSERT INTO sessions (id, scenario_id, scenario_version, mode) VALUES ($1, 'tiny-saas', 3, 'mock')`, [sessionId]);
  });

  afterAll(async () => {
    await database?.close();
    await testDb?.dispose();
  });

  it('[SR1] stores a sample with its seq, time and scores; a second sample of the same seq is a no-op (null)', async () => {
    const stored = await repository.insert({ sessionId, seq: 3, total: 15, scores: scores(40) });
    expect(stored).toMatchObject({ sessionId, seq: 3, total: 15, scores: scores(40), id: expect.stringMatching(/^\d+$/) });
    expect(Math.abs((stored?.sampledAt.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(await repository.insert({ sessionId, seq: 3, total: 99, scores: scores(99) })).toBeNull();
    const [row] = await repository.list(sessionId, { limit: 10 });
    expect(row).toEqual(stored);
  });

  it('[SR2] lists a session’s samples oldest first, in pages after an id, and no other session’s', async () => {
    const other = randomUUID();
    await database.dataSource.query(`INSERT INTO sessions (id, scenario_id, scenario_version, mode) VALUES ($1, 'tiny-saas', 3, 'mock')`, [other]);
    await repository.insert({ sessionId: other, seq: 1, total: 1, scores: scores(1) });
    for (const seq of [5, 4, 9]) await repository.insert({ sessionId, seq, total: seq, scores: scores(seq) });
    const all = await repository.list(sessionId, { limit: 10 });
    expect(all.map((s) => s.seq)).toEqual([3, 5, 4, 9]);
    const page = await repository.list(sessionId, { after: all[1].id, limit: 1 });
    expect(page.map((s) => s.seq)).toEqual([4]);
    expect(await repository.list(sessionId, { after: all[3].id, limit: 10 })).toEqual([]);
  });

  it('[SR3] refuses a sample of an unknown session (foreign key) rather than storing an orphan', async () => {
    await expect(repository.insert({ sessionId: randomUUID(), seq: 1, total: 0, scores: scores(0) })).rejects.toThrow(/foreign key/);
  });
});
