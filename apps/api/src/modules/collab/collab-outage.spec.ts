import * as Y from 'yjs';
import type { HatchApp } from '../../app.factory';
import { CollabTestClient, createSession, docFromStored, sameContent, waitFor } from '../../testing/collab-clients';
import { startTestApp } from '../../testing/test-app';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import { TcpProxy } from '../../testing/tcp-proxy';
import { CollabService } from './collab.service';
import { PostgresUpdateStore } from './postgres-update-store';

/** Every row adds something to the document the rows before it built: no update was written twice. */
function noDuplicateRows(rows: Array<{ update: Uint8Array }>): boolean {
  const doc = new Y.Doc();
  return rows.every(({ update }) => {
    const before = Y.snapshot(doc);
    Y.applyUpdate(doc, update);
    return !Y.equalSnapshots(before, Y.snapshot(doc));
  });
}

// A proxy between the api and PostgreSQL is cut mid-session and restored. Needs a server the proxy can
// front, so it runs on PostgreSQL (TEST_DATABASE_URL); the room side of an outage is also covered
// against the in-memory store in libs/collab ([C10], [F1]).
const postgres = testBackends().find((b) => b.name === 'postgres');
(postgres ? describe : describe.skip)('collab through a database outage (PostgreSQL behind a proxy)', () => {
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let hatch: HatchApp;
  const clients: CollabTestClient[] = [];

  beforeAll(async () => {
    if (!postgres) return;
    testDb = await postgres.create();
    const target = new URL(testDb.env.DATABASE_URL);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).start();
    const viaProxy = new URL(testDb.env.DATABASE_URL);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    hatch = await startTestApp({ ...testDb.env, DATABASE_URL: viaProxy.toString() });
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await proxy?.restore().catch(() => undefined);
    await hatch?.close();
    await proxy?.close();
    await testDb?.dispose();
  });

  it('[O1] keeps editing and relaying while the database is gone, stops acknowledging, then writes everything once', async () => {
    const session = await createSession(hatch.url);
    const [a, b] = (['candidate', 'interviewer'] as const).map((role) => {
      const c = new CollabTestClient(hatch.url, session.sessionId, session.tokens[role]);
      clients.push(c);
      return c;
    });
    await Promise.all([a.synced(), b.synced()]);
    a.items.push(['before']);
    await waitFor(() => a.durable && b.items.length === 1);

    await proxy.cut();
    const ackedA = a.saved?.count ?? 0;
    const ackedB = b.saved?.count ?? 0;
    for (let i = 0; i < 10; i++) {
      (i % 2 ? a : b).items.push([`during-${i}`]);
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => a.items.length === 11 && b.items.length === 11, 5000, 'relay during the outage');
    await new Promise((r) => setTimeout(r, 300));
    expect([a.saved?.count ?? 0, b.saved?.count ?? 0]).toEqual([ackedA, ackedB]);
    expect(hatch.app.get(CollabService).rooms.stats()).toMatchObject({ unsaved: 10, storeFailing: true });

    await proxy.restore();
    await waitFor(() => a.durable && b.durable, 15_000, 'acknowledgements to resume');
    const stored = await hatch.app.get(PostgresUpdateStore).load(session.sessionId);
    expect(stored.updates).toHaveLength(11);
    expect(noDuplicateRows(stored.updates)).toBe(true);
    expect(sameContent(docFromStored(stored), a.doc)).toBe(true);
    expect(sameContent(a.doc, b.doc)).toBe(true);
  });
});
