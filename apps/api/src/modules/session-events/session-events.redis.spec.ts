import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { ConsoleLogger } from '@nestjs/common';
import { AI_INTERVIEWER_ACTOR, type TimelineEvent } from '@hatch/protocol';
import type { HatchApp } from '../../app.factory';
import { FIXTURE_SCENARIO_ID, request, startTestApp } from '../../testing/test-app';
import { makeTempDir, type TestDatabase, testBackends } from '../../testing/test-databases';
import type { CreatedSession } from '../sessions/session.dto';
import { SessionEventsService } from './session-events.service';
import { createTestSession, SessionTestClient, sleep } from './session-events.test-util';

/**
 * Two api processes (two `createApp` instances) on one PostgreSQL database and one Redis: a client on
 * each. Needs TEST_DATABASE_URL (two processes cannot share the embedded database) and a Redis at
 * TEST_REDIS_URL (default redis://127.0.0.1:6379).
 */
const REDIS_URL = process.env.TEST_REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const postgres = testBackends().find((backend) => backend.name === 'postgres');
const describeWithPostgres = postgres ? describe : describe.skip;

type Role = 'candidate' | 'interviewer' | 'observer' | 'reviewer';

describeWithPostgres('session event channel across two api processes with Redis', () => {
  let testDb: TestDatabase;
  let a: HatchApp;
  let b: HatchApp;
  let bClosed = false;
  let otherDataDir: string;
  let env: Record<string, string>;
  let clients: SessionTestClient[] = [];

  beforeAll(async () => {
    testDb = await (postgres ?? testBackends()[0]).create();
    env = {
      ...testDb.env,
      // both processes must sign and verify with one key
      HATCH_SECRET: randomBytes(32).toString('hex'),
      REDIS_URL,
      REDIS_KEY_PREFIX: `hatch-test-${randomBytes(6).toString('hex')}`,
    };
    otherDataDir = await makeTempDir();
    a = await startTestApp(env);
    b = await startTestApp({ ...env, HATCH_DATA_DIR: otherDataDir });
  });

  afterEach(() => {
    for (const client of clients) client.close();
    clients = [];
  });

  afterAll(async () => {
    await a?.close();
    if (!bClosed) await b?.close();
    await testDb?.dispose();
    if (otherDataDir) await rm(otherDataDir, { recursive: true, force: true });
  });

  const join = async (app: HatchApp, session: CreatedSession, role: Role): Promise<SessionTestClient> => {
    const client = await SessionTestClient.connect(app.url, { token: session.tokens[role], sessionId: session.sessionId });
    clients.push(client);
    return client;
  };

  const roles = (p: { participants: { role: string }[] }) => p.participants.map((e) => e.role).join();

  it('[RD1] presence and the start cross processes: an interviewer on A sees the candidate who joined B', async () => {
    const session = await createTestSession(a.url, FIXTURE_SCENARIO_ID);
    const interviewer = await join(a, session, 'interviewer');
    const candidate = await join(b, session, 'candidate');
    for (const client of [interviewer, candidate]) {
      await client.next('presence', (p) => roles(p) === 'candidate,interviewer');
      await client.next('session', (s) => s.status === 'live' && s.by?.role === 'candidate');
      await client.next('stage', (s) => s.stage === 'frame');
    }
  });

  it('[RD2] chat sent on either process reaches the session’s clients on both, once, and no other session', async () => {
    const session = await createTestSession(a.url, FIXTURE_SCENARIO_ID);
    const other = await createTestSession(b.url, FIXTURE_SCENARIO_ID);
    const interviewer = await join(a, session, 'interviewer');
    const observer = await join(a, session, 'observer');
    const candidate = await join(b, session, 'candidate');
    const outsider = await join(b, other, 'interviewer');
    await interviewer.next('presence', (p) => roles(p) === 'candidate,interviewer,observer');

    const fromB = await candidate.socket.emitWithAck('chat:send', { text: 'hello from B' });
    const fromA = await interviewer.socket.emitWithAck('chat:send', { text: 'hello from A' });
    if (!fromA.ok || !fromB.ok) throw new Error('chat refused');
    for (const client of [interviewer, observer, candidate]) {
      await client.next('chat', (m) => m.id === fromB.message.id && m.text === 'hello from B');
      await client.next('chat', (m) => m.id === fromA.message.id && m.text === 'hello from A');
    }
    await sleep(150);
    for (const client of [interviewer, observer, candidate]) expect(client.all('chat')).toHaveLength(2);
    expect(outsider.all('chat')).toEqual([]);

    const res = await request(`${b.url}/api/sessions/${session.sessionId}/events?token=${session.tokens.reviewer}`);
    expect(res.body.events.filter((e: TimelineEvent) => e.type === 'chat').map((e: TimelineEvent) => e.id)).toEqual([
      fromB.message.id,
      fromA.message.id,
    ]);
  });

  it('[RD3] stage changes on one process reach clients on the other, from a participant and from the AI interviewer', async () => {
    const session = await createTestSession(a.url, FIXTURE_SCENARIO_ID);
    const interviewer = await join(a, session, 'interviewer');
    const candidate = await join(b, session, 'candidate');
    await interviewer.next('session', (s) => s.status === 'live');

    expect(await interviewer.socket.emitWithAck('stage:set', { stage: 'list' })).toMatchObject({ ok: true, changed: true });
    expect(await candidate.next('stage', (s) => s.stage === 'list')).toMatchObject({ previous: 'frame', changedBy: { role: 'interviewer' } });
    expect(await candidate.next('timer', (t) => t.stage === 'list')).toMatchObject({ status: 'live' });

    await b.app.get(SessionEventsService).changeStage(session.sessionId, 'optimize', AI_INTERVIEWER_ACTOR);
    expect(await interviewer.next('stage', (s) => s.stage === 'optimize')).toMatchObject({ previous: 'list', changedBy: { role: 'ai-interviewer' } });
    // the refusal stays with the sender
    expect(await candidate.socket.emitWithAck('stage:set', { stage: 'win' })).toMatchObject({ ok: false, code: 'FORBIDDEN_ROLE' });
  });

  it('[RD4] an unreachable Redis stops the boot with REDIS_UNAVAILABLE, without echoing its password', async () => {
    const error = await startTestApp(
      { ...env, HATCH_DATA_DIR: otherDataDir, REDIS_URL: 'redis://:hunter2@127.0.0.1:1' },
      { logger: new ConsoleLogger({ logLevels: [] }) },
    ).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(error).toMatchObject({ code: 'REDIS_UNAVAILABLE', message: expect.stringContaining('Redis at 127.0.0.1:1 is unavailable') });
    expect(error?.message).not.toContain('hunter2');
  });

  it('[RD5] when a process shuts down, the other process’s clients see its participants leave', async () => {
    const session = await createTestSession(a.url, FIXTURE_SCENARIO_ID);
    const interviewer = await join(a, session, 'interviewer');
    const candidate = await join(b, session, 'candidate');
    await interviewer.next('presence', (p) => roles(p) === 'candidate,interviewer');
    const closed = candidate.closed();
    bClosed = true;
    await b.close();
    await closed;
    await interviewer.next('presence', (p) => roles(p) === 'interviewer');
    const res = await request(`${a.url}/api/sessions/${session.sessionId}/events?token=${session.tokens.reviewer}`);
    const leave = res.body.events.find((e: TimelineEvent) => e.type === 'presence:leave');
    expect(leave).toMatchObject({ payload: { role: 'candidate', reason: 'server namespace disconnect' } });
  });
});

if (!postgres) {
  it.skip('[RD] two api processes with Redis need TEST_DATABASE_URL (two processes cannot share the embedded database)', () => undefined);
}
