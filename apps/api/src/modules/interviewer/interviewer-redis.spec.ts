import { randomBytes } from 'node:crypto';
import { addField, renameField, toJSON, updateField } from '@hatch/model';
import type { TimelineEvent } from '@hatch/protocol';
import type { HatchApp } from '../../app.factory';
import { CollabTestClient } from '../../testing/collab-clients';
import { request, startTestApp } from '../../testing/test-app';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import { createTestSession, SessionTestClient } from '../session-events/session-events.test-util';
import { InterviewerLeaseRepository } from './interviewer-lease.repository';
import { InterviewerService } from './interviewer.service';
import { buildWeakModel, FAST_INTERVIEWER_ENV, frameEverything, INTERVIEW_SCENARIO_ID } from './interviewer.test-util';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// Two api processes on one PostgreSQL and one Redis, both with connections to the session: exactly one
// drives the AI (the lease holder), and when it goes the other takes over.
const postgres = testBackends().find((b) => b.name === 'postgres');
(postgres ? describe : describe.skip)('the AI interviewer across two api processes with Redis', () => {
  let testDb: TestDatabase;
  let apps: HatchApp[];
  const clients: CollabTestClient[] = [];
  const sockets: SessionTestClient[] = [];
  const closed = new Set<HatchApp>();

  beforeAll(async () => {
    if (!postgres) return;
    testDb = await postgres.create();
    const env = { ...testDb.env, ...FAST_INTERVIEWER_ENV, REDIS_URL, REDIS_KEY_PREFIX: `hatch-test-${randomBytes(4).toString('hex')}`, HATCH_SECRET: 's'.repeat(40) };
    apps = [];
    for (const dataDir of ['a', 'b']) apps.push(await startTestApp({ ...env, HATCH_DATA_DIR: `${testDb.dataDir}/${dataDir}` }));
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const s of sockets) s.close();
    for (const app of apps ?? []) if (!closed.has(app)) await app.close();
    await testDb?.dispose();
  });

  it('[IX1] one process asks each follow-up once; when it shuts down, the other takes the lease and carries on', async () => {
    const session = await createTestSession(apps[0].url, INTERVIEW_SCENARIO_ID, 'mock');
    const connect = async (app: HatchApp, role: 'candidate' | 'observer') => {
      const socket = await SessionTestClient.connect(app.url, { token: session.tokens[role], sessionId: session.sessionId });
      sockets.push(socket);
      return socket;
    };
    const candidates = [await connect(apps[0], 'candidate'), await connect(apps[1], 'candidate')];
    const editor = new CollabTestClient(apps[0].url, session.sessionId, session.tokens.candidate);
    clients.push(editor);
    await editor.synced();
    frameEverything(editor.doc);
    buildWeakModel(editor.doc);

    const first = await candidates[1].next('followup', () => true, 30_000);
    expect(first.bankId).toBe('invoice-money');
    expect(await candidates[0].next('followup', (f) => f.id === first.id)).toEqual(first);
    const holders = apps.map((app) => app.app.get(InterviewerService).holder);
    const lease = await apps[0].app.get(InterviewerLeaseRepository).find(session.sessionId);
    expect(holders).toContain(lease?.holder);
    const driver = holders.indexOf(lease?.holder ?? '');
    const survivor = 1 - driver;

    // The driver goes (its lease is released on shutdown); the survivor's clients carry on.
    await apps[driver].close();
    closed.add(apps[driver]);
    const survivorEditor = new CollabTestClient(apps[survivor].url, session.sessionId, session.tokens.candidate);
    clients.push(survivorEditor);
    await survivorEditor.synced();
    const invoices = toJSON(survivorEditor.doc).entities.find((e) => e.name === 'invoices');
    const total = invoices?.fields.find((f) => f.name === 'total');
    if (!invoices || !total) throw new Error('the model did not reach the survivor');
    renameField(survivorEditor.doc, { entityId: invoices.id, fieldId: total.id, name: 'total_minor' });
    updateField(survivorEditor.doc, { entityId: invoices.id, fieldId: total.id, type: 'bigint' });
    addField(survivorEditor.doc, { entityId: invoices.id, name: 'currency', type: 'text' });

    const watcher = candidates[survivor];
    expect(await watcher.next('followup:closed', (c) => c.followUpId === first.id, 15_000)).toMatchObject({ how: 'model', improvement: { improved: true } });
    const second = await watcher.next('followup', (f) => f.id !== first.id, 15_000);
    expect(second.bankId).toBe('invoice-history');
    expect((await apps[survivor].app.get(InterviewerLeaseRepository).find(session.sessionId))?.holder).toBe(holders[survivor]);

    const events = (await request(`${apps[survivor].url}/api/sessions/${session.sessionId}/events?limit=500&token=${session.tokens.reviewer}`)).body
      .events as TimelineEvent[];
    expect(events.filter((e) => e.type === 'followup').map((e) => e.id)).toEqual([first.id, second.id]);
    expect(events.filter((e) => e.type === 'stage').map((e) => (e.payload as { stage: string }).stage)).toEqual(['frame', 'list']);
    expect(events.filter((e) => e.type === 'followup:closed')).toHaveLength(1);
  }, 90_000);
});
