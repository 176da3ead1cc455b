import { randomUUID } from 'node:crypto';
import { createTestLogger } from '../testing/silent-logger';
import { type TestDatabase, testBackends } from '../testing/test-databases';
import { Database } from './database';
import {
  DocumentUpdateEntity,
  ParticipantEntity,
  ScoreSampleEntity,
  SessionEntity,
  SessionEventEntity,
  SnapshotEntity,
  UserEntity,
} from './entities';

// The entities are written by hand next to hand-written SQL: each is round-tripped here so a column
// the migration and the entity disagree on fails a test rather than the next feature.
describe.each(testBackends())('entities match the migrated schema on $name', (backend) => {
  let testDb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDb = await backend.create();
    database = await Database.open(testDb.target, createTestLogger());
  });

  afterAll(async () => {
    await database?.close();
    await testDb?.dispose();
  });

  it('[E1] round-trips a user, a session and a participant', async () => {
    const m = database.dataSource.manager;
    const userId = randomUUID();
    const sessionId = randomUUID();
    const participantId = randomUUID();
    await m.insert(UserEntity, { id: userId, displayName: 'Ada' });
    await m.insert(SessionEntity, { id: sessionId, scenarioId: 's', scenarioVersion: 2, mode: 'mock', createdBy: userId });
    await m.insert(ParticipantEntity, { id: participantId, sessionId, role: 'candidate', displayName: 'Ada', userId });
    expect(await m.findOneByOrFail(UserEntity, { id: userId })).toMatchObject({ displayName: 'Ada', createdAt: expect.any(Date) });
    expect(await m.findOneByOrFail(SessionEntity, { id: sessionId })).toMatchObject({ createdBy: userId, status: 'created' });
    expect(await m.findOneByOrFail(ParticipantEntity, { id: participantId })).toMatchObject({ userId, sessionId });
  });

  it('[E2] round-trips the four history entities, with numbers for sequence numbers and bytes for updates', async () => {
    const m = database.dataSource.manager;
    const sessionId = randomUUID();
    const participantId = randomUUID();
    await m.insert(SessionEntity, { id: sessionId, scenarioId: 's', scenarioVersion: 1, mode: 'pair' });
    await m.insert(ParticipantEntity, { id: participantId, sessionId, role: 'interviewer', displayName: 'I' });
    await m.insert(DocumentUpdateEntity, [
      { sessionId, seq: 1, participantId, update: Buffer.from([1, 2, 3]) },
      { sessionId, seq: 2, participantId: null, update: Buffer.from([4]) },
    ]);
    await m.insert(SnapshotEntity, { sessionId, seq: 2, state: Buffer.from([9, 9]) });
    await m.insert(SessionEventEntity, { sessionId, seq: 2, type: 'chat', actorParticipantId: participantId, payload: { text: 'hi' } });
    await m.insert(ScoreSampleEntity, { sessionId, seq: 2, scores: { frame: 40 }, total: 37.5 });

    const updates = await m.find(DocumentUpdateEntity, { where: { sessionId }, order: { seq: 'ASC' } });
    expect(updates.map((u) => [u.seq, [...u.update], u.participantId])).toEqual([
      [1, [1, 2, 3], participantId],
      [2, [4], null],
    ]);
    expect(updates[0].createdAt).toBeInstanceOf(Date);
    const snapshot = await m.findOneByOrFail(SnapshotEntity, { sessionId });
    expect([snapshot.seq, [...snapshot.state]]).toEqual([2, [9, 9]]);
    const event = await m.findOneByOrFail(SessionEventEntity, { sessionId });
    expect(event).toMatchObject({ seq: 2, type: 'chat', actorParticipantId: participantId, payload: { text: 'hi' } });
    expect(event.id).toMatch(/^\d+$/);
    const sample = await m.findOneByOrFail(ScoreSampleEntity, { sessionId });
    expect(sample).toMatchObject({ seq: 2, scores: { frame: 40 }, total: 37.5, sampledAt: expect.any(Date) });
  });
});
