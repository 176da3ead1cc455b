import { DataSource } from 'typeorm';
import { createTestLogger } from '../testing/silent-logger';
import { type TestDatabase, testBackends } from '../testing/test-databases';
import { buildDataSourceOptions } from './data-source-options';
import { Database } from './database';
import { MIGRATIONS } from './migrations';
import { runMigrations } from './migration-runner';

const logger = createTestLogger();
const TABLES = ['users', 'sessions', 'participants', 'document_updates', 'snapshots', 'session_events', 'score_samples', 'interviewer_leases', 'interviewer_usage'];

describe.each(testBackends())('migrations on $name', (backend) => {
  let testDb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDb = await backend.create();
    database = await Database.open(testDb.target, logger);
  });

  afterAll(async () => {
    await database?.close();
    await testDb?.dispose();
  });

  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    database.dataSource.query(sql, params) as Promise<T[]>;

  it('[M1] creates every table on an empty database, with timestamptz columns only', async () => {
    const tables = await query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining([...TABLES, 'migrations']));
    const naiveTimestamps = await query(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND data_type = 'timestamp without time zone'`,
    );
    expect(naiveTimestamps).toEqual([]);
  });

  it('[M2] records each migration once; a second run is a no-op', async () => {
    expect(await runMigrations(database.dataSource)).toEqual([]);
    const rows = await query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it('[M3] indexes the (session_id, seq) reads of the history tables', async () => {
    const indexes = await query<{ tablename: string; indexdef: string }>(
      `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
    );
    const leading = (table: string) =>
      indexes.filter((i) => i.tablename === table).map((i) => /\(([^)]*)\)/.exec(i.indexdef)?.[1] ?? '');
    expect(leading('document_updates')).toContain('session_id, seq');
    expect(leading('snapshots')).toContain('session_id, seq');
    expect(leading('score_samples')).toContain('session_id, seq');
    expect(leading('session_events')).toEqual(expect.arrayContaining(['session_id, id', 'session_id, seq']));
  });

  describe('append-only history', () => {
    const sessionId = '6a1f7c2e-0000-4000-8000-000000000001';
    const participantId = '6a1f7c2e-0000-4000-8000-000000000002';

    beforeAll(async () => {
      await query(`INSERT INTO sessions (id, scenario_id, scenario_version, mode) VALUES ($1, 'saas', 1, 'mock')`, [sessionId]);
      await query(
        `INSERT INTO participants (id, session_id, role, display_name) VALUES ($1, $2, 'candidate', 'Candidate')`,
        [participantId, sessionId],
      );
      await query(`INSERT INTO document_updates (session_id, seq, participant_id, update) VALUES ($1, 1, $2, '\\x0102')`, [
        sessionId,
        participantId,
      ]);
      await query(`INSERT INTO snapshots (session_id, seq, state) VALUES ($1, 1, '\\x0102')`, [sessionId]);
      await query(`INSERT INTO session_events (session_id, seq, type, actor_participant_id, payload) VALUES ($1, 1, 'chat', $2, '{"text":"hi"}')`, [
        sessionId,
        participantId,
      ]);
      await query(`INSERT INTO score_samples (session_id, seq, scores, total) VALUES ($1, 1, '{}', 12.5)`, [sessionId]);
    });

    it.each([
      ['document_updates', `UPDATE document_updates SET update = '\\x00'`],
      ['snapshots', `UPDATE snapshots SET state = '\\x00'`],
      ['session_events', `UPDATE session_events SET type = 'x'`],
      ['score_samples', `UPDATE score_samples SET total = 0`],
    ])('[M4] rejects UPDATE on %s', async (table, sql) => {
      await expect(query(sql)).rejects.toThrow(`${table} is append-only: UPDATE is not allowed`);
    });

    it.each(['document_updates', 'snapshots', 'session_events', 'score_samples'])('[M5] rejects DELETE and TRUNCATE on %s', async (table) => {
      await expect(query(`DELETE FROM ${table}`)).rejects.toThrow(`${table} is append-only: DELETE is not allowed`);
      await expect(query(`TRUNCATE ${table}`)).rejects.toThrow(`${table} is append-only: TRUNCATE is not allowed`);
      expect(await query(`SELECT 1 FROM ${table} WHERE session_id = $1`, [sessionId])).toHaveLength(1);
    });

    it('[M6] refuses history whose actor belongs to another session', async () => {
      const other = '6a1f7c2e-0000-4000-8000-000000000003';
      await query(`INSERT INTO sessions (id, scenario_id, scenario_version, mode) VALUES ($1, 'saas', 1, 'pair')`, [other]);
      await expect(
        query(`INSERT INTO document_updates (session_id, seq, participant_id, update) VALUES ($1, 1, $2, '\\x01')`, [other, participantId]),
      ).rejects.toThrow(/document_updates_participant_fkey/);
    });

    it('[M7] lets history leave only with its session (ON DELETE CASCADE)', async () => {
      await expect(query('DELETE FROM participants WHERE id = $1', [participantId])).rejects.toThrow(/violates foreign key/);
      await query('DELETE FROM sessions WHERE id = $1', [sessionId]);
      for (const table of ['participants', 'document_updates', 'snapshots', 'session_events', 'score_samples']) {
        expect(await query(`SELECT 1 FROM ${table} WHERE session_id = $1`, [sessionId])).toEqual([]);
      }
    });
  });
});

// Only real PostgreSQL has several sessions to race (PGlite has one); skipped (visibly) without it.
const postgres = testBackends().find((b) => b.name === 'postgres');
(postgres ? describe : describe.skip)('migrations on postgres, concurrently', () => {
  it('[M8] two processes migrating one empty database at once both succeed (advisory lock)', async () => {
    if (!postgres) return;
    const testDb = await postgres.create();
    const sources = [0, 1].map(() => {
      if (testDb.target.kind !== 'postgres') throw new Error('expected PostgreSQL');
      return new DataSource(buildDataSourceOptions({ kind: 'url', url: testDb.target.url }, logger));
    });
    try {
      await Promise.all(sources.map((s) => s.initialize()));
      const results = await Promise.all(sources.map((s) => runMigrations(s)));
      expect(results.map((r) => r.length).sort()).toEqual([0, MIGRATIONS.length]);
      const rows = (await sources[0].query('SELECT name FROM migrations')) as unknown[];
      expect(rows).toHaveLength(MIGRATIONS.length);
    } finally {
      await Promise.all(sources.map((s) => (s.isInitialized ? s.destroy() : undefined)));
      await testDb.dispose();
    }
  });
});
