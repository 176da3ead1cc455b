import { randomUUID } from 'node:crypto';
import { Database } from '../../database/database';
import { createTestLogger } from '../../testing/silent-logger';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import { SessionRepository } from '../sessions/session.repository';
import { type NewSessionEvent, SessionEventRepository } from './session-event.repository';

describe.each(testBackends())('session event repository on $name', (backend) => {
  let testDb: TestDatabase;
  let database: Database;
  let sessions: SessionRepository;
  let events: SessionEventRepository;

  beforeAll(async () => {
    testDb = await backend.create();
    database = await Database.open(testDb.target, createTestLogger());
    sessions = new SessionRepository(database.dataSource);
    events = new SessionEventRepository(database.dataSource);
  });

  afterAll(async () => {
    await database?.close();
    await testDb?.dispose();
  });

  const newSession = async () => {
    const id = randomUUID();
    const participantId = randomUUID();
    await sessions.createWithParticipants(
      { id, scenarioId: 's', scenarioVersion: 1, mode: 'mock' },
      [{ id: participantId, role: 'interviewer', displayName: 'Ivy' }],
    );
    return { id, participantId };
  };

  const event = (type: NewSessionEvent['type'], payload: object, at = new Date(), actor: string | null = null): NewSessionEvent => ({
    type,
    payload,
    occurredAt: at,
    actorParticipantId: actor,
  });

  it('[SE1] writeLocked stores the status change and the events in order, and returns before/after', async () => {
    const { id, participantId } = await newSession();
    const at = new Date('2030-01-02T03:04:05.678Z');
    const result = await events.writeLocked(id, (snapshot) => {
      expect(snapshot).toMatchObject({ session: { id, status: 'created', startedAt: null }, stage: null });
      return {
        status: { status: 'live', startedAt: at },
        events: [event('session:start', { by: 'x' }, at, participantId), event('stage', { stage: 'frame', previous: null }, at, participantId)],
      };
    });
    expect(result?.before).toMatchObject({ session: { status: 'created' }, stage: null });
    expect(result?.after).toMatchObject({ session: { status: 'live', startedAt: at }, stage: { stage: 'frame', since: at } });
    expect(result?.events.map((e) => e.type)).toEqual(['session:start', 'stage']);
    const [first, second] = result?.events ?? [];
    expect(BigInt(second.id)).toBeGreaterThan(BigInt(first.id));
    const stored = await sessions.findById(id);
    expect(stored).toMatchObject({ status: 'live', startedAt: at, endedAt: null });
    const listed = await events.list(id, { limit: 10 });
    expect(listed).toEqual(result?.events.map((e) => ({ ...e, sessionId: id })));
    expect(listed[0]).toMatchObject({ actorParticipantId: participantId, occurredAt: at, payload: { by: 'x' } });
  });

  it('[SE2] writeLocked rolls everything back when decide throws, and returns null for an unknown session', async () => {
    const { id } = await newSession();
    await expect(
      events.writeLocked(id, () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await events.writeLocked(randomUUID(), () => ({ events: [] }))).toBeNull();
    // a failing insert (actor from no session) rolls back the status change too
    await expect(
      events.writeLocked(id, () => ({
        status: { status: 'ended', endedAt: new Date() },
        events: [event('chat', { text: 'x' }, new Date(), randomUUID())],
      })),
    ).rejects.toThrow(/session_events_actor_fkey/);
    expect((await sessions.findById(id))?.status).toBe('created');
    expect(await events.list(id, { limit: 10 })).toEqual([]);
  });

  it('[SE3] concurrent writeLocked calls on one session take turns: each sees the previous write', async () => {
    const { id } = await newSession();
    const seen: (string | null)[] = [];
    await Promise.all(
      (['frame', 'list', 'optimize', 'win'] as const).map((stage) =>
        events.writeLocked(id, (snapshot) => {
          seen.push(snapshot.stage?.stage ?? null);
          return { events: [event('stage', { stage, previous: snapshot.stage?.stage ?? null })] };
        }),
      ),
    );
    const stages = (await events.list(id, { limit: 10 })).map((e) => e.payload);
    // every event's `previous` is the stage stored just before it: no two writers saw the same state
    expect(stages.map((p) => p.previous)).toEqual([null, ...stages.slice(0, -1).map((p) => p.stage)]);
    expect(new Set(seen).size).toBe(4);
  });

  it('[SE4] list pages by id with after/limit and only returns that session’s events', async () => {
    const a = await newSession();
    const b = await newSession();
    const stored = await events.append(a.id, [1, 2, 3, 4, 5].map((n) => event('chat', { n })));
    await events.append(b.id, [event('chat', { n: 99 })]);
    const first = await events.list(a.id, { limit: 2 });
    expect(first.map((e) => e.payload.n)).toEqual([1, 2]);
    const next = await events.list(a.id, { after: first[1].id, limit: 10 });
    expect(next.map((e) => e.payload.n)).toEqual([3, 4, 5]);
    expect(next.map((e) => e.id)).toEqual(stored.slice(2).map((e) => e.id));
    expect(await events.list(a.id, { after: stored[4].id, limit: 10 })).toEqual([]);
  });

  it('[SE5] snapshots returns each known session with its newest stage', async () => {
    const a = await newSession();
    const b = await newSession();
    const t1 = new Date('2030-01-01T00:00:00Z');
    const t2 = new Date('2030-01-01T00:05:00Z');
    await events.append(a.id, [event('stage', { stage: 'frame' }, t1), event('chat', { text: 'hi' }, t2), event('stage', { stage: 'list' }, t2)]);
    const snaps = await events.snapshots([a.id, b.id, randomUUID()]);
    expect(snaps).toHaveLength(2);
    expect(snaps.find((s) => s.session.id === a.id)?.stage).toEqual({ stage: 'list', since: t2 });
    expect(snaps.find((s) => s.session.id === b.id)?.stage).toBeNull();
    expect(await events.snapshots([])).toEqual([]);
  });

  it('[SE6] markSeen sets joined_at once and last_seen_at every time', async () => {
    const { id, participantId } = await newSession();
    const t1 = new Date('2030-01-01T00:00:00Z');
    const t2 = new Date('2030-01-01T01:00:00Z');
    await events.markSeen(id, participantId, t1);
    await events.markSeen(id, participantId, t2);
    const [row]: { joined_at: Date; last_seen_at: Date }[] = await database.dataSource.query(
      'SELECT joined_at, last_seen_at FROM participants WHERE id = $1',
      [participantId],
    );
    expect(new Date(row.joined_at)).toEqual(t1);
    expect(new Date(row.last_seen_at)).toEqual(t2);
  });

  it('[SE7] list keeps only some types, or leaves some out, and still pages by id', async () => {
    const { id, participantId } = await newSession();
    await events.append(id, [
      event('chat', { text: 'a' }, new Date(), participantId),
      event('note', { text: 'private' }, new Date(), participantId),
      event('chat', { text: 'b' }, new Date(), participantId),
      event('note', { text: 'private 2' }, new Date(), participantId),
    ]);
    const all = await events.list(id, { limit: 10 });
    expect((await events.list(id, { limit: 10, exceptTypes: ['note'] })).map((e) => e.payload.text)).toEqual(['a', 'b']);
    expect((await events.list(id, { limit: 10, types: ['note'] })).map((e) => e.payload.text)).toEqual(['private', 'private 2']);
    const page = await events.list(id, { after: all[0].id, limit: 1, exceptTypes: ['note'] });
    expect(page.map((e) => e.payload.text)).toEqual(['b']);
    expect(await events.list(id, { limit: 10, exceptTypes: [] })).toHaveLength(4);
  });

  it('[SE8] inside writeLocked, decide may read: the open follow-ups (newest first) and one event by id and type', async () => {
    const { id, participantId } = await newSession();
    const [first, second] = await events.append(id, [
      event('followup', { question: 'one' }, new Date(), participantId),
      event('followup', { question: 'two' }, new Date(), participantId),
    ]);
    await events.append(id, [event('followup:closed', { followUpId: first.id, how: 'marked' }, new Date(), participantId)]);
    const other = await newSession();
    await events.append(other.id, [event('followup', { question: 'elsewhere' }, new Date(), other.participantId)]);
    let seen: { open: string[]; found: unknown; wrongType: unknown; missing: unknown } | undefined;
    await events.writeLocked(id, async (_snapshot, read) => {
      seen = {
        open: (await read.openFollowUps()).map((e) => e.id),
        found: await read.event(second.id, 'followup'),
        wrongType: await read.event(second.id, 'chat'),
        missing: await read.event('999999999', 'followup'),
      };
      return { events: [] };
    });
    expect(seen?.open).toEqual([second.id]);
    expect(seen?.found).toMatchObject({ id: second.id, type: 'followup', payload: { question: 'two' }, occurredAt: expect.any(Date) });
    expect(seen?.wrongType).toBeNull();
    expect(seen?.missing).toBeNull();
  });
});
