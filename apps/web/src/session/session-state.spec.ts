import type { FollowUp, FollowUpClosed, TimelineEvent } from '@hatch/protocol';
import { applyFollowUp, applyFollowUpClosed, applyJudgment, applyTimeline, applyTimer, compareIds, initialState, maxId, upsertById } from './session-state';

const AI = { participantId: null, role: 'ai-interviewer' as const, displayName: 'AI interviewer' };
const followUp = (id: string): FollowUp => ({
  id,
  bankId: 'who-is-the-customer',
  stage: 'frame',
  question: 'Who do you bill?',
  probe: { stage: 'frame', move: 'framing', checks: ['frame.actors'] },
  why: 'Framing lost points.',
  baseline: { stageScore: 0, pointsLost: 40 },
  askedBy: AI,
  at: '2030-01-01T10:00:00.000Z',
  status: 'open',
  answer: null,
});
const closed = (id: string, followUpId: string): FollowUpClosed => ({
  id,
  followUpId,
  how: 'chat',
  answer: 'The company.',
  chatId: '9',
  improvement: { before: 40, now: 10, improved: true },
  closedBy: AI,
  at: '2030-01-01T10:01:00.000Z',
});

describe('session state', () => {
  it('[WP1] ids compare as whole numbers of any length', () => {
    expect(['10', '9', '100', '11'].sort(compareIds)).toEqual(['9', '10', '11', '100']);
    expect(compareIds('12345678901234567890', '9')).toBeGreaterThan(0);
    expect(maxId(['9', '10', '2'])).toBe('10');
    expect(maxId([])).toBeNull();
  });

  it('[WP2] upsertById keeps id order and replaces duplicates (live and timeline copies of one event)', () => {
    let list = upsertById([], { id: '5', v: 'a' });
    list = upsertById(list, { id: '3', v: 'b' });
    list = upsertById(list, { id: '12', v: 'c' });
    list = upsertById(list, { id: '5', v: 'd' });
    expect(list).toEqual([
      { id: '3', v: 'b' },
      { id: '5', v: 'd' },
      { id: '12', v: 'c' },
    ]);
  });

  it('[WP3] a closing applies to its follow-up, also when it arrives first; the record ends streaming text', () => {
    const streaming = { ...initialState('candidate'), streams: [{ streamId: 's', text: 'Who do' }] };
    const early = applyFollowUpClosed(streaming, closed('8', '7'));
    expect(early.followUps).toEqual([]);
    const state = applyFollowUp(early, followUp('7'));
    expect(state.streams).toEqual([]);
    expect(state.followUps[0].status).toBe('answered');
    expect(state.followUps[0].answer).toMatchObject({ how: 'chat', text: 'The company.', improvement: { improved: true } });
    // the usual order
    const usual = applyFollowUpClosed(applyFollowUp(initialState('observer'), followUp('7')), closed('8', '7'));
    expect(usual.followUps[0]).toMatchObject({ id: '7', status: 'answered' });
  });

  it('[WP4] the stored timeline folds into chat, follow-ups, hints, notes, verdicts and the stage', () => {
    const events: TimelineEvent[] = [
      { id: '2', type: 'stage', actorParticipantId: null, occurredAt: '2030-01-01T10:00:00Z', payload: { stage: 'frame', previous: null, changedBy: AI } },
      { id: '3', type: 'chat', actorParticipantId: 'p1', occurredAt: '2030-01-01T10:00:01Z', payload: { author: { participantId: 'p1', displayName: 'Candidate' }, role: 'candidate', text: 'hi' } },
      { id: '4', type: 'followup', actorParticipantId: null, occurredAt: '2030-01-01T10:00:02Z', payload: (({ id: _i, at: _a, status: _s, answer: _n, ...rest }) => rest)(followUp('4')) },
      { id: '5', type: 'followup:closed', actorParticipantId: null, occurredAt: '2030-01-01T10:00:03Z', payload: (({ id: _i, at: _a, ...rest }) => rest)(closed('5', '4')) },
      { id: '6', type: 'hint', actorParticipantId: null, occurredAt: '2030-01-01T10:00:04Z', payload: { text: 'Name the actors.', move: 'framing', why: 'stalled', followUpId: null, by: AI } },
      { id: '7', type: 'note', actorParticipantId: 'p2', occurredAt: '2030-01-01T10:00:05Z', payload: { text: 'private', author: { participantId: 'p2', role: 'interviewer', displayName: 'Interviewer' } } },
      { id: '8', type: 'judgment', actorParticipantId: null, occurredAt: '2030-01-01T10:00:06Z', payload: { verdicts: [{ target: 'followup:4', verdict: 'met', rationale: 'Names the tenant.' }, { target: 'frame.tenancy', verdict: 'partly', rationale: '…' }], model: 'm' } },
      { id: '9', type: 'stage', actorParticipantId: null, occurredAt: '2030-01-01T10:00:07Z', payload: { stage: 'list', previous: 'frame', changedBy: AI } },
    ];
    const state = applyTimeline(initialState('interviewer'), events);
    expect(state.chat.map((c) => [c.id, c.text, c.at])).toEqual([['3', 'hi', '2030-01-01T10:00:01Z']]);
    expect(state.followUps.map((f) => [f.id, f.status])).toEqual([['4', 'answered']]);
    expect(state.hints.map((h) => h.text)).toEqual(['Name the actors.']);
    expect(state.notes.map((n) => n.text)).toEqual(['private']);
    expect(state.verdicts).toEqual({ '4': { verdict: 'met', rationale: 'Names the tenant.' } });
    expect(state.stage).toBe('list');
    // reading the same page again changes nothing
    expect(applyTimeline(state, events).chat).toHaveLength(1);
  });

  it('[WP5] the timer keeps the server clock offset', () => {
    const timer = {
      status: 'live' as const,
      sessionStartedAt: '2030-01-01T10:00:00.000Z',
      sessionEndedAt: null,
      stage: 'list' as const,
      stageStartedAt: '2030-01-01T10:05:00.000Z',
      minutesPerStage: { frame: 8, list: 15, optimize: 12, win: 10 },
      serverNow: '2030-01-01T10:06:00.000Z',
    };
    const state = applyTimer(initialState('candidate'), timer, Date.parse('2030-01-01T10:05:50.000Z'));
    expect(state.clockOffsetMs).toBe(10_000);
    expect(state.stage).toBe('list');
    expect(applyJudgment(state, { id: '1', verdicts: [], model: null, at: timer.serverNow }).verdicts).toEqual({});
  });
});
