import { addEntity } from '@hatch/model';
import { ApiProcess, buildApi } from '../../testing/api-process';
import { CollabTestClient, createSession, waitFor } from '../../testing/collab-clients';
import { request } from '../../testing/test-app';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import { SessionTestClient } from '../session-events/session-events.test-util';

// The worker file is the one part of grading that differs between Jest (TypeScript compiled on the fly
// in the worker) and production (the compiled grade-worker.js beside the app): run the built app too.
const [backend] = testBackends();

describe(`scores over time in the built app (node apps/api/dist/main.js) on ${backend.name}`, () => {
  let testDb: TestDatabase;
  let api: ApiProcess | undefined;
  let client: CollabTestClient | undefined;
  let socket: SessionTestClient | undefined;

  beforeAll(async () => {
    buildApi();
    testDb = await backend.create();
  }, 120_000);

  afterAll(async () => {
    client?.destroy();
    socket?.close();
    await api?.stop();
    await testDb?.dispose();
  });

  it('[SD1] the compiled worker grades an edit: a score event, a stored sample, and the grade over REST', async () => {
    api = await ApiProcess.start({ ...testDb.env, GRADE_DEBOUNCE_MS: '100' });
    const url = api.url;
    const session = await createSession(url);
    socket = await SessionTestClient.connect(url, { token: session.tokens.interviewer, sessionId: session.sessionId });
    client = new CollabTestClient(url, session.sessionId, session.tokens.candidate);
    await client.synced();
    addEntity(client.doc, { name: 'invoices' });
    await waitFor(() => client?.durable ?? false, 10_000, 'durable acks');
    const seq = client.saved?.seq as number;
    const score = await socket.next('score', (s) => s.seq === seq, 15_000);
    expect(score.stages.list).toBeGreaterThan(0);
    const auth = { headers: { authorization: `Bearer ${session.tokens.candidate}` } };
    const timeline = await request(`${url}/api/sessions/${session.sessionId}/scores`, auth);
    expect(timeline.body.samples).toEqual([score]);
    const graded = await request(`${url}/api/sessions/${session.sessionId}/grade`, auth);
    expect(graded).toMatchObject({ status: 200, body: { seq, source: 'live', grade: { total: score.total } } });
    expect(api.log).toMatch(/Grading worker ready \(grade-worker\.js, 1 scenarios\)/);
  });
});
