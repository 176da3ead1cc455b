import { join } from 'node:path';
import { addAccessPattern, addActor, addEntity, addField, addRule, setFrameDomain, setTenancy } from '@hatch/model';
import type * as Y from 'yjs';
import type { HatchApp } from '../../app.factory';
import { CollabTestClient } from '../../testing/collab-clients';
import { request, startTestApp, type TestResponse } from '../../testing/test-app';
import type { TestBackend, TestDatabase } from '../../testing/test-databases';
import type { CreatedSession } from '../sessions/session.dto';
import { SessionTestClient } from '../session-events/session-events.test-util';

export type Role = 'candidate' | 'interviewer' | 'observer' | 'reviewer';

/** `interview-saas`: the tiny SaaS scenario with a follow-up bank aimed at its List and Optimize weak moves. */
export const INTERVIEWER_SCENARIOS_DIR = join(__dirname, '..', '..', 'testing', 'fixtures', 'interviewer-scenarios');
export const INTERVIEW_SCENARIO_ID = 'interview-saas';

/**
 * An app that interviews fast: ticks of 100 ms, a quiet period of 300 ms, a stall after 800 ms without
 * progress, and stages paced at 2% of the scenario's minutes (Frame 6 s, List 12 s, Optimize 6 s).
 */
export const FAST_INTERVIEWER_ENV = {
  SCENARIOS_DIR: INTERVIEWER_SCENARIOS_DIR,
  GRADE_DEBOUNCE_MS: '50',
  GRADE_MIN_INTERVAL_MS: '0',
  GRADE_MAX_WAIT_MS: '300',
  INTERVIEWER_TICK_MS: '100',
  INTERVIEWER_QUIET_MS: '300',
  INTERVIEWER_STALL_MS: '800',
  INTERVIEWER_OPEN_HINT_MS: '600000',
  INTERVIEWER_PACE: '0.02',
};

/** Frames the scenario completely: Frame scores 100. */
export function frameEverything(doc: Y.Doc): void {
  setFrameDomain(doc, { domain: 'Tenants (companies) are billed with invoices.' });
  addActor(doc, { name: 'Tenant admin' });
  addRule(doc, { kind: 'invariant', text: 'An invoice belongs to exactly one tenant.' });
  addAccessPattern(doc, { description: "List a tenant's invoices by status", frequency: 'high' });
  setTenancy(doc, { strategy: 'shared-schema', notes: 'Many small tenants share tables keyed by tenant_id.' });
}

export interface WeakModel {
  tenants: string;
  invoices: string;
  tenantId: string;
  status: string;
  total: string;
}

/**
 * Tenants and their invoices with three weak moves: money-and-time (a float total, no currency),
 * history (no created_at) and access-pattern-indexes (no index for "invoices by status").
 */
export function buildWeakModel(doc: Y.Doc): WeakModel {
  const tenants = addEntity(doc, { name: 'tenants' });
  const tenantKey = addField(doc, { entityId: tenants, name: 'id', type: 'uuid', primaryKey: true });
  addField(doc, { entityId: tenants, name: 'name', type: 'text' });
  const invoices = addEntity(doc, { name: 'invoices' });
  addField(doc, { entityId: invoices, name: 'id', type: 'uuid', primaryKey: true });
  const tenantId = addField(doc, { entityId: invoices, name: 'tenant_id', type: 'uuid', references: { entityId: tenants, fieldId: tenantKey, onDelete: 'restrict' } });
  const status = addField(doc, { entityId: invoices, name: 'status', type: 'text' });
  const total = addField(doc, { entityId: invoices, name: 'total', type: 'float' });
  return { tenants, invoices, tenantId, status, total };
}

/** Resolves after `ms` in which the client received no `event` matching `match`; rejects at the first one. */
export async function noneFor<E extends 'followup' | 'note' | 'suggestions'>(
  client: SessionTestClient,
  event: E,
  ms: number,
  match: (payload: unknown) => boolean = () => true,
): Promise<void> {
  const before = client.received.filter((r) => r.event === event && match(r.payload)).length;
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = client.received.filter((r) => r.event === event && match(r.payload));
  if (after.length > before) throw new Error(`unexpected "${event}": ${JSON.stringify(after.slice(before).map((r) => r.payload))}`);
}

/**
 * One app per suite (on `backend`, with the fast interviewer settings and `env`), and the clients a test
 * opens, closed after each test: socket.io connections (`join`), Yjs editors (`edit`), REST (`api`).
 * Call inside `describe`: it registers the suite's hooks.
 */
export function useInterviewerApp(backend: TestBackend, env: Record<string, string> | (() => Record<string, string>) = {}) {
  let testDb: TestDatabase;
  let hatch: HatchApp;
  const sockets: SessionTestClient[] = [];
  const editors: CollabTestClient[] = [];

  beforeAll(async () => {
    testDb = await backend.create();
    hatch = await startTestApp({ ...testDb.env, ...FAST_INTERVIEWER_ENV, ...(typeof env === 'function' ? env() : env) });
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
    for (const editor of editors.splice(0)) editor.destroy();
  });

  afterAll(async () => {
    await hatch?.close();
    await testDb?.dispose();
  });

  return {
    get hatch(): HatchApp {
      return hatch;
    },
    /** A socket.io connection of `role` to the session. */
    async join(session: CreatedSession, role: Role): Promise<SessionTestClient> {
      const socket = await SessionTestClient.connect(hatch.url, { token: session.tokens[role], sessionId: session.sessionId });
      sockets.push(socket);
      return socket;
    },
    /** A y-websocket editor of the session's document, as the candidate, synced. */
    async edit(session: CreatedSession): Promise<CollabTestClient> {
      const editor = new CollabTestClient(hatch.url, session.sessionId, session.tokens.candidate);
      editors.push(editor);
      await editor.synced();
      return editor;
    },
    /** `/api/sessions/:id/<path>` with the role's token (none for null). */
    api(session: CreatedSession, path: string, role: Role | null, init: { method?: string; json?: unknown } = {}): Promise<TestResponse> {
      return request(`${hatch.url}/api/sessions/${session.sessionId}/${path}`, { ...init, headers: role ? { authorization: `Bearer ${session.tokens[role]}` } : {} });
    },
  };
}
