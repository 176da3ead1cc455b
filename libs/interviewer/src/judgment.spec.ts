import { grade, type Grade, scoreChecks } from '@hatch/grader';
import { clearFrame, scenario } from './interviewer.test-util';
import { isJudgedCheck, mergeJudgment } from './judgment';

const saas = scenario('saas-billing-metering-audit');
const checkOf = (g: Grade, id: string) => Object.values(g.stages).flatMap((s) => s.checks).find((c) => c.id === id);

// Frame notes that say little: the tenancy strategy without a reason, one rule, no access patterns.
const model = clearFrame(saas.referenceModel);
model.frame.tenancy = { strategy: 'shared-schema', notes: '' };
model.frame.domain = 'Companies pay for the API.';
const base = grade(model, saas);

describe('mergeJudgment', () => {
  it('[J0] the fixture has partial and failed free-text checks', () => {
    expect(checkOf(base, 'frame.tenancy')).toMatchObject({ status: 'partial', ratio: 0.6 });
    expect(checkOf(base, 'frame.access-patterns')).toMatchObject({ status: 'failed', ratio: 0 });
  });

  it('[J1] "met" raises a free-text check to passed, adds the rationale to its evidence, and rescores like the grader', () => {
    const merged = mergeJudgment(base, { verdicts: [{ target: 'frame.tenancy', verdict: 'met', rationale: 'Shared schema because tenants are many and small.' }] });
    expect(checkOf(merged, 'frame.tenancy')).toMatchObject({ status: 'passed', ratio: 1, hint: '' });
    expect(checkOf(merged, 'frame.tenancy')?.evidence.at(-1)).toEqual({ kind: 'frame', name: 'judge', note: 'met: Shared schema because tenants are many and small.' });
    expect(merged.stages.frame.score).toBeGreaterThan(base.stages.frame.score);
    const rescored = scoreChecks(Object.values(merged.stages).flatMap((s) => s.checks));
    expect(merged.stages.frame.score).toBe(rescored.stages.frame.score);
    expect(merged.total).toBe(rescored.total);
    expect(merged.weakMoves).toEqual(rescored.weakMoves);
    // The input grade is not touched.
    expect(checkOf(base, 'frame.tenancy')).toMatchObject({ status: 'partial', ratio: 0.6 });
  });

  it('[J2] "partly" lifts a failed check to half; "missed" never lowers below the deterministic result', () => {
    const merged = mergeJudgment(base, {
      verdicts: [
        { target: 'frame.access-patterns', verdict: 'partly', rationale: 'Names usage dashboards but no frequency.' },
        { target: 'frame.tenancy', verdict: 'missed', rationale: 'No reason given.' },
      ],
    });
    expect(checkOf(merged, 'frame.access-patterns')).toMatchObject({ status: 'partial', ratio: 0.5 });
    expect(checkOf(merged, 'frame.tenancy')).toMatchObject({ status: 'partial', ratio: 0.6 });
    expect(checkOf(merged, 'frame.tenancy')?.evidence.at(-1)?.note).toBe('missed: No reason given.');
  });

  it('[J3] verdicts on structural checks, follow-ups or unknown targets change nothing', () => {
    const broken = grade({ ...saas.referenceModel, entities: saas.referenceModel.entities.map((e) => ({ ...e, indexes: [] })) }, saas);
    const structural = broken.stages.optimize.checks.find((c) => c.status === 'failed' && c.id.startsWith('access-pattern.'));
    expect(structural && isJudgedCheck(structural)).toBe(false);
    const merged = mergeJudgment(broken, {
      verdicts: [
        { target: structural?.id ?? '', verdict: 'met', rationale: 'Looks indexed.' },
        { target: 'followup:f1', verdict: 'met', rationale: 'Good answer.' },
        { target: 'frame.nope', verdict: 'met', rationale: '?' },
      ],
    });
    expect(merged).toEqual(broken);
  });

  it('[J4] no verdicts: the same grade as the grader computed', () => {
    expect(mergeJudgment(base, { verdicts: [] })).toEqual(base);
  });

  it('[J5] win answers are judged; the answerability of the model is not', () => {
    const answer = base.stages.win.checks.find((c) => c.id.startsWith('answer.'));
    const answerable = base.stages.win.checks.find((c) => c.id.startsWith('answerable.'));
    expect(answer && isJudgedCheck(answer)).toBe(true);
    expect(answerable && isJudgedCheck(answerable)).toBe(false);
  });
});
