import { AI_INTERVIEWER_ACTOR, type TimelineEvent } from '@hatch/protocol';
import { loadScenarioLibrary } from '@hatch/scenarios';
import { testBackends } from '../../testing/test-databases';
import type { CreatedSession } from '../sessions/session.dto';
import { createTestSession } from '../session-events/session-events.test-util';
import { buildWeakModel, frameEverything, INTERVIEW_SCENARIO_ID, INTERVIEWER_SCENARIOS_DIR, useInterviewerApp } from './interviewer.test-util';
import { OpenAiStub, STUB_USAGE } from './openai-stub.test-util';

const bank = loadScenarioLibrary(INTERVIEWER_SCENARIOS_DIR).get(INTERVIEW_SCENARIO_ID)?.followUps ?? [];

describe.each(testBackends())('the AI interviewer with an OpenAI-compatible endpoint on $name', (backend) => {
  let stub: OpenAiStub;
  beforeAll(async () => {
    stub = await OpenAiStub.start();
  });
  const rig = useInterviewerApp(backend, () => ({
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: stub.baseUrl,
    OPENAI_MODEL: 'stub-model',
    HATCH_LLM_TIMEOUT_MS: '400',
    HATCH_LLM_MAX_RETRIES: '0',
    HATCH_LLM_DEADLINE_MS: '700',
  }));
  afterEach(() => {
    stub.mode = 'ok';
  });
  afterAll(async () => {
    await stub?.close();
  });
  const get = (session: CreatedSession, path: string) => rig.api(session, path, 'reviewer');

  /** A mock session whose candidate has framed the scenario and built a model with weak List moves; resolves once the AI moved to List. */
  const mockSessionInList = async () => {
    const session = await createTestSession(rig.hatch.url, INTERVIEW_SCENARIO_ID, 'mock');
    const candidate = await rig.join(session, 'candidate');
    const observer = await rig.join(session, 'observer');
    const editor = await rig.edit(session);
    frameEverything(editor.doc);
    buildWeakModel(editor.doc);
    await candidate.next('stage', (s) => s.stage === 'list', 20_000);
    return { session, candidate, observer };
  };

  it('[IL1] the model writes the follow-up, streamed to the room; a chat answer is judged, the verdict stored with its rationale; tokens and latency are recorded', async () => {
    const before = stub.requests.length;
    const { session, candidate, observer } = await mockSessionInList();
    const followUp = await candidate.next('followup', () => true, 15_000);
    expect(followUp.question).toMatch(/^Stub question \d+: your invoice total is a float/);
    // A rewording of the bank question the offline engine chose: same bank entry, same probe.
    expect(followUp).toMatchObject({ bankId: 'invoice-money', askedBy: AI_INTERVIEWER_ACTOR, probe: { stage: 'list', move: 'money-and-time' } });
    for (const client of [candidate, observer]) {
      const streamed = client.all('followup:stream');
      expect(streamed.length).toBeGreaterThan(1);
      const [first] = streamed;
      expect(streamed.filter((d) => d.streamId === first.streamId).map((d) => d.delta).join('')).toBe(followUp.question);
    }
    const nextCall = stub.requests.slice(before).find((r) => r.body.stream);
    expect(nextCall).toMatchObject({ authorization: 'Bearer test-key', body: { model: 'stub-model', stream: true } });

    const ack = await candidate.socket.emitWithAck('chat:send', { text: 'I would store total_minor as bigint with a currency column.' });
    if (!ack.ok) throw new Error(ack.message);
    expect(await candidate.next('followup:closed', (c) => c.followUpId === followUp.id, 10_000)).toMatchObject({ how: 'chat', chatId: ack.message.id });
    const judgment = await observer.next('judgment', () => true, 10_000);
    expect(judgment).toMatchObject({
      model: 'stub-model',
      verdicts: [{ target: `followup:${followUp.id}`, verdict: 'met', rationale: `Stub judge: followup:${followUp.id} names integer minor units and a currency.` }],
    });
    const judgeCall = stub.requests.slice(before).find((r) => !r.body.stream);
    expect(judgeCall?.body.messages.map((m) => m.content).join('\n')).toContain('I would store total_minor as bigint with a currency column.');
    const stored = ((await get(session, 'events?limit=500')).body.events as TimelineEvent[]).find((e) => e.type === 'judgment');
    expect(stored).toMatchObject({ id: judgment.id, actorParticipantId: null, payload: { verdicts: judgment.verdicts, model: 'stub-model' } });

    const view = await get(session, 'interviewer');
    expect(view.body).toMatchObject({ kind: 'llm', model: 'stub-model', openFollowUp: null });
    const { usage } = view.body;
    expect(usage).toMatchObject({ model: 'stub-model', failures: 0, fallbacks: 0, estimatedCalls: 0, lastError: null });
    expect(usage.calls).toBeGreaterThanOrEqual(2);
    expect(usage.requests).toBe(usage.calls);
    expect(usage.promptTokens).toBe(usage.calls * STUB_USAGE.prompt_tokens);
    expect(usage.completionTokens).toBe(usage.calls * STUB_USAGE.completion_tokens);
    expect(usage.totalTokens).toBe(usage.promptTokens + usage.completionTokens);
    expect(usage.medianLatencyMs).toBeGreaterThanOrEqual(0);
    expect(usage.maxLatencyMs).toBeGreaterThanOrEqual(usage.p95LatencyMs);
    expect(usage.maxLatencyMs).toBeLessThan(5000);
  }, 60_000);

  it.each(['fail', 'hang'] as const)('[IL2] an endpoint that %ss: the offline engine asks instead, the session never stalls, and the failures are recorded', async (mode) => {
    stub.mode = mode;
    const { session, candidate } = await mockSessionInList();
    const listAt = Date.now();
    const followUp = await candidate.next('followup', () => true, 15_000);
    // The offline engine's own question, from the bank; it came in time (stall 0.8 s + the 0.7 s deadline + ticks).
    expect(followUp).toMatchObject({ bankId: 'invoice-money', question: bank.find((f) => f.id === 'invoice-money')?.question, probe: { move: 'money-and-time' } });
    expect(Date.now() - listAt).toBeLessThan(6000);
    // Chat flows while the model is failing or hanging.
    const ack = await candidate.socket.emitWithAck('chat:send', { text: 'Still here.' });
    expect(ack.ok).toBe(true);

    const { body } = await get(session, 'interviewer');
    expect(body).toMatchObject({ kind: 'llm', usage: { model: 'stub-model', promptTokens: 0, completionTokens: 0 } });
    expect(body.usage.failures).toBeGreaterThanOrEqual(1);
    expect(body.usage.fallbacks).toBeGreaterThanOrEqual(1);
    // A hanging server ends in the SDK's timeout or the interviewer's deadline, whichever comes first.
    expect(body.usage.lastError).toMatch(mode === 'fail' ? /500/ : /timeout|timed out|connection/i);
  }, 60_000);
});
