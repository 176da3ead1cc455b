import { grade } from '@hatch/grader';
import { answerFor } from './answers';
import type { AskedFollowUp, InterviewerMove, InterviewState } from './interviewer.types';
import { asked, firstTables, MIN, scenario, SEC, stateOf, turn } from './interviewer.test-util';
import { createOfflineInterviewer } from './offline-interviewer';
import { normalizeQuestion } from './text';

const saas = scenario('saas-billing-metering-audit'); // list: 15 min, optimize: 12 min, win: 10 min
const weakModel = firstTables(saas.referenceModel, 3);
const weakGrade = grade(weakModel, saas);
const offline = createOfflineInterviewer();

/** The list stage of the saas scenario at `minutes` into it, with the given model's grade. */
function listAt(minutes: number, overrides: Partial<InterviewState> = {}): InterviewState {
  const now = 100 * MIN + minutes * MIN;
  return stateOf(saas, { stage: 'list', sessionStartedAt: 90 * MIN, stageStartedAt: 100 * MIN, now, lastProgressAt: now - 20 * SEC, ...overrides });
}

const weak = { model: weakModel, grade: weakGrade };

describe('pacing (fake clock: state.now)', () => {
  it('[P0] the weak model is weak in List and the reference is strong', () => {
    expect(weakGrade.stages.list.score).toBeLessThan(70);
    expect(listAt(1).grade?.stages.list.score).toBeGreaterThanOrEqual(85);
  });

  it('[P1] near the end of the stage with a good score → move on to the next stage', async () => {
    expect(await offline.next(listAt(12.5))).not.toMatchObject({ kind: 'stage' });
    expect(await offline.next(listAt(13))).toMatchObject({ kind: 'stage', to: 'optimize', why: expect.stringContaining('List scores 100') });
  });

  it('[P2] early with a strong stage → a deeper follow-up of the stage', async () => {
    const move = await offline.next(listAt(2));
    expect(move).toMatchObject({ kind: 'followup', probe: { stage: 'list' } });
    expect(move.why).toContain('go deeper');
    if (move.kind === 'followup') expect(saas.followUps.find((f) => f.id === move.bankId)?.stage).toBe('list');
  });

  it('[P3] early with a weak stage and recent progress → silence: let the candidate work', async () => {
    expect(await offline.next(listAt(2, weak))).toMatchObject({ kind: 'silence', why: expect.stringContaining('let the candidate work') });
  });

  it('[P4] mid-stage with a weak stage → a follow-up on its costliest weak move', async () => {
    const move = await offline.next(listAt(7, weak));
    expect(move).toMatchObject({ kind: 'followup', probe: { stage: 'list', move: 'entities' } });
  });

  it('[P5] over time with a weak stage → one nudge hint, then back to follow-ups', async () => {
    const nudge = await offline.next(listAt(16, weak));
    expect(nudge).toMatchObject({ kind: 'hint', move: 'entities' });
    if (nudge.kind !== 'hint') return;
    expect(nudge.text).toMatch(/past the 15 min planned for List.*move on to Optimize/);
    const later = listAt(17, { ...weak, conversation: [turn(116 * MIN, 'ai-interviewer', 'hint', nudge.text)], lastInterviewerMoveAt: 116 * MIN });
    expect(await offline.next(later)).toMatchObject({ kind: 'followup', probe: { stage: 'list' } });
  });

  it('[P6] past 1.5× the stage time → move on whatever the score', async () => {
    expect(await offline.next(listAt(22, weak))).not.toMatchObject({ kind: 'stage' });
    expect(await offline.next(listAt(23, weak))).toMatchObject({ kind: 'stage', to: 'optimize', why: expect.stringContaining('whatever the score') });
  });

  it('[P7] the last stage never proposes a stage change', async () => {
    const state = stateOf(saas, { stage: 'win', stageStartedAt: 0, now: 14 * MIN, lastProgressAt: 14 * MIN });
    const move = await offline.next(state);
    expect(move.kind).not.toBe('stage');
  });

  it('[P8] quiet period: nothing within 45 s of the last interviewer move', async () => {
    const spoke = (ago: number) => listAt(13, { lastInterviewerMoveAt: 113 * MIN - ago });
    expect(await offline.next(spoke(30 * SEC))).toMatchObject({ kind: 'silence', why: expect.stringContaining('Quiet period') });
    expect(await offline.next(spoke(50 * SEC))).toMatchObject({ kind: 'stage', to: 'optimize' });
    // An answer restarts the quiet period too: the candidate gets time to act on it.
    const answered: AskedFollowUp = { id: 'f1', bankId: null, question: 'Q?', probe: { stage: 'list', move: null, checks: [] }, askedAt: 100 * MIN, baseline: null, closed: { at: 113 * MIN - 20 * SEC, how: 'chat', answer: 'A.' } };
    expect(await offline.next({ ...spoke(50 * SEC), followUps: [answered] })).toMatchObject({ kind: 'silence', why: expect.stringContaining('20 s ago') });
    const patient = createOfflineInterviewer({ quietMs: 2 * MIN });
    expect(await patient.next(spoke(50 * SEC))).toMatchObject({ kind: 'silence' });
  });

  it('[P9] thresholds follow the options', async () => {
    const eager = createOfflineInterviewer({ pacing: { nearEndRatio: 0.5 } });
    expect(await eager.next(listAt(8))).toMatchObject({ kind: 'stage', to: 'optimize' });
    expect(() => createOfflineInterviewer({ stallAfterMs: -1 })).toThrow('stallAfterMs must be a number of milliseconds ≥ 0');
  });
});

describe('stall detection', () => {
  it('[S1] early in a weak stage, no progress for 3 min → a follow-up that says so', async () => {
    const stalled = listAt(3.5, { ...weak, lastProgressAt: 100 * MIN + 10 * SEC });
    const move = await offline.next(stalled);
    expect(move).toMatchObject({ kind: 'followup', why: expect.stringMatching(/^No progress for 3 min\. /) });
    expect(await offline.next({ ...stalled, lastProgressAt: stalled.now - MIN })).toMatchObject({ kind: 'silence' });
  });

  it('[S2] without lastProgressAt, progress is the last score sample that changed', async () => {
    const point = (at: number, total: number) => ({ at, seq: at, total, stages: { frame: 0, list: total, optimize: 0, win: 0 }, weakMoves: [] });
    const history = [point(100 * MIN, 10), point(101 * MIN, 20), point(102 * MIN, 20), point(103 * MIN, 20)];
    const base = listAt(3.5, { ...weak, lastProgressAt: null, history });
    // The total last moved at 101 min: stalled from 104 min on.
    expect(await offline.next({ ...base, now: 103.9 * MIN })).toMatchObject({ kind: 'silence' });
    expect(await offline.next({ ...base, now: 104.1 * MIN })).toMatchObject({ kind: 'followup', why: expect.stringContaining('No progress for 3 min') });
    // No change in the samples at all: the stage start (100 min) is the last progress.
    expect(await offline.next({ ...base, now: 103.5 * MIN, history: [history[1], history[2]] })).toMatchObject({ kind: 'followup' });
  });

  it('[S3] nothing while a follow-up is open; after 4 min without answer or progress, one hint about it', async () => {
    const question = await offline.next(listAt(7, weak));
    const open = asked(question, 107 * MIN, 'f1', weakGrade);
    const at = (minutes: number, extra: Partial<InterviewState> = {}) =>
      listAt(minutes, { ...weak, followUps: [open], lastInterviewerMoveAt: 107 * MIN, lastProgressAt: 106 * MIN, ...extra });
    expect(await offline.next(at(10))).toMatchObject({ kind: 'silence', why: expect.stringContaining('A follow-up is open') });
    const hint = await offline.next(at(11));
    expect(hint).toMatchObject({ kind: 'hint', move: open.probe.move, why: expect.stringContaining('No answer and no progress for 4 min') });
    if (hint.kind === 'hint') expect(hint.text).toContain(open.question.slice(0, 40));
    // Once hinted, it waits again; and a candidate who is editing the model is not interrupted.
    expect(await offline.next(at(14, { conversation: [turn(111 * MIN, 'ai-interviewer', 'hint', 'x', 'f1')] }))).toMatchObject({ kind: 'silence' });
    expect(await offline.next(at(14, { lastProgressAt: 110 * MIN }))).toMatchObject({ kind: 'silence' });
  });
});

describe('modes', () => {
  it('[M1] practice answers on demand: no quiet period, no patience, and a hint when a follow-up is open', async () => {
    const practice = (extra: Partial<InterviewState>) => listAt(1, { ...weak, mode: 'practice', lastInterviewerMoveAt: 101 * MIN - 5 * SEC, ...extra });
    const move = await offline.next(practice({}));
    expect(move).toMatchObject({ kind: 'followup', probe: { stage: 'list' } });
    const open = asked(move, 101 * MIN, 'f1', weakGrade);
    expect(await offline.next(practice({ followUps: [open] }))).toMatchObject({ kind: 'hint', move: open.probe.move });
  });

  it('[M2] pair mode: next stays silent, suggest still ranks follow-ups', async () => {
    const pair = listAt(7, { ...weak, mode: 'pair' });
    expect(await offline.next(pair)).toMatchObject({ kind: 'silence', why: expect.stringContaining('pair mode') });
    expect(offline.suggest(pair, 2)).toHaveLength(2);
    expect(offline.suggest(pair, 0)).toEqual([]);
  });

  it('[M3] before the session starts or before the first grade: silence', async () => {
    expect(await offline.next(listAt(7, { stage: null, stageStartedAt: null }))).toMatchObject({ kind: 'silence', why: 'The session has not started.' });
    expect(await offline.next(listAt(7, { grade: null }))).toMatchObject({ kind: 'silence' });
  });
});

/**
 * A mock interview of 60 simulated minutes, ticking every 15 s: the interviewer's moves are applied
 * the way the api would (follow-ups stored with a baseline, stage changes, hints in the chat), and
 * the candidate answers each follow-up in chat 40 s later while the model never improves.
 */
async function simulate(minutes: number): Promise<{ moves: InterviewerMove[]; state: InterviewState }> {
  let state = stateOf(saas, { ...weak, stage: 'frame', sessionStartedAt: 0, stageStartedAt: 0, now: 0, lastProgressAt: 0 });
  const moves: InterviewerMove[] = [];
  for (let now = 15 * SEC; now <= minutes * MIN; now += 15 * SEC) {
    state = { ...state, now };
    const open = state.followUps.find((f) => f.closed === null);
    if (open && now - open.askedAt >= 40 * SEC) {
      const answer = turn(now, 'candidate', 'chat', `My answer to ${open.id}: I would add the keys.`);
      const closed = answerFor(state, { kind: 'chat', turn: answer });
      expect(closed).toMatchObject({ followUpId: open.id, how: 'chat' });
      state = {
        ...state,
        conversation: [...state.conversation, answer],
        followUps: state.followUps.map((f) => (f === open && closed ? { ...f, closed: { at: closed.at, how: closed.how, answer: closed.answer } } : f)),
      };
    }
    const move = await offline.next(state);
    if (move.kind === 'silence') continue;
    moves.push(move);
    state = { ...state, lastInterviewerMoveAt: now };
    if (move.kind === 'stage') state = { ...state, stage: move.to, stageStartedAt: now };
    if (move.kind === 'hint') state = { ...state, conversation: [...state.conversation, turn(now, 'ai-interviewer', 'hint', move.text)] };
    if (move.kind === 'followup') {
      const followUp: AskedFollowUp = asked(move, now, `f${state.followUps.length + 1}`, state.grade);
      expect(state.followUps.every((f) => f.closed !== null)).toBe(true);
      state = { ...state, followUps: [...state.followUps, followUp], conversation: [...state.conversation, turn(now, 'ai-interviewer', 'followup', move.question, followUp.id)] };
    }
  }
  return { moves, state };
}

describe('a long simulated session', () => {
  it('[R1] never repeats a question, by bank id or by text, keeps at most one open, and walks through every stage', async () => {
    const { moves, state } = await simulate(60);
    const followUps = moves.filter((m): m is Extract<InterviewerMove, { kind: 'followup' }> => m.kind === 'followup');
    expect(followUps.length).toBeGreaterThan(10);
    expect(new Set(followUps.map((m) => m.bankId)).size).toBe(followUps.length);
    expect(new Set(followUps.map((m) => normalizeQuestion(m.question))).size).toBe(followUps.length);
    expect(moves.filter((m) => m.kind === 'stage').map((m) => (m.kind === 'stage' ? m.to : null))).toEqual(['list', 'optimize', 'win']);
    expect(state.followUps.filter((f) => f.closed === null).length).toBeLessThanOrEqual(1);
    // Moves are at least the quiet period apart.
    const times = state.conversation.filter((t) => t.speaker === 'ai-interviewer').map((t) => t.at);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(45 * SEC);
  });

  it('[R2] deterministic: the same session twice gives the same moves', async () => {
    expect((await simulate(30)).moves).toEqual((await simulate(30)).moves);
  });
});
