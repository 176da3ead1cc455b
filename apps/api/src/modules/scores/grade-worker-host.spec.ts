import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addEntity, createModelDoc } from '@hatch/model';
import * as Y from 'yjs';
import { FIXTURE_SCENARIO_ID, FIXTURE_SCENARIOS_DIR } from '../../testing/test-app';
import { GradeWorkerHost, type GradeWorkerHostOptions } from './grade-worker-host';
import { GradeJobError, GraderUnavailableError } from './grading.errors';
import { largeModel, RecordingLogger } from './scores.test-util';

const hosts: GradeWorkerHost[] = [];
const startHost = (options: Partial<GradeWorkerHostOptions> = {}) => {
  const logger = new RecordingLogger();
  const host = new GradeWorkerHost({ scenariosDir: FIXTURE_SCENARIOS_DIR, timeoutMs: 20_000, logger, restartDelayMs: { initial: 10, max: 50 }, ...options });
  hosts.push(host);
  return { host, logger };
};
const stateOf = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc);

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

describe('GradeWorkerHost (a real worker thread, compiled from source)', () => {
  it('[GW1] grades a document rebuilt from stored updates: the model, the summary, the full grade, and all three at once', async () => {
    const { host } = startHost();
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    addEntity(doc, { name: 'invoices' });
    addEntity(doc, { name: 'tenants' });
    const model = await host.run({ source: { updates }, want: 'model' });
    expect(model.model?.entities.map((e) => e.name)).toEqual(['invoices', 'tenants']);
    const summary = await host.run({ source: { updates }, want: 'summary', scenarioId: FIXTURE_SCENARIO_ID });
    expect(summary.summary).toMatchObject({ scenarioId: FIXTURE_SCENARIO_ID, scenarioVersion: 3 });
    expect(summary.summary?.stages.list).toBeGreaterThan(0);
    const full = await host.run({ source: { updates }, want: 'grade', scenarioId: FIXTURE_SCENARIO_ID });
    expect(full.grade?.total).toBe(summary.summary?.total);
    expect(full.grade?.stages.list.checks.length).toBeGreaterThan(0);
    expect(full.grade?.mapping.entities.map((m) => m.concept).sort()).toEqual(['invoice', 'tenant']);
    const all = await host.run({ source: { updates }, want: 'full', scenarioId: FIXTURE_SCENARIO_ID });
    expect(all.model).toEqual(model.model);
    expect(all.summary).toEqual(summary.summary);
    expect(all.grade?.total).toBe(full.grade?.total);
  });

  it('[GW2] a mirror sees every update posted before a job, and is gone after drop', async () => {
    const { host } = startHost();
    const doc = new Y.Doc();
    host.seed(1, stateOf(doc));
    doc.on('update', (update: Uint8Array) => host.update(1, update));
    for (let i = 0; i < 20; i++) addEntity(doc, { name: `table_${i}` });
    const output = await host.run({ source: { mirror: 1 }, want: 'model' });
    expect(output.model?.entities).toHaveLength(20);
    host.drop(1);
    await expect(host.run({ source: { mirror: 1 }, want: 'model' })).rejects.toMatchObject({ code: 'MIRROR_MISSING' });
  });

  it('[GW9] bytes that are views of a shared buffer (a pg or ws Buffer) are copied, never moved: the caller’s memory stays intact', async () => {
    const { host } = startHost();
    const doc = new Y.Doc();
    addEntity(doc, { name: 'invoices' });
    const state = stateOf(doc);
    // a view in the middle of a larger buffer, as Node's pooled Buffers are
    const pool = Buffer.alloc(state.byteLength + 64, 7);
    const view = pool.subarray(32, 32 + state.byteLength);
    view.set(state);
    host.seed(1, view);
    const [update] = ((): Uint8Array[] => {
      const seen: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => seen.push(u));
      addEntity(doc, { name: 'tenants' });
      return seen;
    })();
    const updatePool = Buffer.alloc(update.byteLength + 64, 9);
    const updateView = updatePool.subarray(16, 16 + update.byteLength);
    updateView.set(update);
    host.update(1, updateView);
    const stored = Buffer.alloc(state.byteLength + 64, 5);
    const storedView = stored.subarray(8, 8 + state.byteLength);
    storedView.set(state);
    const fromStored = await host.run({ source: { updates: [storedView] }, want: 'model' });
    const fromMirror = await host.run({ source: { mirror: 1 }, want: 'model' });
    expect(fromMirror.model?.entities.map((e) => e.name)).toEqual(['invoices', 'tenants']);
    expect(fromStored.model?.entities.map((e) => e.name)).toEqual(['invoices']);
    for (const [buffer, length] of [
      [pool, state.byteLength + 64],
      [updatePool, update.byteLength + 64],
      [stored, state.byteLength + 64],
    ] as const) {
      expect(buffer.byteLength).toBe(length); // not detached
      expect(buffer[0]).not.toBe(0);
    }
    expect(Buffer.from(view)).toEqual(Buffer.from(state));
  });

  it('[GW10] the worker thread runs niced (Linux): grading yields the CPU to relaying and acknowledging', async () => {
    // field 19 of /proc/…/stat, counted after the command name (which may hold spaces)
    const niceOf = (statPath: string) => {
      const stat = readFileSync(statPath, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const niceOfThreads = () => readdirSync('/proc/self/task').map((tid) => niceOf(`/proc/self/task/${tid}/stat`));
    const before = niceOfThreads().filter((n) => n === 7).length;
    const { host } = startHost({ nice: 7 });
    await host.run({ source: { updates: [] }, want: 'model' });
    expect(niceOfThreads().filter((n) => n === 7).length).toBe(before + 1);
    expect(niceOf('/proc/self/stat')).toBe(0); // the api's own thread is untouched
  });

  it('[GW3] keyed jobs: a newer one replaces a waiting one (latest wins), prepared only when the worker is free', async () => {
    const { host } = startHost();
    const big = createModelDoc(largeModel(200));
    const busy = host.run({ source: { updates: [stateOf(big)] }, want: 'grade', scenarioId: FIXTURE_SCENARIO_ID });
    const prepared: number[] = [];
    const results = Array.from({ length: 10 }, (_, i) =>
      host.runLatest('session-a', () => {
        prepared.push(i);
        return { job: { source: { updates: [] }, want: 'model' as const }, meta: { i } };
      }),
    );
    const settled = await Promise.all(results);
    await busy;
    expect(prepared).toEqual([9]);
    expect(settled.slice(0, 9)).toEqual(Array(9).fill(undefined));
    expect(settled[9]?.meta).toEqual({ i: 9 });
    // prepare may decline: nothing runs
    await expect(host.runLatest('session-b', () => undefined)).resolves.toBeUndefined();
  });

  it('[GW4] bad input is answered, never fatal: damaged updates are skipped and counted, an unknown scenario is named', async () => {
    const { host } = startHost();
    const doc = createModelDoc();
    addEntity(doc, { name: 'invoices' });
    const output = await host.run({ source: { updates: [new Uint8Array([1, 2, 3, 255, 255]), stateOf(doc), new Uint8Array(64).fill(7)] }, want: 'model' });
    expect(output.skippedUpdates).toBe(2);
    expect(output.model?.entities.map((e) => e.name)).toEqual(['invoices']);
    const error = await host.run({ source: { updates: [] }, want: 'grade', scenarioId: 'no-such-scenario' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GradeJobError);
    expect(error).toMatchObject({ code: 'SCENARIO_NOT_FOUND', message: expect.stringContaining('no-such-scenario') });
  });

  it('[GW5] a grade over the time limit stops the worker; it restarts (mirrors re-seeded by the listener) and grades again', async () => {
    const { host, logger } = startHost({ timeoutMs: 300 });
    await host.run({ source: { updates: [] }, want: 'model' }); // started and warm
    const restarted: number[] = [];
    host.onRestart(() => {
      restarted.push(host.stats.restarts);
      host.seed(7, stateOf(createModelDoc({ entities: [{ id: 'ent_a', name: 'accounts' }] })));
    });
    const huge = stateOf(createModelDoc(largeModel(800)));
    const error = await host.run({ source: { updates: [huge] }, want: 'grade', scenarioId: FIXTURE_SCENARIO_ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraderUnavailableError);
    expect((error as Error).message).toMatch(/took longer than 300 ms/);
    const after = await host.run({ source: { mirror: 7 }, want: 'model' });
    expect(after.model?.entities.map((e) => e.name)).toEqual(['accounts']);
    expect(restarted).toEqual([1]);
    expect(host.stats).toMatchObject({ timeouts: 1, restarts: 1 });
    expect(logger.errors().join('\n')).toMatch(/stopped \(a grade took longer than 300 ms\); restarting/);
  }, 60_000);

  it('[GW6] a worker that runs out of memory dies alone: the job fails, the worker restarts, the process lives on', async () => {
    const { host, logger } = startHost({ maxOldGenerationSizeMb: 48 });
    await host.run({ source: { updates: [] }, want: 'model' });
    const huge = stateOf(createModelDoc(largeModel(1000)));
    const error = await host.run({ source: { updates: [huge] }, want: 'grade', scenarioId: FIXTURE_SCENARIO_ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraderUnavailableError);
    expect((error as Error).message).toMatch(/stopped while grading/);
    const small = await host.run({ source: { updates: [] }, want: 'summary', scenarioId: FIXTURE_SCENARIO_ID });
    expect(small.summary?.total).toBe(0);
    expect(host.stats.restarts).toBe(1);
    expect(logger.errors().join('\n')).toMatch(/grading worker stopped \(.*memory limit/);
  }, 60_000);

  it('[GW7] a worker that cannot start (no scenario folder) refuses jobs with the reason, instead of hanging', async () => {
    const { host, logger } = startHost({ scenariosDir: join(FIXTURE_SCENARIOS_DIR, 'missing') });
    await expect(host.run({ source: { updates: [] }, want: 'model' })).rejects.toThrow(/could not start: .*cannot read the scenario folder/);
    await expect(host.run({ source: { updates: [] }, want: 'model' })).rejects.toBeInstanceOf(GraderUnavailableError);
    expect(logger.errors()[0]).toMatch(/could not start/);
  });

  it('[GW8] close fails waiting jobs with GRADER_UNAVAILABLE and refuses new ones', async () => {
    const { host } = startHost();
    const waiting = host.run({ source: { updates: [stateOf(createModelDoc(largeModel(100)))] }, want: 'model' }).catch((e: unknown) => e);
    await host.close();
    expect(await waiting).toMatchObject({ code: 'GRADER_UNAVAILABLE' });
    await expect(host.run({ source: { updates: [] }, want: 'model' })).rejects.toThrow(/shutting down/);
  });
});
