import { randomUUID } from 'node:crypto';
import { UpdateStoreError } from '@hatch/collab';
import { Database } from '../../database/database';
import { createTestLogger } from '../../testing/silent-logger';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import { PostgresUpdateStore } from './postgres-update-store';
import { SnapshotRepository } from './snapshot.repository';
import { UpdateLogRepository } from './update-log.repository';

const bytes = (...values: number[]) => Uint8Array.from(values);

// The storage contract the rooms rely on, run against PGlite and (with TEST_DATABASE_URL) PostgreSQL.
describe.each(testBackends())('PostgresUpdateStore on $name', (backend) => {
  let testDb: TestDatabase;
  let database: Database;
  let store: PostgresUpdateStore;

  const newSession = async (): Promise<{ sessionId: string; participantId: string }> => {
    const sessionId = randomUUID();
    const participantId = randomUUID();
    await database.dataSource.query(`INSERT INTO sessions (id, scenario_id, scenario_version, mode) VALUES ($1, 's', 1, 'pair')`, [sessionId]);
    await database.dataSource.query(`INSERT INTO participants (id, session_id, role, display_name) VALUES ($1, $2, 'candidate', 'C')`, [
      participantId,
      sessionId,
    ]);
    return { sessionId, participantId };
  };
  const count = async (sessionId: string) =>
    Number((await database.dataSource.query('SELECT count(*) AS n FROM document_updates WHERE session_id = $1', [sessionId]))[0].n);

  beforeAll(async () => {
    testDb = await backend.create();
    database = await Database.open(testDb.target, createTestLogger());
    store = new PostgresUpdateStore(new UpdateLogRepository(database.dataSource), new SnapshotRepository(database.dataSource));
  });

  afterAll(async () => {
    await database?.close();
    await testDb?.dispose();
  });

  it('[U1] one append numbers each session’s rows consecutively, in row order, across sessions', async () => {
    const a = await newSession();
    const b = await newSession();
    expect(await store.append({ id: randomUUID(), rows: [{ ...a, update: bytes(1) }] })).toEqual([1]);
    const seqs = await store.append({
      id: randomUUID(),
      rows: [
        { ...b, update: bytes(10) },
        { ...a, update: bytes(2) },
        { sessionId: b.sessionId, participantId: null, update: bytes(11) },
        { ...a, update: bytes(3) },
      ],
    });
    expect(seqs).toEqual([1, 2, 2, 3]);
    const loaded = await store.load(a.sessionId);
    expect(loaded.updates.map((u) => [u.seq, [...u.update]])).toEqual([
      [1, [1]],
      [2, [2]],
      [3, [3]],
    ]);
    expect((await store.updatesAfter(b.sessionId, 1)).map((u) => [...u.update])).toEqual([[11]]);
  });

  it('[U2] retrying a batch that committed returns its seqs and writes nothing twice', async () => {
    const a = await newSession();
    const b = await newSession();
    const batch = { id: randomUUID(), rows: [{ ...a, update: bytes(1) }, { ...b, update: bytes(2) }, { ...a, update: bytes(3) }] };
    const first = await store.append(batch);
    expect(await store.append(batch)).toEqual(first);
    expect([await count(a.sessionId), await count(b.sessionId)]).toEqual([2, 1]);
    expect(await store.append({ id: randomUUID(), rows: [{ ...a, update: bytes(4) }] })).toEqual([3]);
  });

  it('[U3] concurrent appends to one session get unique, gap-free seqs', async () => {
    const a = await newSession();
    const batches = Array.from({ length: 8 }, (_, i) => ({
      id: randomUUID(),
      rows: [
        { ...a, update: bytes(i, 0) },
        { ...a, update: bytes(i, 1) },
      ],
    }));
    const results = await Promise.all(batches.map((batch) => store.append(batch)));
    const all = results.flat().sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    for (const seqs of results) expect(seqs[1]).toBe(seqs[0] + 1);
  });

  it('[U4] refuses rows of an unknown session for good (not retryable), writing none of the batch', async () => {
    const a = await newSession();
    const attempt = store.append({
      id: randomUUID(),
      rows: [
        { ...a, update: bytes(1) },
        { sessionId: randomUUID(), participantId: null, update: bytes(2) },
      ],
    });
    await expect(attempt).rejects.toBeInstanceOf(UpdateStoreError);
    await expect(attempt).rejects.toMatchObject({ retryable: false });
    expect(await count(a.sessionId)).toBe(0);
  });

  it('[U5] load reads the newest snapshot and only the updates after it; a second snapshot at a seq is ignored', async () => {
    const a = await newSession();
    await store.append({ id: randomUUID(), rows: [1, 2, 3, 4].map((v) => ({ ...a, update: bytes(v) })) });
    await store.writeSnapshot(a.sessionId, { seq: 2, state: bytes(9, 2) });
    await store.writeSnapshot(a.sessionId, { seq: 3, state: bytes(9, 3) });
    await store.writeSnapshot(a.sessionId, { seq: 3, state: bytes(0) });
    const loaded = await store.load(a.sessionId);
    expect(loaded.snapshot && { seq: loaded.snapshot.seq, state: [...loaded.snapshot.state] }).toEqual({ seq: 3, state: [9, 3] });
    expect(loaded.updates.map((u) => u.seq)).toEqual([4]);
    expect(await store.load(randomUUID())).toEqual({ snapshot: null, updates: [] });
  });
});
