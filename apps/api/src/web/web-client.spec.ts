import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HatchApp } from '../app.factory';
import { request, startTestApp } from '../testing/test-app';
import { makeTempDir } from '../testing/test-databases';

const INDEX = '<!doctype html><title>Hatch test client</title><div id="root"></div>';

describe('the web client at /', () => {
  let dataDir: string;
  let webDir: string;
  let hatch: HatchApp;

  beforeAll(async () => {
    dataDir = await makeTempDir();
    webDir = await makeTempDir('hatch-web-');
    await mkdir(join(webDir, 'assets'));
    await writeFile(join(webDir, 'index.html'), INDEX);
    await writeFile(join(webDir, 'assets', 'index-abc123.js'), 'console.log("hatch")');
    await writeFile(join(webDir, 'robots.txt'), 'User-agent: *');
    hatch = await startTestApp({ HATCH_DATA_DIR: dataDir, WEB_DIST_DIR: webDir });
  });

  afterAll(async () => {
    await hatch?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(webDir, { recursive: true, force: true });
  });

  it('[W1] serves index.html at / and for client routes such as /sessions/:id, never cached stale', async () => {
    for (const path of ['/', '/sessions/0b6f1c9e-8a4e-4f7a-9d8e-1a2b3c4d5e6f', '/scenarios/tiny-saas']) {
      const res = await request(`${hatch.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.body).toBe(INDEX);
    }
  });

  it('[W2] serves the hashed assets with a long cache, other files as they are, and 404s a missing file', async () => {
    const js = await request(`${hatch.url}/assets/index-abc123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await request(`${hatch.url}/robots.txt`)).body).toBe('User-agent: *');
    const missing = await request(`${hatch.url}/assets/index-gone.js`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });

  it('[W3] leaves /api, /docs and /docs-json to the api: its answers and its 404s', async () => {
    expect((await request(`${hatch.url}/api/health`)).body).toMatchObject({ status: 'ok' });
    const unknown = await request(`${hatch.url}/api/no-such-route`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    const docs = await request(`${hatch.url}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.body).toContain('swagger');
    expect((await request(`${hatch.url}/docs-json`)).body).toMatchObject({ info: { title: 'Hatch API' } });
    expect((await request(`${hatch.url}/collab/whatever`)).status).toBe(404);
    const post = await request(`${hatch.url}/sessions/x`, { method: 'POST', json: {} });
    expect(post.status).toBe(404);
  });

  it('[W4] without a build, / says how to make one (and the api keeps working); a later build is picked up', async () => {
    await rm(join(webDir, 'index.html'));
    const res = await request(`${hatch.url}/`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.body).toContain('web client is not built');
    expect(res.body).toContain('npm run build');
    expect(res.body).toContain(join(webDir, 'index.html'));
    expect((await request(`${hatch.url}/api/health`)).status).toBe(200);
    await writeFile(join(webDir, 'index.html'), INDEX);
    expect((await request(`${hatch.url}/sessions/abc`)).body).toBe(INDEX);
  });
});
