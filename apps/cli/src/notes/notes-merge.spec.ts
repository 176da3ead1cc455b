import { grade } from '@hatch/grader';
import { parseModel, type Model } from '@hatch/model';
import type { Scenario } from '@hatch/scenarios';
import { DEFAULT_SCENARIOS_DIR, loadScenario } from '../input/scenario-source';
import { applyNotes } from './notes-merge';
import { parseNotes } from './notes-parser';
import { renderNotes } from './notes-renderer';
import { NotesError } from './notes.errors';

const model = parseModel({
  entities: [
    { id: 'e_tenants', name: 'tenants', fields: [{ id: 'f_t_id', name: 'id', type: 'uuid', primaryKey: true, nullable: false }] },
    { id: 'act_n1', name: 'API_Keys', fields: [{ id: 'f_k_id', name: 'id', type: 'uuid', primaryKey: true, nullable: false }] },
  ],
  frame: {
    domain: 'the model file says this',
    actors: [{ id: 'a_old', name: 'Old actor' }],
    rules: [{ id: 'r_old', text: 'a rule from the model file' }],
  },
  win: { answers: [{ id: 'w_old', question: 'old question', answer: 'old answer' }] },
});

let saas: Scenario;
beforeAll(() => {
  saas = loadScenario(DEFAULT_SCENARIOS_DIR, 'saas-billing-metering-audit');
});

const problemsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof NotesError) return error.problems;
    throw error;
  }
  throw new Error('expected a NotesError');
};

describe('applyNotes', () => {
  it('replaces the sections the notes have and keeps the rest of the model', () => {
    const merged = applyNotes(model, parseNotes('## Actors\n- Tenant admin: runs the account\n'));
    expect(merged.frame.actors).toEqual([{ id: expect.any(String), name: 'Tenant admin', description: 'runs the account' }]);
    expect(merged.frame.domain).toBe('the model file says this');
    expect(merged.frame.rules).toEqual(model.frame.rules);
    expect(merged.win).toEqual(model.win);
    expect(merged.entities).toEqual(model.entities);
    expect(model.frame.actors[0].name).toBe('Old actor'); // the input is not changed
  });

  it('gives new elements ids no kept element uses', () => {
    const merged = applyNotes(model, parseNotes('## Actors\n- One\n- Two\n'));
    const ids = merged.frame.actors.map((actor) => actor.id);
    expect(new Set(ids).size).toBe(2);
    expect(ids).not.toContain('act_n1'); // taken by an entity
  });

  it('resolves the tables of an access pattern by name, in any case', () => {
    const merged = applyNotes(model, parseNotes('## Access patterns\n- (high) Look up a key (tables: api_keys, TENANTS)\n'));
    expect(merged.frame.accessPatterns[0]).toMatchObject({ frequency: 'high', entityIds: ['act_n1', 'e_tenants'] });
  });

  it('reports a table the model does not have, with the line and the tables it has', () => {
    const problems = problemsOf(() => applyNotes(model, parseNotes('## Access patterns\n\n- Look up a key (tables: keys)\n')));
    expect(problems).toEqual([{ line: 3, message: 'Access patterns: the model has no table "keys" (tables: tenants, API_Keys)' }]);
  });

  it('fills the question of an answer headed by a scenario question id', () => {
    const merged = applyNotes(model, parseNotes('## Win\n### revenue-by-plan\nSum the lines.\n'), { scenario: saas });
    expect(merged.win.answers).toEqual([
      {
        id: expect.any(String),
        questionId: 'revenue-by-plan',
        question: saas.productQuestions.find((q) => q.id === 'revenue-by-plan')?.question,
        answer: 'Sum the lines.',
        sql: '',
      },
    ]);
  });

  it('recognizes a heading that repeats a question word for word', () => {
    const question = saas.productQuestions[0];
    const merged = applyNotes(model, parseNotes(`## Win\n### ${question.question.toUpperCase()}\nx\n`), { scenario: saas });
    expect(merged.win.answers[0].questionId).toBe(question.id);
  });

  it('keeps a free-form question without an id', () => {
    const merged = applyNotes(model, parseNotes('## Win\n### Which tenants grew fastest?\nx\n'), { scenario: saas });
    expect(merged.win.answers[0]).toMatchObject({ questionId: null, question: 'Which tenants grew fastest?' });
  });

  it('reports an unknown question id, listing the scenario questions', () => {
    const problems = problemsOf(() => applyNotes(model, parseNotes('## Win\n### revenue-per-plan\nx\n'), { scenario: saas }));
    expect(problems[0].line).toBe(2);
    expect(problems[0].message).toContain('scenario "saas-billing-metering-audit" has no question "revenue-per-plan"');
    expect(problems[0].message).toContain('revenue-by-plan');
  });

  it('takes an id-like heading as the id when there is no scenario', () => {
    const merged = applyNotes(model, parseNotes('## Win\n### revenue-per-plan\nx\n'));
    expect(merged.win.answers[0]).toMatchObject({ questionId: 'revenue-per-plan', question: '' });
  });

  it('reports a question answered twice', () => {
    const problems = problemsOf(() => applyNotes(model, parseNotes('## Win\n### revenue-by-plan\na\n### revenue-by-plan: again\nb\n'), { scenario: saas }));
    expect(problems).toEqual([{ line: 4, message: 'Win: "revenue-by-plan: again" is already answered at line 2' }]);
  });

  it('reports a note over a model limit at its line', () => {
    const problems = problemsOf(() => applyNotes(model, parseNotes(`## Actors\n- ok\n- ${'x'.repeat(250)}\n`)));
    expect(problems).toEqual([{ line: 3, message: expect.stringMatching(/^Actors: the name: /) }]);
  });
});

describe('notes round trip', () => {
  const strip = (m: Model): Model => parseModel({ ...m, frame: {}, win: {} });
  const comparable = (m: Model) => ({
    domain: m.frame.domain.trim(),
    actors: m.frame.actors.map(({ name, description }) => ({ name, description })),
    rules: m.frame.rules.map(({ kind, text }) => ({ kind, text })),
    accessPatterns: m.frame.accessPatterns.map(({ description, frequency, entityIds }) => ({ description, frequency, entityIds })),
    tenancy: { strategy: m.frame.tenancy.strategy, notes: m.frame.tenancy.notes.trim() },
    answers: m.win.answers.map(({ questionId, question, answer, sql }) => ({ questionId, question, answer: answer.trim(), sql: sql.trim() })),
  });

  it('renders a reference model\'s Frame and Win notes so that they read back the same', () => {
    const reference = saas.referenceModel;
    const merged = applyNotes(strip(reference), parseNotes(renderNotes(reference)), { scenario: saas });
    expect(comparable(merged)).toEqual(comparable(reference));
  });

  it('restores the Frame and Win scores of a reference model stripped of its notes', () => {
    const reference = saas.referenceModel;
    const stripped = strip(reference);
    const before = grade(stripped, saas);
    const after = grade(applyNotes(stripped, parseNotes(renderNotes(reference)), { scenario: saas }), saas);
    const full = grade(reference, saas);
    expect(before.stages.frame.score).toBeLessThan(10);
    expect(after.stages.frame.score).toBe(full.stages.frame.score);
    expect(after.stages.win.score).toBe(full.stages.win.score);
    expect(after.stages.win.score).toBeGreaterThan(before.stages.win.score);
  });

  it('leaves out empty sections', () => {
    expect(renderNotes(parseModel({}), 'Empty')).toBe('# Empty\n');
  });
});
