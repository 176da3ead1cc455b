import { randomBytes } from 'node:crypto';
import { addEntity, toJSON } from '@hatch/model';
import type { ScoreUpdate } from '@hatch/protocol';
import type { HatchApp } from '../../app.factory';
import { CollabTestClient, createSession, waitFor } from '../../testing/collab-clients';
import { request, startTestApp } from '../../testing/test-app';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import { SessionTestClient } from '../session-events/session-events.test-util';
import { LiveGradingService } from './live-grading.service';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// Two api processes on one PostgreSQL and one Redis (PGlite serves one process only): the process whose
// room committed a change samples it, once; every process's clients get the score.
const postgres = testBackends().find((b) => b.name === 'postgres');
(postgres ? describe : describe.skip)('scores over time across two api processes with Redis', () => {
  let testDb: TestDatabase;
  let apps: HatchApp[];
  const clients: CollabTestClient[] = [];
  const sockets: SessionTestClient[] = [];
  const stats = (i: number) => apps[i].app.get(LiveGradingService).stats;

  beforeAll(async () => {
    if (!postgres) return;
    testDb = await postgres.create();
    const env = { ...testDb.env, REDIS_URL, REDIS_KEY_PREFIX: `hatch-test-${randomBytes(4).toString('hex')}`, GRADE_DEBOUNCE_MS: '150' };
    apps = [];
    for (const dataDir of ['a', 'b']) apps.push(await startTestApp({ ...env, HATCH_DATA_DIR: `${testDb.dataDir}/${dataDir}`, HATCH_SECRET: 's'.repeat(40) }));
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const s of sockets) s.close();
    for (const app of apps ?? []) await app.close();
    await testDb?.dispose();
  });

  it('[SX1] edits on either process are sampled once, by the process that committed them, and pushed to both', async () => {
    const session = await createSession(apps[0].url);
    const [a, b] = [
      new CollabTestClient(apps[0].url, session.sessionId, session.tokens.candidate),
      new CollabTestClient(apps[1].url, session.sessionId, session.tokens.interviewer),
    ];
    clients.push(a, b);
    const listeners = await Promise.all(
      apps.map((app) => SessionTestClient.connect(app.url, { token: session.tokens.observer, sessionId: session.sessionId })),
    );
    sockets.push(...listeners);
    await Promise.all([a.synced(), b.synced()]);
    // each process grades the document as its room loads (the baseline); one of them stores it
    await waitFor(() => stats(0).graded >= 1 && stats(1).graded >= 1, 5000, 'the baseline grade on both');
    await Promise.all(apps.map((app) => app.app.get(LiveGradingService).idle()));
    const before = [stats(0), stats(1)];

    addEntity(a.doc, { name: 'invoices' });
    await waitFor(() => a.durable, 5000, 'acks on A');
    const first = await listeners[1].next('score', (s) => s.seq === a.saved?.seq);
    expect(await listeners[0].next('score', (s) => s.id === first.id)).toEqual(first);
    expect(stats(0).stored - before[0].stored).toBe(1);
    expect(stats(1).graded - before[1].graded).toBe(0);

    await waitFor(() => b.doc.getArray('entities').length === 1, 5000, 'the edit to reach B');
    addEntity(b.doc, { name: 'tenants' });
    await waitFor(() => b.durable, 5000, 'acks on B');
    const second = await listeners[0].next('score', (s) => s.seq === b.saved?.seq);
    expect(second.stages.list).toBeGreaterThan(first.stages.list);
    expect(stats(1).stored - before[1].stored).toBe(1);

    const timeline = await request(`${apps[1].url}/api/sessions/${session.sessionId}/scores?token=${session.tokens.reviewer}`);
    const samples = timeline.body.samples as ScoreUpdate[];
    const [baseline, ...edits] = samples;
    expect(baseline.seq).toBeLessThan(first.seq);
    expect(baseline.stages.list).toBe(0);
    expect(edits).toEqual([first, second]);
    expect(new Set(samples.map((s) => s.seq)).size).toBe(samples.length);

    // B's mirror holds A's edit too (fed by the room's remote updates)
    const model = await request(`${apps[1].url}/api/sessions/${session.sessionId}/model?token=${session.tokens.candidate}`);
    expect(model.body).toMatchObject({ source: 'live', seq: b.saved?.seq });
    expect(model.body.model).toEqual(toJSON(a.doc));
  });
});
