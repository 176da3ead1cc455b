import { AI_INTERVIEWER_ACTOR, type EventActor, type StoredEventPayloads, type StoredEventType } from '@hatch/protocol';
import { loadScenarioLibrary, type Scenario } from '@hatch/scenarios';
import type { SessionEventRecord } from '../session-events/session-event.repository';
import { INTERVIEW_SCENARIO_ID, INTERVIEWER_SCENARIOS_DIR } from './interviewer.test-util';
import { SessionInterview } from './session-interview';

const scenario = loadScenarioLibrary(INTERVIEWER_SCENARIOS_DIR).get(INTERVIEW_SCENARIO_ID) as Scenario;
const T0 = Date.parse('2030-01-01T10:00:00Z');
const candidate: EventActor = { participantId: 'p-cand', role: 'candidate', displayName: 'Candidate' };
const interviewer: EventActor = { participantId: 'p-int', role: 'interviewer', displayName: 'Interviewer' };

let nextId = 0;
const event = <K extends StoredEventType>(type: K, seconds: number, payload: StoredEventPayloads[K], actor: EventActor | null = null): SessionEventRecord => ({
  id: String(++nextId),
  sessionId: 's',
  type,
  actorParticipantId: actor?.participantId ?? null,
  occurredAt: new Date(T0 + seconds * 1000),
  payload: payload as unknown as Record<string, unknown>,
});
const probe = { stage: 'list' as const, move: 'money-and-time', checks: ['money.invoice'] };
const asked = (seconds: number, question: string, by: EventActor) =>
  event('followup', seconds, { bankId: null, stage: 'list', question, probe, why: null, baseline: { stageScore: 78, pointsLost: 19.2 }, askedBy: by }, by);

describe('SessionInterview: the interview state rebuilt from the stored timeline', () => {
  it('[SI1] start, stages, chat, follow-ups, closures and hints become the engine’s state', () => {
    const interview = new SessionInterview('s', scenario, 'pair');
    const start = [event('session:start', 0, { by: candidate }, candidate), event('stage', 0, { stage: 'frame', previous: null, changedBy: candidate }, candidate)];
    const toList = event('stage', 5, { stage: 'list', previous: 'frame', changedBy: AI_INTERVIEWER_ACTOR });
    const first = asked(10, 'How do you store money?', AI_INTERVIEWER_ACTOR);
    const chat = event('chat', 20, { author: { participantId: 'p-cand', displayName: 'Candidate' }, role: 'candidate', text: 'bigint minor units' }, candidate);
    const answered = event('followup:closed', 21, { followUpId: first.id, how: 'chat', answer: 'bigint minor units', chatId: chat.id, improvement: null, closedBy: AI_INTERVIEWER_ACTOR });
    const hint = event('hint', 30, { text: 'Think about currency.', move: 'money-and-time', why: 'stalled', by: AI_INTERVIEWER_ACTOR, followUpId: null });
    const second = asked(40, 'Who may void an invoice?', interviewer);
    const superseded = event('followup:closed', 45, { followUpId: second.id, how: 'superseded', answer: null, chatId: null, improvement: null, closedBy: interviewer }, interviewer);
    const note = event('note', 46, { text: 'private', author: interviewer }, interviewer);
    const events = [...start, toList, first, chat, answered, hint, second, superseded, note];
    for (const e of events) interview.apply(e);
    interview.apply(first); // applied twice: skipped

    const state = interview.state(T0 + 60_000);
    expect(state).toMatchObject({ mode: 'pair', stage: 'list', sessionStartedAt: T0, stageStartedAt: T0 + 5000, lastInterviewerMoveAt: T0 + 40_000, grade: null });
    expect(interview.status).toBe('live');
    expect(state.conversation.map((t) => [t.speaker, t.kind, t.text, t.followUpId])).toEqual([
      ['ai-interviewer', 'followup', 'How do you store money?', first.id],
      ['candidate', 'answer', 'bigint minor units', first.id],
      ['ai-interviewer', 'hint', 'Think about currency.', undefined],
      ['interviewer', 'followup', 'Who may void an invoice?', second.id],
    ]);
    expect(state.followUps.map((f) => [f.id, f.closed?.how, f.closed?.answer])).toEqual([
      [first.id, 'chat', 'bigint minor units'],
      [second.id, 'marked', null],
    ]);
    expect(interview.openFollowUp()).toBeNull();
    expect(interview.followUp(second.id)).toMatchObject({ status: 'answered', answer: { how: 'superseded', by: interviewer } });
    expect(interview.candidateChatsAfter(first.id).map((c) => c.id)).toEqual([chat.id]);
    expect(interview.candidateChatsAfter(chat.id)).toEqual([]);

    interview.apply(event('session:end', 90, { by: interviewer, reason: null }, interviewer));
    expect(interview.status).toBe('ended');
  });

  it('[SI2] score samples make the history; a changed score or an added element counts as progress', () => {
    const interview = new SessionInterview('s', scenario, 'mock');
    const sample = (id: string, seconds: number, total: number) => ({
      id,
      seq: Number(id),
      at: new Date(T0 + seconds * 1000).toISOString(),
      total,
      stages: { frame: total, list: 0, optimize: 0, win: 0 },
      weakMoves: [],
    });
    interview.applySample(sample('1', 10, 20));
    interview.applySample(sample('2', 20, 20));
    expect(interview.lastProgressAt).toBeNull();
    interview.applySample(sample('3', 30, 40));
    interview.applySample(sample('2', 20, 20)); // applied twice: skipped
    expect(interview.history.map((p) => p.seq)).toEqual([1, 2, 3]);
    expect(interview.lastProgressAt).toBe(T0 + 30_000);
    expect(interview.sampledSeq).toBe(3);
  });
});
