import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ConsoleLogger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp, type HatchApp } from './app.factory';
import { ConfigError } from './config/app-config';
import type { CreatedSession } from './modules/sessions/session.dto';
import { REPO_ROOT } from './config/paths';
import { FIXTURE_SCENARIO_ID, FIXTURE_SCENARIOS_DIR, request, startTestApp } from './testing/test-app';
import { makeTempDir, type TestDatabase, testBackends } from './testing/test-databases';

const rootVersion = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version as string;

/** Keeps what the app logs, to assert on it. */
class RecordingLogger extends ConsoleLogger {
  readonly lines: string[] = [];
  constructor() {
    super({ logLevels: ['error', 'fatal'] });
  }
  override log(message: unknown, context?: string): void {
    this.lines.push(`${context ?? ''}: ${String(message)}`);
  }
}

describe.each(testBackends())('the app on $name', (backend) => {
  let testDb: TestDatabase;
  let hatch: HatchApp;

  beforeAll(async () => {
    testDb = await backend.create();
    hatch = await startTestApp(testDb.env);
  });

  afterAll(async () => {
    await hatch?.close();
    await testDb?.dispose();
  });

  it('[A1] GET /api/health reports the database, the version and the uptime', async () => {
    const res = await request(`${hatch.url}/api/health`);
    expect(res.status).toBe(200);
    const database =
      testDb.target.kind === 'embedded'
        ? { kind: 'embedded', path: testDb.target.path }
        : { kind: 'postgres', host: testDb.target.host, database: testDb.target.database };
    expect(res.body).toEqual({ status: 'ok', database, version: rootVersion, uptimeSeconds: expect.any(Number) });
  });

  it('[A2] serves Swagger UI at /docs and the OpenAPI document at /docs-json', async () => {
    const ui = await request(`${hatch.url}/docs`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toContain('text/html');
    const doc = await request(`${hatch.url}/docs-json`);
    expect(doc.status).toBe(200);
    expect(doc.body.info).toMatchObject({ title: 'Hatch API', version: rootVersion });
    expect(Object.keys(doc.body.paths).sort()).toEqual(
      ['/api/health', '/api/scenarios', '/api/scenarios/{id}', '/api/sessions', '/api/sessions/{id}', '/api/sessions/{id}/events', '/api/sessions/{id}/grade', '/api/sessions/{id}/model', '/api/sessions/{id}/scores', '/api/sessions/{id}/interviewer', '/api/sessions/{id}/suggestions', '/api/sessions/{id}/followups', '/api/sessions/{id}/followups/{followUpId}/answered', '/api/sessions/{id}/notes'].sort(),
    );
    const timeline = doc.body.paths['/api/sessions/{id}/events'].get;
    expect(timeline.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['after', 'id', 'limit', 'token']);
    const body = doc.body.paths['/api/sessions'].post.requestBody.content['application/json'].schema;
    const schema = body.$ref ? doc.body.components.schemas[body.$ref.split('/').pop()] : body;
    expect(schema.required.sort()).toEqual(['mode', 'scenarioId']);
  });

  it('[A3] lists scenarios and shows one without its answer key', async () => {
    const list = await request(`${hatch.url}/api/scenarios`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      { id: FIXTURE_SCENARIO_ID, version: 3, title: 'Tiny SaaS', formats: ['multi-tenant-saas'], difficulty: 'junior', totalMinutes: 25 },
    ]);
    const one = await request(`${hatch.url}/api/scenarios/${FIXTURE_SCENARIO_ID}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: FIXTURE_SCENARIO_ID, prompt: 'Model tenants and their invoices.' });
    expect(one.body.productQuestions).toEqual([
      { id: 'revenue-per-tenant', category: 'monetization', question: 'How much did each tenant pay?' },
    ]);
    const text = JSON.stringify(one.body);
    for (const secret of ['referenceModel', 'referenceSql', 'referenceAnswer', 'concepts', 'followUps', 'rubric', 'total_minor']) {
      expect(text).not.toContain(secret);
    }
  });

  it('[A4] 404 problems for an unknown scenario and unknown routes', async () => {
    const scenario = await request(`${hatch.url}/api/scenarios/nope`);
    expect(scenario.status).toBe(404);
    expect(scenario.body).toMatchObject({ code: 'SCENARIO_NOT_FOUND', instance: '/api/scenarios/nope' });
    for (const path of ['/api/nope', '/nope', '/api/sessions/x/y']) {
      const res = await request(`${hatch.url}${path}`, { method: 'DELETE' });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND', instance: path, detail: `There is no DELETE ${path}.` });
    }
  });
});

describe('the app, across its lifetime (embedded)', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await makeTempDir();
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('[A13] closing does not wait for idle connections: a socket that never sent a request is closed, and close returns', async () => {
    const app = await startTestApp({ HATCH_DATA_DIR: await tempDir() });
    const { port } = new URL(app.url);
    // what a browser's preconnect looks like: a TCP connection with no request on it (yet)
    const idle = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve, reject) => idle.once('connect', () => resolve()).once('error', reject));
    const idleClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
    idle.on('error', () => undefined);
    // without closing it, Node's server.close() waits for its 60 s headers timeout (past this test's timeout)
    await app.close();
    await idleClosed;
    expect(idle.destroyed).toBe(true);
  });

  it('[A5] keeps sessions and their tokens across a restart on the same data dir', async () => {
    const dataDir = await tempDir();
    const logger = new RecordingLogger();
    const first = await startTestApp({ HATCH_DATA_DIR: dataDir }, { logger });
    let created: CreatedSession;
    try {
      expect(logger.lines).toContain(
        `Hatch: Hatch ${rootVersion} listening on ${first.url} — database: embedded PGlite at ${join(dataDir, 'pgdata')} — interviewer: offline — docs: /docs`,
      );
      expect(logger.lines.some((l) => l.includes('generated a token signing key'))).toBe(true);
      created = (await request(`${first.url}/api/sessions`, { method: 'POST', json: { scenarioId: FIXTURE_SCENARIO_ID, mode: 'mock' } })).body;
    } finally {
      await first.close();
    }
    expect((await stat(join(dataDir, 'secret'))).mode & 0o777).toBe(0o600);
    await expect(stat(join(dataDir, 'pgdata.lock'))).rejects.toThrow(/ENOENT/); // released on close
    await expect(fetch(`${first.url}/api/health`)).rejects.toThrow(); // no longer listening

    const second = await startTestApp({ HATCH_DATA_DIR: dataDir });
    try {
      const res = await request(`${second.url}/api/sessions/${created.sessionId}`, {
        headers: { authorization: `Bearer ${created.tokens.interviewer}` },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: created.sessionId, you: { role: 'interviewer' } });
    } finally {
      await second.close();
    }
  });

  it('[A6] refuses a second app on a data dir in use, by this or another process', async () => {
    const dataDir = await tempDir();
    const first = await startTestApp({ HATCH_DATA_DIR: dataDir });
    try {
      const second = startTestApp({ HATCH_DATA_DIR: dataDir });
      await expect(second).rejects.toMatchObject({ code: 'DATA_DIR_LOCKED' });
      await expect(second).rejects.toThrow(/in use by process \d+ \(this process\)/);
      // the refused start left the running one intact
      expect((await request(`${first.url}/api/health`)).status).toBe(200);
    } finally {
      await first.close();
    }

    // Another process holding the lock (as a running Hatch would) is refused by pid.
    const holder: ChildProcess = spawn(
      process.execPath,
      ['-e', `require('fs').writeFileSync(${JSON.stringify(join(dataDir, 'pgdata.lock'))}, JSON.stringify({ pid: process.pid, hostname: require('os').hostname(), token: 't' })); console.log('ready'); setInterval(() => {}, 1000)`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise((resolve) => holder.stdout?.once('data', resolve));
      await expect(startTestApp({ HATCH_DATA_DIR: dataDir })).rejects.toThrow(new RegExp(`in use by process ${holder.pid}\\b`));
    } finally {
      await new Promise((resolve) => {
        holder.once('exit', resolve);
        holder.kill();
      });
    }
    // Once that process is gone its lock is stale and is taken over.
    const third = await startTestApp({ HATCH_DATA_DIR: dataDir });
    await third.close();
  });

  it('[A7] an invalid scenario file stops the boot with the loader’s message, before the database starts', async () => {
    const dataDir = await tempDir();
    const scenariosDir = await tempDir();
    await writeFile(join(scenariosDir, 'broken.yaml'), 'formatVersion: 1\nid: broken\ntitle: [unclosed\n');
    const boot = startTestApp({ HATCH_DATA_DIR: dataDir, SCENARIOS_DIR: scenariosDir });
    await expect(boot).rejects.toMatchObject({ code: 'SCENARIO_INVALID' });
    await expect(boot).rejects.toThrow(/broken\.yaml/);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('[A8] a bad environment stops the boot naming the variable, and touches nothing', async () => {
    const dataDir = await tempDir();
    const boot = createApp({ env: { HATCH_DATA_DIR: dataDir, PORT: 'eighty', SCENARIOS_DIR: FIXTURE_SCENARIOS_DIR } });
    await expect(boot).rejects.toBeInstanceOf(ConfigError);
    await expect(boot).rejects.toThrow(/PORT must be a whole number/);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('[A9] a port already taken fails the boot and releases the database', async () => {
    const dataDir = await tempDir();
    const first = await startTestApp({ HATCH_DATA_DIR: await tempDir() });
    try {
      const port = new URL(first.url).port;
      await expect(startTestApp({ HATCH_DATA_DIR: dataDir, PORT: port })).rejects.toThrow(/EADDRINUSE/);
      await expect(stat(join(dataDir, 'pgdata.lock'))).rejects.toThrow(/ENOENT/);
    } finally {
      await first.close();
    }
  });

  it('[A10] health answers 503 problem details when the database is gone', async () => {
    const hatch = await startTestApp({ HATCH_DATA_DIR: await tempDir() });
    try {
      await hatch.app.get(DataSource).destroy();
      const res = await request(`${hatch.url}/api/health`);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503 });
    } finally {
      await hatch.close();
    }
  });

  it('[A11] without SCENARIOS_DIR, serves the repository’s scenarios/ folder', async () => {
    const dataDir = await tempDir();
    const hatch = await createApp({ env: { HATCH_DATA_DIR: dataDir, PORT: '0' }, logger: new RecordingLogger() });
    try {
      const files = (await readdir(join(REPO_ROOT, 'scenarios'))).filter((f) => /\.ya?ml$/.test(f));
      const res = await request(`${hatch.url}/api/scenarios`);
      expect(res.status).toBe(200);
      expect(res.body.map((s: { id: string }) => `${s.id}.yaml`).sort()).toEqual(files.map((f) => f.replace(/\.yml$/, '.yaml')).sort());
    } finally {
      await hatch.close();
    }
  });
});
