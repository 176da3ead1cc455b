import { stringify } from 'yaml';
import { createScenarioLibrary, summarizeScenario, toPublicScenario } from './scenario-library';
import { ScenarioLoadError } from './scenario-load.error';
import { parseScenario } from './scenario-parser';
import { tinyScenario } from './scenario.test-util';

const scenario = (id: string) => parseScenario(stringify(tinyScenario(id)), `${id}.yaml`);

describe('scenario library', () => {
  it('lists scenarios sorted by id and finds them by id', () => {
    const library = createScenarioLibrary([scenario('b-scenario'), scenario('a-scenario')]);
    expect(library.list().map((s) => s.id)).toEqual(['a-scenario', 'b-scenario']);
    expect(library.get('b-scenario')?.id).toBe('b-scenario');
    expect(library.get('c-scenario')).toBeUndefined();
    library.list().pop();
    expect(library.list()).toHaveLength(2);
  });

  it('rejects two scenarios with one id', () => {
    expect(() => createScenarioLibrary([scenario('a-scenario'), scenario('a-scenario')], ['x/a.yaml', 'y/a.yaml'])).toThrow(
      new ScenarioLoadError([{ file: 'y/a.yaml', path: 'id', reason: 'duplicate scenario id "a-scenario" (also in x/a.yaml)' }]),
    );
  });

  it('the public scenario keeps what a candidate may read and nothing of the answer key', () => {
    const full = scenario('a-scenario');
    const shown = createScenarioLibrary([full]).toPublicScenario(full);
    expect(shown).toEqual({
      id: 'a-scenario',
      version: 1,
      title: 'Tiny SaaS',
      prompt: 'Model tenants and their invoices.',
      formats: ['multi-tenant-saas'],
      difficulty: 'junior',
      timePerStage: { frame: 5, list: 10, optimize: 5, win: 5 },
      productQuestions: [{ id: 'revenue-per-tenant', category: 'monetization', question: 'How much did each tenant pay?' }],
    });
    const text = JSON.stringify(shown);
    for (const secret of ['referenceModel', 'concepts', 'followUps', 'rubric', 'tenancy', 'referenceSql', 'bills', 'e_invoices', 'account_id', 'Tenant admin']) {
      expect(text).not.toContain(secret);
    }
    // Copies, so a caller cannot change the loaded scenario through them.
    shown.formats.push('marketplace');
    expect(full.formats).toEqual(['multi-tenant-saas']);
  });

  it('summarizes a scenario for lists', () => {
    expect(summarizeScenario(scenario('a-scenario'))).toEqual({
      id: 'a-scenario',
      version: 1,
      title: 'Tiny SaaS',
      formats: ['multi-tenant-saas'],
      difficulty: 'junior',
      totalMinutes: 25,
    });
  });
});

describe('toPublicScenario', () => {
  it('is the same function the library exposes', () => {
    expect(createScenarioLibrary([]).toPublicScenario).toBe(toPublicScenario);
  });
});
