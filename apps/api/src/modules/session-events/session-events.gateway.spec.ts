import { randomUUID } from 'node:crypto';
import { AI_INTERVIEWER_ACTOR, CHAT_MAX_LENGTH, flowStages, type TimelineEvent } from '@hatch/protocol';
import { stages as scenarioStages } from '@hatch/scenarios';
import type { HatchApp } from '../../app.factory';
import { FIXTURE_SCENARIO_ID, request, startTestApp } from '../../testing/test-app';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import { JoinTokenService } from '../auth/join-token.service';
import type { CreatedSession } from '../sessions/session.dto';
import { MAX_CLIENT_MESSAGE_BYTES } from './session-events.gateway';
import { RATE_LIMITS, SessionEventsService } from './session-events.service';
import { createTestSession, participantIdOf, SessionTestClient, sleep } from './session-events.test-util';

type Role = 'candidate' | 'interviewer' | 'observer' | 'reviewer';

const FIXTURE_MINUTES = { frame: 5, list: 10, optimize: 5, win: 5 };

it('[SV0] the wire’s FLOW stages are the scenario files’ stages', () => {
  expect([...flowStages]).toEqual([...scenarioStages]);
});

describe.each(testBackends())('session event channel on $name', (backend) => {
  let testDb: TestDatabase;
  let hatch: HatchApp;
  let clients: SessionTestClient[] = [];

  beforeAll(async () => {
    testDb = await backend.create();
    hatch = await startTestApp({ ...testDb.env, SESSION_TIMER_INTERVAL: '1' });
  });

  afterEach(() => {
    for (const client of clients) client.close();
    clients = [];
  });

  afterAll(async () => {
    await hatch?.close();
    await testDb?.dispose();
  });

  // Pair sessions: the channel's own mechanics, without the AI interviewer of a mock session speaking in between.
  const newSession = () => createTestSession(hatch.url, FIXTURE_SCENARIO_ID, 'pair');

  const join = async (session: CreatedSession, role: Role): Promise<SessionTestClient> => {
    const client = await SessionTestClient.connect(hatch.url, { token: session.tokens[role], sessionId: session.sessionId });
    clients.push(client);
    return client;
  };

  const timeline = async (session: CreatedSession, query = '', role: Role = 'reviewer'): Promise<TimelineEvent[]> => {
    const res = await request(`${hatch.url}/api/sessions/${session.sessionId}/events?limit=500${query}`, {
      headers: { authorization: `Bearer ${session.tokens[role]}` },
    });
    expect(res.status).toBe(200);
    return res.body.events;
  };

  /** A live session with its interviewer and candidate connected and the start seen by both. */
  const liveSession = async () => {
    const session = await newSession();
    const interviewer = await join(session, 'interviewer');
    const candidate = await join(session, 'candidate');
    await Promise.all([interviewer, candidate].map((c) => c.next('session', (s) => s.status === 'live')));
    return { session, interviewer, candidate };
  };

  it('[SV1] presence lists who is here with roles on every join and leave; the first candidate starts the session', async () => {
    const session = await newSession();
    const interviewer = await join(session, 'interviewer');
    await interviewer.next('presence', (p) => p.participants.length === 1);
    const candidate = await join(session, 'candidate');
    const observer = await join(session, 'observer');
    const everyone = (p: { participants: { role: string }[] }) => p.participants.map((e) => e.role).join() === 'candidate,interviewer,observer';
    for (const client of [interviewer, candidate, observer]) {
      const presence = await client.next('presence', everyone);
      expect(presence.sessionId).toBe(session.sessionId);
      const entry = presence.participants.find((e) => e.role === 'candidate');
      expect(entry).toMatchObject({ participantId: participantIdOf(session.tokens.candidate), displayName: 'Candidate', connections: 1 });
      expect(new Date(entry?.connectedSince ?? '').getTime()).toBeGreaterThan(Date.now() - 60_000);
    }

    // the candidate's arrival started the session: state, first stage and timer reach everyone
    const started = await interviewer.next('session', (s) => s.status === 'live');
    expect(started).toMatchObject({ status: 'live', endedAt: null, by: { role: 'candidate', displayName: 'Candidate' }, reason: null });
    expect(started.id).toMatch(/^\d+$/);
    const stage = await interviewer.next('stage');
    expect(stage).toMatchObject({ stage: 'frame', previous: null, changedBy: { role: 'candidate' }, at: started.startedAt });
    const timer = await interviewer.next('timer', (t) => t.status === 'live');
    expect(timer).toMatchObject({ sessionStartedAt: started.startedAt, stage: 'frame', stageStartedAt: started.startedAt, minutesPerStage: FIXTURE_MINUTES });

    // a second connection of the same participant counts once, with two connections
    await join(session, 'observer');
    await interviewer.next('presence', (p) => p.participants.find((e) => e.role === 'observer')?.connections === 2);

    candidate.close();
    const afterLeave = await interviewer.next('presence', (p) => p.participants.length === 2 && !p.participants.some((e) => e.role === 'candidate'));
    expect(afterLeave.participants.map((e) => [e.role, e.connections])).toEqual([
      ['interviewer', 1],
      ['observer', 2],
    ]);

    const res = await request(`${hatch.url}/api/sessions/${session.sessionId}`, { headers: { authorization: `Bearer ${session.tokens.interviewer}` } });
    expect(res.body).toMatchObject({ status: 'live', startedAt: started.startedAt });
    expect(res.body.participants.find((p: { role: string }) => p.role === 'candidate').joinedAt).toEqual(expect.any(String));

    const types = (await timeline(session)).map((e) => e.type);
    expect(types.slice(0, 5)).toEqual(['presence:join', 'presence:join', 'session:start', 'stage', 'presence:join']);
    expect(types).toContain('presence:leave');
  });

  it('[SV2] a client gets the session state and the timer when it connects', async () => {
    const session = await newSession();
    const interviewer = await join(session, 'interviewer');
    expect(await interviewer.next('session')).toEqual({ id: null, status: 'created', startedAt: null, endedAt: null, by: null, reason: null });
    const timer = await interviewer.next('timer');
    expect(timer).toMatchObject({ status: 'created', sessionStartedAt: null, stage: null, stageStartedAt: null, minutesPerStage: FIXTURE_MINUTES });
    expect(Math.abs(new Date(timer.serverNow).getTime() - Date.now())).toBeLessThan(5000);
  });

  it('[SV3] chat reaches everyone in the session and nobody in another, and is stored first', async () => {
    const { session, interviewer, candidate } = await liveSession();
    const observer = await join(session, 'observer');
    const other = await liveSession();

    const ack = await candidate.socket.emitWithAck('chat:send', { text: '  Should invoices be per tenant?  ' });
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.message).toMatchObject({
      text: 'Should invoices be per tenant?',
      role: 'candidate',
      author: { participantId: participantIdOf(session.tokens.candidate), displayName: 'Candidate' },
    });
    for (const client of [interviewer, candidate, observer]) {
      expect(await client.next('chat', (m) => m.id === ack.message.id)).toEqual(ack.message);
    }
    const stored = (await timeline(session)).filter((e) => e.type === 'chat');
    expect(stored).toEqual([
      {
        id: ack.message.id,
        type: 'chat',
        actorParticipantId: participantIdOf(session.tokens.candidate),
        occurredAt: ack.message.at,
        payload: { author: ack.message.author, role: 'candidate', text: ack.message.text },
      },
    ]);
    await sleep(100);
    expect(other.interviewer.all('chat')).toEqual([]);
    expect(other.candidate.all('chat')).toEqual([]);
  });

  it('[SV4] observers and reviewers may not chat: ack or `error` event, nothing stored', async () => {
    const { session, interviewer } = await liveSession();
    const observer = await join(session, 'observer');
    const reviewer = await join(session, 'reviewer');
    const ack = await observer.socket.emitWithAck('chat:send', { text: 'psst' });
    expect(ack).toMatchObject({ ok: false, code: 'FORBIDDEN_ROLE', message: expect.stringContaining('observer') });
    reviewer.sendRaw('chat:send', { text: 'psst' });
    expect(await reviewer.next('error')).toMatchObject({ event: 'chat:send', code: 'FORBIDDEN_ROLE' });
    await sleep(100);
    expect(interviewer.all('chat')).toEqual([]);
    expect((await timeline(session)).filter((e) => e.type === 'chat')).toEqual([]);
  });

  it('[SV5] the interviewer moves the stage forward and back while live; every move is stored and broadcast', async () => {
    const session = await newSession();
    const interviewer = await join(session, 'interviewer');
    expect(await interviewer.socket.emitWithAck('stage:set', { stage: 'list' })).toMatchObject({ ok: false, code: 'SESSION_NOT_STARTED' });

    const start = await interviewer.socket.emitWithAck('session:start', {});
    expect(start).toMatchObject({ ok: true, changed: true, session: { status: 'live', by: { role: 'interviewer' } } });
    expect(await interviewer.socket.emitWithAck('session:start', {})).toMatchObject({ ok: true, changed: false, session: { status: 'live' } });
    const candidate = await join(session, 'candidate');
    const observer = await join(session, 'observer');

    expect(await interviewer.socket.emitWithAck('stage:set', { stage: 'optimize' })).toEqual({ ok: true, stage: 'optimize', changed: true });
    for (const client of [interviewer, candidate, observer]) {
      const change = await client.next('stage', (s) => s.stage === 'optimize');
      expect(change).toMatchObject({ previous: 'frame', changedBy: { role: 'interviewer', participantId: participantIdOf(session.tokens.interviewer) } });
      const timer = await client.next('timer', (t) => t.stage === 'optimize');
      expect(timer.stageStartedAt).toBe(change.at);
    }
    expect(await interviewer.socket.emitWithAck('stage:set', { stage: 'list' })).toMatchObject({ ok: true, changed: true });
    expect(await candidate.next('stage', (s) => s.stage === 'list')).toMatchObject({ previous: 'optimize' });
    expect(await interviewer.socket.emitWithAck('stage:set', { stage: 'list' })).toEqual({ ok: true, stage: 'list', changed: false });

    const stages = (await timeline(session)).filter((e) => e.type === 'stage').map((e) => e.payload);
    expect(stages.map((p) => [p.previous, p.stage])).toEqual([
      [null, 'frame'],
      ['frame', 'optimize'],
      ['optimize', 'list'],
    ]);
  });

  it.each(['candidate', 'observer', 'reviewer'] as const)('[SV6] the %s may not move the stage, start or end the session', async (role) => {
    const { session, interviewer, candidate } = await liveSession();
    const client = role === 'candidate' ? candidate : await join(session, role);
    for (const [event, payload] of [
      ['stage:set', { stage: 'win' }],
      ['session:start', {}],
      ['session:end', {}],
    ] as const) {
      const ack = await client.socket.emitWithAck(event as 'stage:set', payload as { stage: 'win' });
      expect(ack).toMatchObject({ ok: false, code: 'FORBIDDEN_ROLE' });
    }
    client.sendRaw('stage:set', { stage: 'win' });
    expect(await client.next('error')).toMatchObject({ event: 'stage:set', code: 'FORBIDDEN_ROLE' });
    await sleep(100);
    expect(interviewer.all('stage').map((s) => s.stage)).toEqual(['frame']);
    expect((await timeline(session)).filter((e) => e.type === 'stage' || e.type === 'session:end')).toHaveLength(1);
  });

  it('[SV7] bad payloads are refused with INVALID_PAYLOAD naming the field; the connection and the process live on', async () => {
    const { session, candidate, interviewer } = await liveSession();
    const bad: [string, unknown, string][] = [
      ['chat:send', { text: 42 }, 'payload.text'],
      ['chat:send', { text: 'x'.repeat(CHAT_MAX_LENGTH + 1) }, 'payload.text'],
      ['chat:send', { text: 'hi', extra: 1 }, 'payload.extra'],
      ['chat:send', 'just a string', 'payload'],
      ['chat:send', null, 'payload'],
      ['stage:set', { stage: 'deploy' }, 'payload.stage'],
      ['stage:set', {}, 'payload.stage'],
      ['session:end', { reason: 7 }, 'payload.reason'],
    ];
    for (const [event, payload, path] of bad) {
      const sender = event === 'chat:send' ? candidate : interviewer;
      const ack = await sender.socket.emitWithAck(event as 'chat:send', payload as { text: string });
      expect(ack).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
      if (!ack.ok) expect(ack.issues?.map((i) => i.path)).toContain(path);
    }
    // two payloads instead of one, and no ack: an `error` event
    candidate.sendRaw('chat:send', { text: 'a' }, { text: 'b' });
    expect(await candidate.next('error')).toMatchObject({ event: 'chat:send', code: 'INVALID_PAYLOAD' });
    // unknown events are ignored
    candidate.sendRaw('drop:tables', {});

    expect(await candidate.socket.emitWithAck('chat:send', { text: 'still here' })).toMatchObject({ ok: true });
    expect(await interviewer.socket.emitWithAck('stage:set', { stage: 'win' })).toMatchObject({ ok: true, changed: true });
    expect((await timeline(session)).filter((e) => e.type === 'chat').map((e) => e.payload)).toEqual([expect.objectContaining({ text: 'still here' })]);
  });

  it('[SV8] a message over the size limit closes only its own connection', async () => {
    const { candidate, interviewer } = await liveSession();
    const closed = candidate.closed();
    candidate.socket.emit('chat:send', { text: 'x'.repeat(MAX_CLIENT_MESSAGE_BYTES + 10) }, () => undefined);
    expect(await closed).toBe('transport close');
    expect(await interviewer.socket.emitWithAck('chat:send', { text: 'still up' })).toMatchObject({ ok: true });
    expect((await request(`${hatch.url}/api/health`)).status).toBe(200);
  });

  it('[SV9] handshakes with bad tokens are refused with the reason’s code', async () => {
    const session = await newSession();
    const other = await newSession();
    const tokens = hatch.app.get(JoinTokenService);
    const candidateId = participantIdOf(session.tokens.candidate);
    const expired = await tokens.sign({ sessionId: session.sessionId, role: 'candidate', participantId: candidateId }, -60);
    const missing = randomUUID();
    const forMissing = await tokens.sign({ sessionId: missing, role: 'candidate', participantId: randomUUID() });
    const stranger = await tokens.sign({ sessionId: session.sessionId, role: 'interviewer', participantId: randomUUID() });
    const cases: [string, Record<string, string | undefined>, string][] = [
      ['no token', { sessionId: session.sessionId }, 'TOKEN_MISSING'],
      ['a garbage token', { token: 'not-a-jwt', sessionId: session.sessionId }, 'TOKEN_INVALID'],
      ['an expired token', { token: expired, sessionId: session.sessionId }, 'TOKEN_EXPIRED'],
      ['another session’s token', { token: other.tokens.candidate, sessionId: session.sessionId }, 'TOKEN_WRONG_SESSION'],
      ['a session that does not exist', { token: forMissing, sessionId: missing }, 'SESSION_NOT_FOUND'],
      ['a participant the session does not have', { token: stranger, sessionId: session.sessionId }, 'TOKEN_INVALID'],
      ['no session id', { token: session.tokens.candidate }, 'SESSION_ID_INVALID'],
      ['a malformed session id', { token: session.tokens.candidate, sessionId: 'abc' }, 'SESSION_ID_INVALID'],
    ];
    for (const [label, auth, code] of cases) {
      const refusal = await SessionTestClient.refused(hatch.url, auth);
      expect({ label, code: refusal.code }).toEqual({ label, code });
      expect(refusal.message).toEqual(expect.any(String));
      expect(refusal.errorMessage).toBe(refusal.message);
    }
    // the query string works too
    const viaQuery = await SessionTestClient.connect(hatch.url, {}, { token: session.tokens.observer, sessionId: session.sessionId.toUpperCase() });
    clients.push(viaQuery);
    expect((await viaQuery.next('presence')).participants.map((p) => p.role)).toEqual(['observer']);
  });

  it('[SV10] chat is rate limited per connection', async () => {
    const { session, candidate, interviewer } = await liveSession();
    const acks = [];
    for (let i = 0; i <= RATE_LIMITS.chat.capacity; i += 1) acks.push(candidate.socket.emitWithAck('chat:send', { text: `m${i}` }));
    const results = await Promise.all(acks);
    expect(results.slice(0, RATE_LIMITS.chat.capacity).every((r) => r.ok)).toBe(true);
    const last = results[RATE_LIMITS.chat.capacity];
    expect(last).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    if (!last.ok) expect(last.retryAfterMs).toBeGreaterThan(0);
    expect((await timeline(session)).filter((e) => e.type === 'chat')).toHaveLength(RATE_LIMITS.chat.capacity);
    // another connection has its own budget
    expect(await interviewer.socket.emitWithAck('chat:send', { text: 'mine' })).toMatchObject({ ok: true });
  });

  it('[SV11] session:end ends the session for everyone; afterwards chat and stage moves are refused', async () => {
    const { session, interviewer, candidate } = await liveSession();
    expect(await candidate.socket.emitWithAck('session:end', {})).toMatchObject({ ok: false, code: 'FORBIDDEN_ROLE' });
    const ended = await interviewer.socket.emitWithAck('session:end', { reason: 'time is up' });
    expect(ended).toMatchObject({ ok: true, changed: true, session: { status: 'ended', reason: 'time is up', by: { role: 'interviewer' } } });
    const seen = await candidate.next('session', (s) => s.status === 'ended');
    expect(seen.endedAt).toEqual(expect.any(String));
    expect(await candidate.next('timer', (t) => t.status === 'ended')).toMatchObject({ sessionEndedAt: seen.endedAt });
    expect(await candidate.socket.emitWithAck('chat:send', { text: 'wait' })).toMatchObject({ ok: false, code: 'SESSION_ENDED' });
    expect(await interviewer.socket.emitWithAck('stage:set', { stage: 'win' })).toMatchObject({ ok: false, code: 'SESSION_ENDED' });
    expect(await interviewer.socket.emitWithAck('session:start', {})).toMatchObject({ ok: false, code: 'SESSION_ENDED' });
    expect(await interviewer.socket.emitWithAck('session:end', {})).toMatchObject({ ok: true, changed: false });
    const res = await request(`${hatch.url}/api/sessions/${session.sessionId}?token=${session.tokens.reviewer}`);
    expect(res.body).toMatchObject({ status: 'ended', endedAt: seen.endedAt });
    expect((await timeline(session)).filter((e) => e.type === 'session:end').map((e) => e.payload)).toEqual([
      { by: expect.objectContaining({ role: 'interviewer' }), reason: 'time is up' },
    ]);
  });

  it('[SV12] GET /api/sessions/:id/events returns the timeline in order, paged, to any role', async () => {
    const { session, interviewer, candidate } = await liveSession();
    const sent = [];
    for (const text of ['one', 'two', 'three']) sent.push(await candidate.socket.emitWithAck('chat:send', { text }));
    await interviewer.socket.emitWithAck('stage:set', { stage: 'list' });
    const all = await timeline(session, '', 'observer');
    expect(all.map((e) => e.type)).toEqual(['presence:join', 'presence:join', 'session:start', 'stage', 'chat', 'chat', 'chat', 'stage']);
    const ids = all.map((e) => BigInt(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(all.filter((e) => e.type === 'chat').map((e) => e.id)).toEqual(sent.map((a) => (a.ok ? a.message.id : '')));
    const times = all.map((e) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const page = async (query: string) =>
      (await request(`${hatch.url}/api/sessions/${session.sessionId}/events?${query}`, { headers: { authorization: `Bearer ${session.tokens.candidate}` } })).body;
    const first = await page('limit=3');
    expect(first.events.map((e: TimelineEvent) => e.id)).toEqual(all.slice(0, 3).map((e) => e.id));
    expect(first.nextAfter).toBe(all[2].id);
    const rest = await page(`limit=5&after=${first.nextAfter}`);
    expect(rest.events.map((e: TimelineEvent) => e.id)).toEqual(all.slice(3).map((e) => e.id));
    expect(rest.nextAfter).toBeNull();

    const url = `${hatch.url}/api/sessions/${session.sessionId}/events`;
    expect((await request(url)).body.code).toBe('TOKEN_MISSING');
    const other = await newSession();
    expect((await request(`${url}?token=${other.tokens.candidate}`)).status).toBe(403);
    const badLimit = await request(`${url}?limit=0&token=${session.tokens.candidate}`);
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.limit']);
    expect((await request(`${url}?after=abc&token=${session.tokens.candidate}`)).body.errors[0].path).toBe('query.after');
  });

  it('[SV13] the timer is re-sent to live sessions every SESSION_TIMER_INTERVAL, and never stored', async () => {
    const { session, candidate } = await liveSession();
    const before = (await timeline(session)).length;
    const firstTick = candidate.all('timer').length;
    await candidate.next('timer', () => candidate.all('timer').length >= firstTick + 2, 4000);
    const timers = candidate.all('timer');
    const [a, b] = timers.slice(-2);
    expect(Date.parse(b.serverNow)).toBeGreaterThan(Date.parse(a.serverNow));
    expect(b).toMatchObject({ status: 'live', stage: 'frame', stageStartedAt: a.stageStartedAt });
    expect((await timeline(session)).length).toBe(before);
  });

  it('[SV14] the AI interviewer moves the stage through the service, stored without a participant', async () => {
    const { session, candidate } = await liveSession();
    const result = await hatch.app.get(SessionEventsService).changeStage(session.sessionId, 'optimize', AI_INTERVIEWER_ACTOR);
    expect(result).toEqual({ stage: 'optimize', changed: true });
    expect(await candidate.next('stage', (s) => s.stage === 'optimize')).toMatchObject({
      changedBy: { participantId: null, role: 'ai-interviewer', displayName: 'AI interviewer' },
    });
    const stored = (await timeline(session)).filter((e) => e.type === 'stage').pop();
    expect(stored).toMatchObject({ actorParticipantId: null, payload: { stage: 'optimize', previous: 'frame' } });
  });
});
