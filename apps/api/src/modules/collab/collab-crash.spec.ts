import { ApiProcess, buildApi } from '../../testing/api-process';
import { CollabTestClient, createSession, waitFor } from '../../testing/collab-clients';
import { type TestDatabase, testBackends } from '../../testing/test-databases';

const SECRET = 'crash-test-secret-'.padEnd(40, 'x');

interface SentEdit {
  value: string;
  /** The content-message count of the connection once this edit was sent. */
  index: number;
}

/** Pushes items until stopped, remembering which content message carried each. */
function editContinuously(client: CollabTestClient, label: string): { edits: SentEdit[]; stop(): void } {
  const edits: SentEdit[] = [];
  let n = 0;
  const timer = setInterval(() => {
    const socket = client.provider.ws as unknown as { sentContent: number } | null;
    if (!socket || !client.provider.synced) return;
    const value = `${label}-${n++}`;
    client.items.push([value]);
    edits.push({ value, index: socket.sentContent });
  }, 3);
  return { edits, stop: () => clearInterval(timer) };
}

// The crash test: the built api as a child process, clients editing, SIGKILL, restart on the
// same data: every edit the server acknowledged as durable is there.
beforeAll(() => buildApi(), 180_000);

describe.each(testBackends())('collab durability under SIGKILL on $name', (backend) => {
  let testDb: TestDatabase;
  let api: ApiProcess | undefined;
  const clients: CollabTestClient[] = [];

  beforeAll(async () => {
    testDb = await backend.create();
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await api?.stop('SIGKILL');
    await testDb?.dispose();
  });

  it('[K1] no acknowledged update is lost when the process is killed mid-edit', async () => {
    const env = { ...testDb.env, HATCH_SECRET: SECRET, COLLAB_RATE_LIMIT: '1000', COLLAB_RATE_BURST: '1000' };
    api = await ApiProcess.start(env);
    const session = await createSession(api.url);
    const url = api.url;
    const writers = (['candidate', 'interviewer'] as const).map((role) => {
      const c = new CollabTestClient(url, session.sessionId, session.tokens[role]);
      clients.push(c);
      return c;
    });
    await Promise.all(writers.map((c) => c.synced()));
    const runs = writers.map((c, i) => editContinuously(c, `w${i}`));
    await waitFor(() => writers.every((c) => (c.saved?.count ?? 0) > 20), 10_000, 'acknowledged edits');
    await api.kill();
    for (const run of runs) run.stop();

    // acknowledged: carried by a content message the last `saved` of that connection covers
    const acknowledged = writers.flatMap((c, i) => runs[i].edits.filter((e) => e.index <= (c.saved?.count ?? 0)).map((e) => e.value));
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    for (const c of writers) c.provider.destroy();

    api = await ApiProcess.start(env);
    const reader = new CollabTestClient(api.url, session.sessionId, session.tokens.observer);
    clients.push(reader);
    await reader.synced(10_000);
    const stored = new Set(reader.items.toArray());
    expect(acknowledged.filter((value) => !stored.has(value))).toEqual([]);
    await api.stop();
    expect(api.log).not.toMatch(/"level":"error"/);
  });
});
