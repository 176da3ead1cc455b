import { randomUUID } from 'node:crypto';
import { Database } from '../../database/database';
import { createTestLogger } from '../../testing/silent-logger';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import { InterviewerLeaseRepository } from './interviewer-lease.repository';
import { InterviewerUsageRepository, USAGE_LATENCIES_KEPT, type UsageDelta } from './interviewer-usage.repository';

const delta = (over: Partial<UsageDelta> = {}): UsageDelta => ({
  model: 'stub-model',
  calls: 1,
  requests: 1,
  failures: 0,
  fallbacks: 0,
  promptTokens: 100,
  completionTokens: 10,
  estimatedCalls: 0,
  latenciesMs: [120],
  lastError: null,
  ...over,
});

describe.each(testBackends())('interviewer storage on $name', (backend) => {
  let testDb: TestDatabase;
  let database: Database;
  let leases: InterviewerLeaseRepository;
  let usage: InterviewerUsageRepository;

  beforeAll(async () => {
    testDb = await backend.create();
    database = await Database.open(testDb.target, createTestLogger());
    leases = new InterviewerLeaseRepository(database.dataSource);
    usage = new InterviewerUsageRepository(database.dataSource);
  });

  afterAll(async () => {
    await database?.close();
    await testDb?.dispose();
  });

  const newSession = async () => {
    const id = randomUUID();
    await database.dataSource.query(`INSERT INTO sessions (id, scenario_id, scenario_version, mode) VALUES ($1, 'tiny-saas', 3, 'mock')`, [id]);
    return id;
  };

  it('[IR1] a lease is taken when free, renewed by its holder, refused to others until it expires, and released', async () => {
    const session = await newSession();
    expect(await leases.find(session)).toBeNull();
    expect(await leases.acquire(session, 'a', 60_000)).toBe(true);
    const first = await leases.find(session);
    expect(first?.holder).toBe('a');
    const firstExpiry = first?.expiresAt.getTime() ?? 0;
    expect(firstExpiry).toBeGreaterThan(Date.now() + 50_000);
    expect(await leases.acquire(session, 'b', 60_000)).toBe(false);
    expect(await leases.acquire(session, 'a', 120_000)).toBe(true);
    expect((await leases.find(session))?.expiresAt.getTime()).toBeGreaterThan(firstExpiry);
    await leases.release(session, 'b'); // not b's: nothing happens
    expect((await leases.find(session))?.holder).toBe('a');
    await leases.release(session, 'a');
    expect(await leases.find(session)).toBeNull();
    expect(await leases.acquire(session, 'b', 60_000)).toBe(true);
  });

  it('[IR2] an expired lease goes to the next process that asks', async () => {
    const session = await newSession();
    expect(await leases.acquire(session, 'a', 150)).toBe(true);
    expect(await leases.acquire(session, 'b', 60_000)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await leases.acquire(session, 'b', 60_000)).toBe(true);
    expect(await leases.acquire(session, 'a', 60_000)).toBe(false);
  });

  it('[IR3] processes racing for a free lease: exactly one wins', async () => {
    const session = await newSession();
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((holder) => leases.acquire(session, holder, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await leases.find(session))?.holder).toBe(['a', 'b', 'c', 'd', 'e'][results.indexOf(true)]);
  });

  it('[IR4] usage adds up per session and keeps the latest 500 latencies; the last error stays until a newer one', async () => {
    const session = await newSession();
    expect(await usage.find(session)).toBeNull();
    await usage.add(session, delta({ latenciesMs: [100.4, 200.6] }));
    await usage.add(session, delta({ calls: 2, requests: 3, failures: 1, fallbacks: 1, promptTokens: 0, completionTokens: 0, latenciesMs: [300], lastError: '500 InternalServerError' }));
    await usage.add(session, delta({ lastError: null }));
    const stored = await usage.find(session);
    expect(stored).toMatchObject({
      model: 'stub-model',
      calls: 4,
      requests: 5,
      failures: 1,
      fallbacks: 1,
      promptTokens: 200,
      completionTokens: 20,
      estimatedCalls: 0,
      latenciesMs: [100, 201, 300, 120],
      lastError: '500 InternalServerError',
    });
    expect(stored?.updatedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    await usage.add(session, delta({ latenciesMs: Array.from({ length: USAGE_LATENCIES_KEPT }, (_, i) => i + 1) }));
    const capped = await usage.find(session);
    expect(capped?.latenciesMs).toHaveLength(USAGE_LATENCIES_KEPT);
    expect(capped?.latenciesMs.at(-1)).toBe(USAGE_LATENCIES_KEPT);
    expect(capped?.latenciesMs[0]).toBe(1);
    expect(await usage.find(await newSession())).toBeNull();
  });

  it('[IR5] leases and usage leave with their session', async () => {
    const session = await newSession();
    await leases.acquire(session, 'a', 60_000);
    await usage.add(session, delta());
    await database.dataSource.query(`DELETE FROM sessions WHERE id = $1`, [session]);
    expect(await leases.find(session)).toBeNull();
    expect(await usage.find(session)).toBeNull();
  });
});
