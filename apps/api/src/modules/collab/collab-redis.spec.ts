import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import type { HatchApp } from '../../app.factory';
import { CollabTestClient, createSession, docFromStored, roomDoc, sameContent, waitFor } from '../../testing/collab-clients';
import { startTestApp } from '../../testing/test-app';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import { CollabService } from './collab.service';
import { PostgresUpdateStore } from './postgres-update-store';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// Two api instances on one PostgreSQL database and one Redis (the embedded PGlite serves one process
// only, so this runs with TEST_DATABASE_URL). Each has its own rooms, Redis connections and node id.
const postgres = testBackends().find((b) => b.name === 'postgres');
(postgres ? describe : describe.skip)('collab across two api processes with Redis', () => {
  let testDb: TestDatabase;
  let apps: HatchApp[];
  const clients: CollabTestClient[] = [];

  beforeAll(async () => {
    if (!postgres) return;
    testDb = await postgres.create();
    const env = { ...testDb.env, REDIS_URL, REDIS_KEY_PREFIX: `hatch-test-${randomBytes(4).toString('hex')}` };
    apps = [];
    for (const dataDir of ['a', 'b']) apps.push(await startTestApp({ ...env, HATCH_DATA_DIR: `${testDb.dataDir}/${dataDir}`, HATCH_SECRET: 's'.repeat(40) }));
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const app of apps ?? []) await app.close();
    await testDb?.dispose();
  });

  it('[R1] a client on each process co-edits one session and converges; each update is logged once, by its origin', async () => {
    const session = await createSession(apps[0].url);
    const [a, b] = [
      new CollabTestClient(apps[0].url, session.sessionId, session.tokens.candidate),
      new CollabTestClient(apps[1].url, session.sessionId, session.tokens.interviewer),
    ];
    clients.push(a, b);
    await Promise.all([a.synced(), b.synced()]);
    for (let i = 0; i < 5; i++) {
      a.items.push([`a${i}`]);
      b.items.push([`b${i}`]);
    }
    a.doc.getText('notes').insert(0, 'from a ');
    b.doc.getText('notes').insert(0, 'from b ');
    b.provider.awareness.setLocalStateField('user', { name: 'Bea' });
    await waitFor(() => a.items.length === 10 && b.items.length === 10 && a.doc.getText('notes').length === 14, 5000, 'convergence');
    await waitFor(() => a.durable && b.durable, 5000, 'acks');
    await waitFor(() => a.provider.awareness.getStates().get(b.doc.clientID) !== undefined, 5000, 'awareness across processes');
    expect(sameContent(a.doc, b.doc)).toBe(true);

    for (const app of apps) {
      const room = app.app.get(CollabService).rooms.get(session.sessionId);
      expect(room && sameContent(roomDoc(room), a.doc)).toBe(true);
    }
    const stored = await apps[0].app.get(PostgresUpdateStore).load(session.sessionId);
    expect(sameContent(docFromStored(stored), a.doc)).toBe(true);
    // 5 + 5 pushes and one text insert per client: 12 rows, none written by both processes
    expect(stored.updates).toHaveLength(12);
    const check = new Y.Doc();
    for (const { update } of stored.updates) {
      const before = Y.snapshot(check);
      Y.applyUpdate(check, update);
      expect(Y.equalSnapshots(before, Y.snapshot(check))).toBe(false);
    }
  });
});
