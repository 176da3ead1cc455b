import { randomUUID } from 'node:crypto';
import { Database } from '../../database/database';
import { createTestLogger } from '../../testing/silent-logger';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import { ParticipantRepository } from './participant.repository';
import { SessionRepository } from './session.repository';
import type { NewParticipant, ParticipantRole } from './session.types';

const participantsFor = (...roles: ParticipantRole[]): NewParticipant[] =>
  roles.map((role) => ({ id: randomUUID(), role, displayName: role.toUpperCase() }));

describe.each(testBackends())('session and participant repositories on $name', (backend) => {
  let testDb: TestDatabase;
  let database: Database;
  let sessions: SessionRepository;
  let participants: ParticipantRepository;

  beforeAll(async () => {
    testDb = await backend.create();
    database = await Database.open(testDb.target, createTestLogger());
    sessions = new SessionRepository(database.dataSource);
    participants = new ParticipantRepository(database.dataSource);
  });

  afterAll(async () => {
    await database?.close();
    await testDb?.dispose();
  });

  it('[R1] createWithParticipants stores the session with its defaults and returns it', async () => {
    const id = randomUUID();
    const before = Date.now();
    const stored = await sessions.createWithParticipants(
      { id, scenarioId: 'tiny-saas', scenarioVersion: 3, mode: 'pair' },
      participantsFor('candidate', 'interviewer'),
    );
    expect(stored).toMatchObject({ id, scenarioId: 'tiny-saas', scenarioVersion: 3, mode: 'pair', status: 'created' });
    expect(stored).toMatchObject({ startedAt: null, endedAt: null, createdBy: null });
    expect(stored.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(stored.createdAt.getTime() - before)).toBeLessThan(60_000);
  });

  it('[R2] findById returns a stored session and null for an unknown id', async () => {
    const id = randomUUID();
    await sessions.createWithParticipants({ id, scenarioId: 's', scenarioVersion: 1, mode: 'practice' }, []);
    expect(await sessions.findById(id)).toMatchObject({ id, mode: 'practice', scenarioVersion: 1 });
    expect(await sessions.findById(randomUUID())).toBeNull();
  });

  it('[R3] createWithParticipants is atomic: a bad participant stores nothing', async () => {
    const id = randomUUID();
    const bad = [...participantsFor('candidate'), { id: randomUUID(), role: 'admin' as ParticipantRole, displayName: 'X' }];
    await expect(sessions.createWithParticipants({ id, scenarioId: 's', scenarioVersion: 1, mode: 'mock' }, bad)).rejects.toThrow(
      /participants_role_check/,
    );
    expect(await sessions.findById(id)).toBeNull();
    expect(await participants.listBySession(id)).toEqual([]);
  });

  it('[R4] listBySession returns only that session’s participants, with their stored fields', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const mine = participantsFor('candidate', 'interviewer', 'observer', 'reviewer');
    await sessions.createWithParticipants({ id: a, scenarioId: 's', scenarioVersion: 1, mode: 'mock' }, mine);
    await sessions.createWithParticipants({ id: b, scenarioId: 's', scenarioVersion: 1, mode: 'mock' }, participantsFor('candidate'));
    const listed = await participants.listBySession(a);
    expect(listed.map((p) => p.id).sort()).toEqual(mine.map((p) => p.id).sort());
    const candidate = listed.find((p) => p.role === 'candidate');
    expect(candidate).toMatchObject({ sessionId: a, displayName: 'CANDIDATE', userId: null, joinedAt: null, lastSeenAt: null });
    expect(candidate?.createdAt).toBeInstanceOf(Date);
    expect(await participants.listBySession(randomUUID())).toEqual([]);
  });

  it('[R5] findInSession finds a participant only within its own session', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const [p] = participantsFor('observer');
    await sessions.createWithParticipants({ id: a, scenarioId: 's', scenarioVersion: 1, mode: 'mock' }, [p]);
    await sessions.createWithParticipants({ id: b, scenarioId: 's', scenarioVersion: 1, mode: 'mock' }, []);
    expect(await participants.findInSession(a, p.id)).toMatchObject({ id: p.id, role: 'observer' });
    expect(await participants.findInSession(b, p.id)).toBeNull();
  });
});
