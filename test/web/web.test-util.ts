/**
 * Browser test harness: the real api (in-process, embedded PGlite, the repo's scenarios) serving the built
 * web client, and Debian's Chromium driven by playwright-core. Reused by every `test/web/*.spec.ts`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { HatchApp } from '@hatch/api/src/app.factory';
import type { Env } from '@hatch/api/src/config/app-config';
import { REPO_ROOT } from '@hatch/api/src/config/paths';
import type { CreatedSession } from '@hatch/api/src/modules/sessions/session.dto';
import { request, startTestApp } from '@hatch/api/src/testing/test-app';
import { makeTempDir } from '@hatch/api/src/testing/test-databases';

export type Role = 'candidate' | 'interviewer' | 'observer' | 'reviewer';
export type SessionMode = 'mock' | 'pair' | 'practice';
export type { CreatedSession };

export const WEB_DIR = join(REPO_ROOT, 'apps/web');
export const WEB_DIST_DIR = join(WEB_DIR, 'dist');
export const SCENARIOS_DIR = join(REPO_ROOT, 'scenarios');
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test/web/artifacts');

/** Debian's Chromium (`apt-get install chromium`); never a browser downloaded by a tool. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** As root, on a machine with no outside network: no sandbox, no GPU, nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
/** The size the room is designed for. */
export const VIEWPORT = { width: 1280, height: 800 };

// ---------------------------------------------------------------------------------------------------------
// The built client

const SOURCES = [
  join(WEB_DIR, 'src'),
  join(WEB_DIR, 'index.html'),
  join(WEB_DIR, 'public'),
  join(WEB_DIR, 'vite.config.mts'),
  join(WEB_DIR, 'package.json'),
  join(REPO_ROOT, 'libs/model/src'),
  join(REPO_ROOT, 'libs/protocol/src'),
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function distIsFresh(): boolean {
  const index = join(WEB_DIST_DIR, 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return SOURCES.every((source) => newestMtime(source) <= built);
}

/**
 * Builds `apps/web/dist` with vite unless it is newer than every source it is built from. Several suites
 * (Jest workers, or test runs side by side) may ask at once: a lock directory makes them build one at a
 * time, and the later ones find the build fresh. With `copyTo`, the fresh build is also copied there under
 * the lock, so a suite serves its own snapshot that a later rebuild cannot pull from under its pages.
 */
export async function ensureWebBuild(copyTo?: string): Promise<string> {
  const lock = join(tmpdir(), 'hatch-web-build.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // a lock left by a killed run is taken over after two minutes
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited too long for the web build lock ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (!distIsFresh()) {
      try {
        execFileSync('npx', ['--no', 'vite', 'build', '--logLevel', 'warn'], { cwd: WEB_DIR, stdio: 'pipe', encoding: 'utf8' });
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(`building the web client failed:\n${stdout ?? ''}${stderr ?? ''}`);
      }
    }
    if (copyTo) cpSync(WEB_DIST_DIR, copyTo, { recursive: true });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return copyTo ?? WEB_DIST_DIR;
}

// ---------------------------------------------------------------------------------------------------------
// The stack: api + browser

export interface WebStack {
  /** The running api (replaced by `startApi` after `stopApi`). */
  readonly hatch: HatchApp;
  /** `http://127.0.0.1:PORT` (the same across a restart) */
  readonly url: string;
  readonly browser: Browser;
  /** A new browser context (its own cookies and storage: another person) at 1280×800. */
  newContext(): Promise<BrowserContext>;
  /** Stops the api (its database stays); browsers see the connection drop. */
  stopApi(): Promise<void>;
  /** Starts the api again on the same port and data folder. */
  startApi(): Promise<void>;
  close(): Promise<void>;
}

/** Runs a restart step; one still running after 10 s says so: a test that times out then shows which step hung. */
async function watched<T>(what: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setTimeout(() => console.warn(`${what}: still not done after 10 s`), 10_000);
  try {
    return await step();
  } finally {
    clearTimeout(timer);
    const ms = Date.now() - started;
    if (ms > 10_000) console.warn(`${what} took ${ms} ms`);
  }
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Builds the client if needed, starts the api on a free port with a fresh embedded database and the repo's
 * scenarios (grading debounced briefly, so scores move within a second), and launches Chromium.
 */
export async function startWebStack(env: Env = {}): Promise<WebStack> {
  const dataDir = await makeTempDir('hatch-web-e2e-');
  const webDistDir = await ensureWebBuild(join(dataDir, 'web'));
  const appEnv: Record<string, string | undefined> = {
    HATCH_DATA_DIR: dataDir,
    SCENARIOS_DIR,
    WEB_DIST_DIR: webDistDir,
    GRADE_DEBOUNCE_MS: '100',
    GRADE_MAX_WAIT_MS: '500',
    ...env,
  };
  let hatch: HatchApp | null = await startTestApp(appEnv);
  const url = hatch.url;
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await hatch.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    get hatch() {
      if (!hatch) throw new Error('the api is stopped');
      return hatch;
    },
    url,
    browser,
    async newContext() {
      const context = await browser.newContext({ viewport: VIEWPORT, baseURL: url });
      contexts.push(context);
      return context;
    },
    async stopApi() {
      await watched('stopping the api', async () => hatch?.close());
      hatch = null;
    },
    async startApi() {
      if (hatch) return;
      hatch = await watched('starting the api again', () => startTestApp({ ...appEnv, PORT: new URL(url).port }));
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await hatch?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Sessions and rooms

/** `POST /api/sessions`: a session with a join token and a web link per role. */
export async function createSession(stack: WebStack, scenarioId: string, mode: SessionMode): Promise<CreatedSession> {
  const res = await request(`${stack.url}/api/sessions`, { method: 'POST', json: { scenarioId, mode } });
  if (res.status !== 201) throw new Error(`POST /api/sessions answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as CreatedSession;
}

/** The absolute join link of one role (`/sessions/<id>#token=…`). */
export function joinLink(stack: WebStack, session: CreatedSession, role: Role): string {
  return `${stack.url}${session.links[role]}`;
}

/**
 * Opens the room as `role` in a fresh context and waits until its document is synced with the server.
 * Page errors and console errors are kept in `errors` (assert it is empty at the end of a test).
 */
export async function openRoom(stack: WebStack, session: CreatedSession, role: Role): Promise<RoomPage> {
  const context = await stack.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(joinLink(stack, session, role));
  await waitForSynced(page);
  return { context, page, errors, role };
}

export interface RoomPage {
  context: BrowserContext;
  page: Page;
  role: Role;
  /** Uncaught page errors and console errors seen so far. */
  errors: string[];
}

export async function waitForSynced(page: Page, timeout = 20_000): Promise<void> {
  await page.locator('[data-testid="room"][data-synced="true"]').waitFor({ timeout });
}

/** Collects uncaught exceptions and `console.error` output of a page. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  return errors;
}

/** Writes a PNG under `test/web/artifacts/` and prints its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path });
  process.stdout.write(`screenshot: ${path}\n`);
  return path;
}

/** The session's model as the server holds it (`GET /api/sessions/:id/model`). */
export async function serverModel(stack: WebStack, session: CreatedSession): Promise<{ seq: number; model: ServerModel }> {
  const res = await request(`${stack.url}/api/sessions/${session.sessionId}/model`, {
    headers: { authorization: `Bearer ${session.tokens.interviewer}` },
  });
  if (res.status !== 200) throw new Error(`GET …/model answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { seq: number; model: ServerModel };
}

export interface ServerModel {
  entities: { id: string; name: string; fields: { id: string; name: string; type: string; primaryKey: boolean; nullable: boolean }[] }[];
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------------------
// Driving the room's editors (the Diagram tab)

/** Adds an entity through the inspector's "Add an entity" form; the new entity's editor opens. */
export async function addEntityInUi(page: Page, name: string): Promise<void> {
  await page.getByTestId('tab-diagram').click();
  const back = page.getByTestId('back-to-overview');
  if (await back.isVisible()) await back.click();
  await page.getByTestId('new-entity-name').fill(name);
  await page.getByTestId('new-entity-name').press('Enter');
  await page.locator(`[data-testid="entity-editor"][data-entity-name="${name}"]`).waitFor();
}

/** Adds a field to the entity whose editor is open (type defaults to `text`). */
export async function addFieldInUi(page: Page, name: string, type: string, options: { primaryKey?: boolean; nullable?: boolean } = {}): Promise<void> {
  const editor = page.getByTestId('entity-editor');
  await editor.getByTestId('new-field-name').fill(name);
  await editor.getByTestId('new-field-type').fill(type);
  if (options.primaryKey) await editor.getByTestId('new-field-pk').check();
  if (options.nullable) await editor.getByTestId('new-field-nullable').check();
  await editor.getByTestId('new-field-name').press('Enter');
  await editor.locator(`[data-testid="field-editor"][data-field-name="${name}"]`).waitFor();
}

/** The entity card of the diagram named `name`. */
export function entityNode(page: Page, name: string) {
  return page.locator(`[data-testid="entity-node"][data-entity-name="${name}"]`);
}

/** Waits until the header says every local edit is acknowledged by the server. */
export async function waitForSaved(page: Page, timeout = 15_000): Promise<void> {
  await page.locator('[data-testid="connection-status"][data-state="saved"]').waitFor({ timeout });
}
