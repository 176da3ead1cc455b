import { type Model, modelSchema } from '@hatch/model';
import { GradeInputError, grade, gradeSummary, STAGES } from './index';
import { buildModel, checkOf, clone, removeField, tinyScenario } from './grader.test-util';

const scenario = tinyScenario();
const reference = scenario.referenceModel;

describe('grade', () => {
  it('scores each stage as round(100 × Σ weight × ratio / Σ weight), and the total as their mean', () => {
    const model = removeField(reference, 'f_invoices_status');
    const result = grade(model, scenario);
    for (const stage of STAGES) {
      const { checks, score } = result.stages[stage];
      const exact = (100 * checks.reduce((sum, c) => sum + c.weight * c.ratio, 0)) / checks.reduce((sum, c) => sum + c.weight, 0);
      expect(score).toBe(Math.round(exact));
      expect(Number.isInteger(score)).toBe(true);
      for (const check of checks) expect(check.stage).toBe(stage);
    }
    const mean = STAGES.reduce((sum, stage) => sum + result.stages[stage].score, 0) / 4;
    expect(Math.abs(result.total - mean)).toBeLessThanOrEqual(0.5);
  });

  it('is deterministic: equal models give identical grades, checks in a stable order', () => {
    const a = grade(reference, scenario);
    const b = grade(clone(reference), scenario);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const ids = a.stages.list.checks.map((c) => c.id);
    expect(ids.slice(0, 2)).toEqual(['concept.tenant', 'concept.user']);
  });

  it('gives every check an id, stage, move, title, weight, status, ratio, evidence, hint and source', () => {
    const result = grade(removeField(reference, 'f_invoices_tenant_id'), scenario);
    for (const check of Object.values(result.stages).flatMap((s) => s.checks)) {
      expect(check).toEqual(
        expect.objectContaining({ id: expect.any(String), move: expect.any(String), title: expect.any(String), weight: expect.any(Number), evidence: expect.any(Array), hint: expect.any(String) }),
      );
      expect(['passed', 'partial', 'failed', 'justified']).toContain(check.status);
      expect(['rubric', 'rule']).toContain(check.source);
      expect(check.ratio).toBeGreaterThanOrEqual(0);
      expect(check.ratio).toBeLessThanOrEqual(1);
      if (check.status === 'passed') expect(check.hint).toBe('');
      else expect(check.hint.length).toBeGreaterThan(10);
    }
  });

  it('coaches like an interviewer: invoices without tenant_id can be read across tenants', () => {
    const result = grade(removeField(reference, 'f_invoices_tenant_id'), scenario);
    expect(checkOf(result, 'tenant-scoped.invoice')?.hint).toBe('Invoices can be read across tenants: add tenant_id with a foreign key to tenants.');
  });

  it('groups lost points into weak moves, costliest first, with their checks and a summary', () => {
    const result = grade(removeField(reference, 'f_invoices_tenant_id'), scenario);
    expect(result.weakMoves.length).toBeGreaterThan(0);
    const costs = result.weakMoves.map((m) => m.pointsLost);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    const tenant = result.weakMoves.find((m) => m.move === 'tenant-boundaries');
    expect(tenant?.checks).toContain('tenant-scoped.invoice');
    expect(tenant?.summary).toMatch(/^Keep every row inside its tenant.*Next: /);
    expect(grade(reference, scenario).weakMoves).toEqual([]);
  });

  it('maps the model onto the scenario and lists what is unmatched and missing', () => {
    const model = buildModel({ entities: { accounts: { fields: { id: { type: 'uuid', pk: true }, nickname: 'text' } }, kittens: { fields: { id: { type: 'uuid', pk: true } } } } });
    const result = grade(model, scenario);
    expect(result.mapping.entities).toEqual([{ entityId: 'e_accounts', name: 'accounts', concept: 'tenant', reference: 'tenants', confidence: 0.95, why: 'alias' }]);
    expect(result.unmatched.entities).toEqual([{ id: 'e_kittens', name: 'kittens' }]);
    expect(result.unmatched.fields).toEqual([{ id: 'f_accounts_nickname', name: 'accounts.nickname' }]);
    expect(result.unmatched.missing.concepts).toContain('invoice');
    expect(result.unmatched.missing.events).toEqual(['invoice_paid']);
  });

  it('grades a mid-edit model with dangling references without crashing', () => {
    const model = clone(reference);
    model.entities = model.entities.filter((e) => e.name !== 'tenants');
    const result = grade(model, scenario);
    expect(checkOf(result, 'fk-valid')?.status).not.toBe('passed');
    expect(checkOf(result, 'fk-valid')?.hint).toMatch(/references a table that does not exist/);
  });
});

describe('gradeSummary', () => {
  it('keeps stage scores, total and weak moves, without checks or evidence', () => {
    const result = grade(removeField(reference, 'f_invoices_tenant_id'), scenario);
    const summary = gradeSummary(result);
    expect(summary).toEqual({
      scenarioId: 'tiny-saas',
      scenarioVersion: 1,
      stages: { frame: result.stages.frame.score, list: result.stages.list.score, optimize: result.stages.optimize.score, win: result.stages.win.score },
      total: result.total,
      weakMoves: result.weakMoves.map((m) => ({ move: m.move, pointsLost: m.pointsLost, checks: m.checks })),
    });
    expect(JSON.stringify(summary)).not.toContain('evidence');
  });
});

describe('bad input', () => {
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(GradeInputError);
      return [(error as GradeInputError).code, (error as Error).message];
    }
    throw new Error('expected a GradeInputError');
  };

  it('rejects a model that is not a parsed Hatch model, naming what is wrong', () => {
    expect(codeOf(() => grade(null as unknown as Model, scenario))).toEqual(['GRADE_INVALID_MODEL', 'the model must be an object (a Hatch model as JSON)']);
    expect(codeOf(() => grade({ entities: {} } as unknown as Model, scenario))).toEqual(['GRADE_INVALID_MODEL', 'model.entities must be a list; parse the model with parseModel() first']);
    const noFields = { ...modelSchema.parse({}), entities: [{ id: 'e', name: 'x' }] } as unknown as Model;
    expect(codeOf(() => grade(noFields, scenario))[1]).toMatch(/model\.entities\[0\] needs fields, indexes and constraints lists/);
  });

  it('rejects a scenario that was not loaded, and bad options', () => {
    expect(codeOf(() => grade(reference, {} as typeof scenario))[0]).toBe('GRADE_INVALID_SCENARIO');
    expect(codeOf(() => grade(reference, scenario, { maxJoinHops: 0 }))).toEqual(['GRADE_INVALID_OPTIONS', 'maxJoinHops must be a whole number from 1 to 8']);
    expect(codeOf(() => grade(reference, scenario, { matchThreshold: 2 }))[0]).toBe('GRADE_INVALID_OPTIONS');
  });
});
