import { grade } from '@hatch/grader';
import { answerFor, improvement } from './answers';
import type { AskedFollowUp } from './interviewer.types';
import { asked, dropTenantForeignKeys, MIN, scenario, stateOf, turn } from './interviewer.test-util';
import { createOfflineInterviewer } from './offline-interviewer';

const saas = scenario('saas-billing-metering-audit');
const broken = dropTenantForeignKeys(saas.referenceModel);
const brokenGrade = grade(broken, saas);
const fixedGrade = grade(saas.referenceModel, saas);

async function openQuestion(): Promise<AskedFollowUp> {
  const state = stateOf(saas, { model: broken, grade: brokenGrade, stage: 'optimize', now: 6 * MIN, lastProgressAt: 6 * MIN });
  return asked(await createOfflineInterviewer().next(state), 6 * MIN, 'f1', brokenGrade);
}

describe('answerFor', () => {
  it.each([
    ['[A1] the candidate’s chat after the question closes it with the text', turn(7 * MIN, 'candidate', 'chat', '  Composite foreign keys (tenant_id, invoice_id).  '), { how: 'chat', at: 7 * MIN, answer: 'Composite foreign keys (tenant_id, invoice_id).' }],
    ['[A2] an answer turn for this follow-up closes it', turn(7 * MIN, 'candidate', 'answer', 'Row-level security as a backstop.', 'f1'), { how: 'chat', answer: 'Row-level security as a backstop.' }],
    ['[A3] the interviewer’s own chat does not', turn(7 * MIN, 'interviewer', 'chat', 'Take your time.'), null],
    ['[A4] chat from before the question does not', turn(5 * MIN, 'candidate', 'chat', 'An earlier remark about invoices.'), null],
    ['[A5] "ok" is not an answer', turn(7 * MIN, 'candidate', 'chat', ' ok '), null],
    ['[A6] an answer to another follow-up does not', turn(7 * MIN, 'candidate', 'answer', 'About something else entirely.', 'f0'), null],
  ] as const)('%s', async (_name, chat, expected) => {
    const open = await openQuestion();
    const state = stateOf(saas, { model: broken, grade: brokenGrade, stage: 'optimize', now: 8 * MIN, followUps: [open] });
    const result = answerFor(state, { kind: 'chat', turn: chat });
    if (expected === null) expect(result).toBeNull();
    else expect(result).toMatchObject({ followUpId: 'f1', ...expected });
  });

  it('[A7] a grade in which the probed checks improved closes it as answered through the model', async () => {
    const open = await openQuestion();
    expect(open.probe).toMatchObject({ move: 'tenant-boundaries' });
    expect(open.baseline?.pointsLost).toBeGreaterThan(0);
    const state = stateOf(saas, { model: broken, grade: brokenGrade, stage: 'optimize', now: 9 * MIN, followUps: [open] });
    expect(answerFor(state, { kind: 'grade', grade: brokenGrade })).toBeNull();
    expect(answerFor(state, { kind: 'grade', grade: fixedGrade })).toEqual({
      followUpId: 'f1',
      how: 'model',
      at: 9 * MIN,
      answer: null,
      improvement: { before: open.baseline?.pointsLost, now: 0, improved: true },
    });
  });

  it('[A8] nothing is open: nothing to answer', async () => {
    const open = await openQuestion();
    const closed = { ...open, closed: { at: 7 * MIN, how: 'chat' as const, answer: 'x' } };
    const state = stateOf(saas, { stage: 'optimize', now: 8 * MIN, followUps: [closed] });
    expect(answerFor(state, { kind: 'chat', turn: turn(8 * MIN, 'candidate', 'chat', 'Another thought entirely.') })).toBeNull();
    expect(answerFor(state, { kind: 'grade', grade: fixedGrade })).toBeNull();
  });
});

describe('improvement', () => {
  it('[I1] compares the probed checks’ points lost with the baseline', async () => {
    const open = await openQuestion();
    expect(improvement(open, brokenGrade)).toEqual({ before: open.baseline?.pointsLost, now: open.baseline?.pointsLost, improved: false });
    expect(improvement(open, fixedGrade)).toMatchObject({ now: 0, improved: true });
  });

  it('[I2] a probe naming only a move is measured by that move in its stage', () => {
    const followUp: AskedFollowUp = { id: 'f2', bankId: null, question: 'How are tenants kept apart?', probe: { stage: 'optimize', move: 'tenant-boundaries', checks: [] }, askedAt: 0, baseline: null, closed: null };
    const lost = brokenGrade.stages.optimize.checks.filter((c) => c.move === 'tenant-boundaries' && c.status !== 'passed').length;
    expect(lost).toBeGreaterThan(0);
    // Without a baseline nothing can be said to have improved.
    expect(improvement(followUp, fixedGrade)).toEqual({ before: 0, now: 0, improved: false });
    const withBaseline = { ...followUp, baseline: { stageScore: brokenGrade.stages.optimize.score, pointsLost: improvement(followUp, brokenGrade).now } };
    expect(withBaseline.baseline.pointsLost).toBeGreaterThan(0);
    expect(improvement(withBaseline, fixedGrade)).toMatchObject({ now: 0, improved: true });
  });
});
