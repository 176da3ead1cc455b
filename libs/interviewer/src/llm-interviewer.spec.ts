import { grade } from '@hatch/grader';
import type { InterviewState } from './interviewer.types';
import { clearFrame, dropTenantForeignKeys, MIN, scenario, stateOf } from './interviewer.test-util';
import { mergeJudgment } from './judgment';
import { createLlmInterviewer, type LlmInterviewerOptions } from './llm-interviewer';
import { type FakeLlm, type Reply, startFakeLlm } from './llm-server.test-util';
import { createOfflineInterviewer } from './offline-interviewer';

/**
 * The LLM interviewer against a local OpenAI-compatible HTTP server started by each test, through
 * the real `openai` SDK.
 */

const saas = scenario('saas-billing-metering-audit');
const offline = createOfflineInterviewer();
const QUESTION = 'Your invoice_items rows carry a tenant_id, but what stops one from pointing at an invoice of another tenant?';
const REPLY = `FOLLOWUP tenant-boundaries\n${QUESTION}`;

/** Optimize, half-way, tenant ids without foreign keys: the offline interviewer would ask cross-tenant-invoices. */
function askingState(): InterviewState {
  const model = dropTenantForeignKeys(saas.referenceModel);
  return stateOf(saas, { model, stage: 'optimize', stageStartedAt: 0, now: 6 * MIN, lastProgressAt: 6 * MIN - 20_000 });
}

/** Frame notes with a tenancy but no reason, and one follow-up answered in chat. */
function judgingState(): InterviewState {
  const model = clearFrame(saas.referenceModel);
  model.frame.tenancy = { strategy: 'shared-schema', notes: 'Tenants share tables.' };
  model.frame.domain = 'Companies pay for API usage, billed monthly.';
  return stateOf(saas, {
    model,
    stage: 'frame',
    now: 5 * MIN,
    followUps: [
      {
        id: 'f1',
        bankId: 'who-is-the-customer',
        question: saas.followUps[0].question,
        probe: { stage: 'frame', move: 'framing', checks: [] },
        askedAt: MIN,
        baseline: null,
        closed: { at: 2 * MIN, how: 'chat', answer: 'The company is billed; people join companies through memberships.' },
      },
    ],
  });
}

let server: FakeLlm | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(script: (n: number) => Reply, options: Partial<LlmInterviewerOptions> = {}) {
  server = await startFakeLlm((_request, n) => script(n));
  const llm = createLlmInterviewer({ apiKey: 'test-key', baseURL: server.baseURL, model: 'test-model', fallback: offline, timeoutMs: 2000, maxRetries: 2, ...options });
  return { llm, requests: server.requests };
}

const usage = { prompt_tokens: 1200, completion_tokens: 40 };
const promptOf = (body: { messages: { content: string }[] }) => body.messages.map((m) => m.content).join('\n');

describe('LLM interviewer: next', () => {
  it('[L1] a normal reply becomes the follow-up, grounded in the scenario, the model and the weak moves, without the answer key', async () => {
    const { llm, requests } = await serve(() => ({ kind: 'json', content: REPLY, usage }), { stream: false });
    const state = askingState();
    const proposal = await offline.next(state);
    const move = await llm.next(state);
    expect(proposal).toMatchObject({ kind: 'followup', bankId: 'cross-tenant-invoices' });
    // Same move as the suggestion: a rewording keeps the bank id and the probe.
    expect(move).toEqual({ ...proposal, question: QUESTION });

    expect(requests).toHaveLength(1);
    const body = requests[0].body;
    expect(body).toMatchObject({ model: 'test-model', max_tokens: 600 });
    expect(requests[0].headers.authorization).toBe('Bearer test-key');
    const prompt = promptOf(body);
    expect(prompt).toContain(saas.prompt.trim());
    expect(prompt).toMatch(/- invoice_items: id uuid PK, tenant_id uuid, invoice_id uuid/);
    expect(prompt).toMatch(/- tenant-boundaries \(−\d+(\.\d)?\)/);
    expect(prompt).toContain('- tenant-fk [failed]: Tenant tables reach the tenant by foreign key');
    for (const q of saas.productQuestions) {
      if (q.referenceAnswer) expect(prompt).not.toContain(q.referenceAnswer.trim().slice(0, 60));
      if (q.referenceSql) expect(prompt).not.toContain(q.referenceSql.trim().slice(0, 60));
    }
    expect(llm.usage()).toMatchObject({ calls: 1, requests: 1, failures: 0, fallbacks: 0, promptTokens: 1200, completionTokens: 40, totalTokens: 1240, estimatedCalls: 0 });
    expect(llm.usage().latenciesMs).toHaveLength(1);
  });

  it('[L2] a streamed reply: deltas reach onText in order, without the header line', async () => {
    const deltas = ['FOLL', 'OWUP tenant-bound', 'aries\nYour invoice_items rows', ' carry a tenant_id, but what stops one', ' from pointing at an invoice of another tenant?'];
    const { llm, requests } = await serve(() => ({ kind: 'stream', deltas, usage, gapMs: 5 }));
    const seen: string[] = [];
    const move = await llm.next(askingState(), { onText: (delta) => seen.push(delta) });
    expect(move).toMatchObject({ kind: 'followup', question: QUESTION, bankId: 'cross-tenant-invoices' });
    expect(seen).toEqual(['Your invoice_items rows', ' carry a tenant_id, but what stops one', ' from pointing at an invoice of another tenant?']);
    expect(seen.join('')).toBe(QUESTION);
    expect(requests[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(llm.usage()).toMatchObject({ calls: 1, promptTokens: 1200, completionTokens: 40 });
  });

  it('[L3] a follow-up aimed at another weak move gets no bank id and that move’s probe', async () => {
    const { llm } = await serve(() => ({ kind: 'json', content: 'FOLLOWUP access-pattern-indexes\nWhich index answers the usage dashboard for one tenant and meter?', usage }), { stream: false });
    const move = await llm.next(askingState());
    expect(move).toMatchObject({ kind: 'followup', bankId: null, probe: { stage: 'optimize', move: 'access-pattern-indexes' } });
  });

  const bankQuestion = saas.followUps.find((f) => f.id === 'cross-tenant-invoices')?.question ?? '';
  it.each([
    ['not the format (JSON)', '{"question": "How?"}', false],
    ['an unknown move', 'FOLLOWUP tenant-isolation-stuff\nHow do you keep tenants apart in invoice_items?', false],
    ['a question already asked', `FOLLOWUP tenant-boundaries\n${bankQuestion}`, true],
    ['an empty reply', '', false],
  ])('[L4] a malformed reply (%s) → the offline move, counted', async (_name, content, askedBefore) => {
    const { llm } = await serve(() => ({ kind: 'json', content, usage }), { stream: false });
    const state = askingState();
    const target = askedBefore ? { ...state, conversation: [{ at: 0, speaker: 'interviewer' as const, kind: 'followup' as const, text: bankQuestion }] } : state;
    expect(await llm.next(target)).toEqual(await offline.next(target));
    expect(llm.usage()).toMatchObject({ calls: 1, failures: 1, fallbacks: 1, lastError: expect.stringMatching(/malformed|repeated/) });
  });

  it.each([
    [429, { 'retry-after-ms': '10' }],
    [500, { 'retry-after-ms': '10' }],
  ])('[L5] a %i then 200 is retried by the SDK and answers', async (status, headers) => {
    const { llm, requests } = await serve((n) => (n === 0 ? { kind: 'status', status, headers } : { kind: 'json', content: REPLY, usage }), { stream: false });
    const move = await llm.next(askingState());
    expect(move).toMatchObject({ kind: 'followup', question: QUESTION });
    expect(requests).toHaveLength(2);
    expect(requests[1].headers['x-stainless-retry-count']).toBe('1');
    expect(llm.usage()).toMatchObject({ calls: 1, requests: 2, failures: 0, fallbacks: 0 });
  });

  it('[L6] a server that never answers: the timeout ends in the offline move, not an exception', async () => {
    const { llm, requests } = await serve(() => ({ kind: 'hang' }), { timeoutMs: 150, maxRetries: 0, deadlineMs: 5000 });
    const state = askingState();
    const started = Date.now();
    expect(await llm.next(state)).toEqual(await offline.next(state));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(requests).toHaveLength(1);
    // Plain Node reports APIConnectionTimeoutError; under Jest the abort error comes from another realm and the SDK
    // reports a connection error. Either way the SDK's 150 ms timeout ended it, well before the 5 s deadline.
    expect(llm.usage()).toMatchObject({ calls: 1, failures: 1, fallbacks: 1, lastError: expect.stringMatching(/^connection APIConnection(Timeout)?Error/) });
  });

  it('[L7] the overall deadline bounds the SDK’s retries', async () => {
    const { llm, requests } = await serve(() => ({ kind: 'hang' }), { timeoutMs: 200, maxRetries: 5, deadlineMs: 500 });
    const state = askingState();
    const started = Date.now();
    expect(await llm.next(state)).toEqual(await offline.next(state));
    // Six attempts with backoff would take over 4 s.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(requests.length).toBeLessThanOrEqual(2);
    expect(llm.usage()).toMatchObject({ calls: 1, failures: 1, fallbacks: 1, lastError: 'timeout: no reply within 500 ms' });
  });

  it('[L8] a stream that stops half-way ends in the offline move at the deadline (the SDK timeout does not cover the body)', async () => {
    const { llm } = await serve(() => ({ kind: 'stream', deltas: ['FOLLOWUP tenant-boundaries\nYour invoice', '_items rows…'], hangAfter: 1 }), { timeoutMs: 300, deadlineMs: 600 });
    const state = askingState();
    const started = Date.now();
    const seen: string[] = [];
    expect(await llm.next(state, { onText: (d) => seen.push(d) })).toEqual(await offline.next(state));
    expect(Date.now() - started).toBeLessThan(1500);
    // What was streamed is provisional: the returned move is what counts.
    expect(seen).toEqual(['Your invoice']);
    expect(llm.usage()).toMatchObject({ calls: 1, failures: 1, fallbacks: 1, lastError: expect.stringMatching(/^timeout/) });
  });

  it('[L9] once the token budget is spent, no further HTTP call is made: offline moves', async () => {
    const { llm, requests } = await serve(() => ({ kind: 'json', content: REPLY, usage: { prompt_tokens: 4000, completion_tokens: 200 } }), { stream: false, tokenBudget: 6000 });
    const state = askingState();
    expect(await llm.next(state)).toMatchObject({ question: QUESTION });
    expect(await llm.next(state)).toEqual(await offline.next(state));
    expect(await llm.judge(judgingState())).toMatchObject({ source: 'none', error: expect.stringContaining('token budget spent') });
    expect(requests).toHaveLength(1);
    expect(llm.usage()).toMatchObject({ calls: 1, totalTokens: 4200, budgetLeft: 1800, budgetExhausted: true, fallbacks: 1, failures: 0 });
  });

  it('[L10] silence and stage changes stay the offline decisions: no call', async () => {
    const { llm, requests } = await serve(() => ({ kind: 'json', content: REPLY, usage }));
    const quiet = { ...askingState(), lastInterviewerMoveAt: 6 * MIN - 10_000 };
    expect(await llm.next(quiet)).toMatchObject({ kind: 'silence' });
    const late = stateOf(saas, { stage: 'list', now: 14 * MIN, lastProgressAt: 14 * MIN });
    expect(await llm.next(late)).toMatchObject({ kind: 'stage', to: 'optimize' });
    expect(requests).toHaveLength(0);
    expect(llm.suggest(askingState(), 2)).toEqual(offline.suggest(askingState(), 2));
  });

  it('[L11] after three failures in a row the model is left alone for a minute of session time', async () => {
    const { llm, requests } = await serve(() => ({ kind: 'status', status: 503 }), { maxRetries: 0, stream: false });
    const state = askingState();
    for (let i = 0; i < 4; i++) expect(await llm.next(state)).toEqual(await offline.next(state));
    expect(requests).toHaveLength(3);
    expect(await llm.next({ ...state, now: state.now + 61_000, lastProgressAt: state.now + 60_000 })).toMatchObject({ kind: 'followup' });
    expect(requests).toHaveLength(4);
    expect(llm.usage()).toMatchObject({ failures: 4, fallbacks: 5, lastError: expect.stringContaining('503') });
  });

  it('[L12] with a follow-up open, the model may only write a hint about it', async () => {
    const { llm } = await serve((n) => ({ kind: 'json', content: n === 0 ? 'FOLLOWUP history\nWhat about the audit log?' : 'HINT tenant-boundaries\nThink about which key invoice_items could reference together with tenant_id.', usage }), { stream: false });
    const base = askingState();
    const proposal = await offline.next(base);
    if (proposal.kind !== 'followup') throw new Error('expected a follow-up');
    const open = { id: 'f1', bankId: proposal.bankId, question: proposal.question, probe: proposal.probe, askedAt: MIN, baseline: null, closed: null };
    const state = { ...base, followUps: [open], lastProgressAt: 30_000 };
    const hint = await offline.next(state);
    expect(hint).toMatchObject({ kind: 'hint' });
    expect(await llm.next(state)).toEqual(hint);
    expect(await llm.next(state)).toMatchObject({ kind: 'hint', move: 'tenant-boundaries', text: expect.stringContaining('invoice_items') });
  });
});

describe('LLM interviewer: judge', () => {
  const verdicts = [
    { target: 'frame.tenancy', verdict: 'met', rationale: 'Shared schema, and tenants share tables.' },
    { target: 'followup:f1', verdict: 'met', rationale: 'Names the company as the billed unit and memberships.' },
    { target: 'frame.invented', verdict: 'met', rationale: 'Not a target.' },
  ];

  it('[L13] judges free text as structured output; the grade merges it', async () => {
    const { llm, requests } = await serve(() => ({ kind: 'json', content: JSON.stringify({ verdicts }), usage }));
    const state = judgingState();
    const outcome = await llm.judge(state);
    expect(outcome).toEqual({ source: 'llm', judgment: { verdicts: verdicts.slice(0, 2), model: 'test-model', at: state.now } });
    const body = requests[0].body;
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'judgment', strict: true } });
    const prompt = promptOf(body);
    expect(prompt).toContain('target: frame.tenancy');
    expect(prompt).toContain('target: followup:f1');
    expect(prompt).toContain('Tenants share tables.');
    expect(prompt).toContain(saas.followUps[0].lookFor[0]);
    for (const q of saas.productQuestions) if (q.referenceSql) expect(prompt).not.toContain(q.referenceSql.trim().slice(0, 60));
    const before = state.grade;
    if (!before) throw new Error('graded');
    const merged = mergeJudgment(before, outcome.judgment);
    expect(merged.stages.frame.checks.find((c) => c.id === 'frame.tenancy')).toMatchObject({ status: 'passed' });
    expect(merged.stages.frame.score).toBeGreaterThan(before.stages.frame.score);
  });

  it('[L14] a malformed JSON judgment: an error and no verdicts, so nothing merges', async () => {
    const { llm } = await serve(() => ({ kind: 'json', content: '{"verdicts": [{"target": "frame.tenancy", "verdict": "excellent"', usage }));
    const state = judgingState();
    const outcome = await llm.judge(state);
    expect(outcome).toMatchObject({ source: 'none', judgment: { verdicts: [] }, error: expect.stringContaining('malformed judgment') });
    expect(mergeJudgment(state.grade ?? grade(saas.referenceModel, saas), outcome.judgment)).toEqual(state.grade);
    const wrongShape = await serve(() => ({ kind: 'json', content: '```json\n{"verdicts": [{"target": "frame.tenancy", "verdict": "excellent", "rationale": "x"}]}\n```', usage }));
    expect(await wrongShape.llm.judge(state)).toMatchObject({ source: 'none', error: expect.stringContaining('verdicts.0.verdict') });
    expect(llm.usage()).toMatchObject({ failures: 1, fallbacks: 0 });
  });

  it('[L15] a server that rejects response_format (400) is asked again without it, and from then on', async () => {
    const { llm, requests } = await serve((n) => (n === 0 ? { kind: 'status', status: 400, body: { error: { message: 'response_format is not supported' } } } : { kind: 'json', content: `Here you go:\n${JSON.stringify({ verdicts })}`, usage }));
    expect(await llm.judge(judgingState())).toMatchObject({ source: 'llm' });
    expect(await llm.judge(judgingState())).toMatchObject({ source: 'llm' });
    expect(requests.map((r) => r.body.response_format?.type ?? 'none')).toEqual(['json_schema', 'none', 'none']);
  });

  it('[L16] nothing to judge: no call', async () => {
    const { llm, requests } = await serve(() => ({ kind: 'json', content: JSON.stringify({ verdicts: verdicts.slice(1, 2) }), usage }));
    expect(await llm.judge(stateOf(saas, { now: 1 }))).toEqual({ source: 'none', judgment: { verdicts: [], at: 1 } });
    expect(await llm.judge(judgingState(), { targets: ['followup:f1'] })).toMatchObject({ source: 'llm' });
    expect(promptOf(requests[0].body)).not.toContain('target: frame.tenancy');
  });
});
