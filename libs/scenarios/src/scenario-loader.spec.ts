import { join } from 'node:path';
import { loadScenarioLibrary } from './scenario-loader';
import { ScenarioLoadError, type ScenarioProblem } from './scenario-load.error';
import { removeScenarioDirs, scenarioDir, tinyScenario, toYaml } from './scenario.test-util';

const REPO_SCENARIOS = join(__dirname, '../../../scenarios');

afterAll(removeScenarioDirs);

/** Loads `dir`, expecting a ScenarioLoadError, and returns it. */
function loadError(dir: string): ScenarioLoadError {
  try {
    loadScenarioLibrary(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioLoadError);
    return error as ScenarioLoadError;
  }
  throw new Error(`expected ${dir} to fail to load`);
}

const onlyProblem = (error: ScenarioLoadError): ScenarioProblem => {
  expect(error.problems).toHaveLength(1);
  return error.problems[0];
};

describe('loadScenarioLibrary', () => {
  it('loads the repository scenarios folder', () => {
    const library = loadScenarioLibrary(REPO_SCENARIOS);
    const ids = library.list().map((scenario) => scenario.id);
    expect(ids).toContain('saas-billing-metering-audit');
    expect(ids).toEqual([...ids].sort());
    expect(library.get('saas-billing-metering-audit')?.referenceModel.entities.length).toBeGreaterThan(10);
  });

  it('reads .yaml and .yml files, ignores other files, and sorts by id', () => {
    const dir = scenarioDir({
      'zeta.yml': toYaml(tinyScenario('zeta')),
      'alpha.yaml': toYaml(tinyScenario('alpha')),
      'README.md': '# not a scenario',
    });
    const library = loadScenarioLibrary(dir);
    expect(library.list().map((s) => s.id)).toEqual(['alpha', 'zeta']);
    expect(library.get('zeta')?.title).toBe('Tiny SaaS');
    expect(library.get('missing')).toBeUndefined();
  });

  it('an empty folder is an empty library', () => {
    expect(loadScenarioLibrary(scenarioDir({})).list()).toEqual([]);
  });

  it('rejects a folder that does not exist', () => {
    const problem = onlyProblem(loadError('/nonexistent/hatch-scenarios'));
    expect(problem.file).toBe('/nonexistent/hatch-scenarios');
    expect(problem.reason).toMatch(/cannot read the scenario folder: ENOENT/);
  });

  it('rejects a YAML syntax error with its line and column', () => {
    const dir = scenarioDir({ 'broken.yaml': 'formatVersion: 1\nid: broken\ntitle: [unclosed\nversion: 1\n' });
    const error = loadError(dir);
    const problem = error.problems[0];
    expect(error.code).toBe('SCENARIO_INVALID');
    expect(problem.file).toBe(join(dir, 'broken.yaml'));
    expect(problem.path).toBe('');
    expect(problem.reason).toMatch(/^YAML syntax error: /);
    expect(problem.line).toBeGreaterThanOrEqual(3);
    expect(problem.column).toBeGreaterThanOrEqual(1);
  });

  it('rejects a missing required field', () => {
    const { title: _title, ...withoutTitle } = tinyScenario();
    const dir = scenarioDir({ 'tiny-saas.yaml': toYaml(withoutTitle) });
    const problem = onlyProblem(loadError(dir));
    expect(problem).toMatchObject({ file: join(dir, 'tiny-saas.yaml'), path: 'title', reason: 'required' });
  });

  it('rejects a value outside an enum, naming file, path and allowed values', () => {
    const scenario = tinyScenario();
    scenario.accessPatterns[0].frequency = 'often';
    const dir = scenarioDir({ 'tiny-saas.yaml': toYaml(scenario) });
    const error = loadError(dir);
    const problem = onlyProblem(error);
    expect(problem.path).toBe('accessPatterns[0].frequency');
    expect(problem.reason).toBe('expected one of high|medium|low, got "often"');
    expect(error.message).toContain('tiny-saas.yaml: accessPatterns[0].frequency: expected one of high|medium|low');
    expect(problem.line).toBe(toYaml(scenario).split('\n').findIndex((line) => line.includes('frequency: often')) + 1);
  });

  it('rejects a reference model element that references an unknown entity', () => {
    const scenario = tinyScenario();
    scenario.referenceModel.entities.invoices.fields.tenant_id.references = 'tenant.id';
    const dir = scenarioDir({ 'tiny-saas.yaml': toYaml(scenario) });
    const problem = onlyProblem(loadError(dir));
    expect(problem.path).toBe('referenceModel.entities.invoices.fields.tenant_id.references');
    expect(problem.reason).toBe('unknown entity "tenant" (did you mean "tenants"?)');
  });

  it('rejects a reference model element that breaks the model schema, at the authored path', () => {
    const scenario = tinyScenario();
    const longName = 'x'.repeat(70);
    (scenario.referenceModel.entities as Record<string, unknown>)[longName] = { fields: { id: 'uuid' } };
    const dir = scenarioDir({ 'tiny-saas.yaml': toYaml(scenario) });
    const problem = onlyProblem(loadError(dir));
    expect(problem.path).toBe(`referenceModel.entities.${longName}.name`);
    expect(problem.reason).toMatch(/at most 63 characters/);
    expect(problem.line).toBeGreaterThan(1);
  });

  it('rejects a reference model that breaks referential integrity (validateModel), at the authored path', () => {
    const scenario = tinyScenario();
    const entities = scenario.referenceModel.entities as Record<string, unknown>;
    entities.Tenants = { fields: { id: 'uuid' } };
    (scenario.referenceModel as Record<string, unknown>).relationships = [{ from: 'tenants', to: 'invoices', cardinality: 'N:M' }];
    const dir = scenarioDir({ 'tiny-saas.yaml': toYaml(scenario) });
    const problems = loadError(dir).problems.map((p) => [p.path, p.reason]);
    expect(problems).toEqual([
      ['referenceModel.entities.Tenants.name', expect.stringMatching(/entity name "Tenants" is already used/)],
      ['referenceModel.relationships[0].throughEntityId', expect.stringMatching(/needs a join entity/)],
    ]);
  });

  it('rejects an id that differs from the file name', () => {
    const dir = scenarioDir({ 'other-name.yaml': toYaml(tinyScenario('tiny-saas')) });
    const problem = onlyProblem(loadError(dir));
    expect(problem).toMatchObject({ file: join(dir, 'other-name.yaml'), path: 'id' });
    expect(problem.reason).toBe('id "tiny-saas" must equal the file name without extension ("other-name")');
  });

  it('rejects the same id in two files', () => {
    const dir = scenarioDir({ 'tiny-saas.yaml': toYaml(tinyScenario()), 'tiny-saas.yml': toYaml(tinyScenario()) });
    const problem = onlyProblem(loadError(dir));
    expect(problem).toMatchObject({ file: join(dir, 'tiny-saas.yml'), path: 'id' });
    expect(problem.reason).toBe(`duplicate scenario id "tiny-saas" (also in ${join(dir, 'tiny-saas.yaml')})`);
  });

  it('rejects a dangling concept reference', () => {
    const scenario = tinyScenario();
    scenario.followUps[0].concepts = ['invoices'];
    const dir = scenarioDir({ 'tiny-saas.yaml': toYaml(scenario) });
    const problem = onlyProblem(loadError(dir));
    expect(problem.path).toBe('followUps[0].concepts[0]');
    expect(problem.reason).toBe('unknown concept "invoices" (did you mean "invoice"?)');
  });

  it('reads follow-up probes and rejects a repeated or malformed one', () => {
    const scenario = tinyScenario() as ReturnType<typeof tinyScenario> & { followUps: { probes?: string[] }[] };
    scenario.followUps[0].probes = ['tenant-boundaries', 'history'];
    expect(loadScenarioLibrary(scenarioDir({ 'tiny-saas.yaml': toYaml(scenario) })).list()[0].followUps[0].probes).toEqual(['tenant-boundaries', 'history']);
    scenario.followUps[0].probes = ['history', 'history'];
    expect(onlyProblem(loadError(scenarioDir({ 'tiny-saas.yaml': toYaml(scenario) })))).toMatchObject({ path: 'followUps[0].probes', reason: 'probes must not repeat' });
    scenario.followUps[0].probes = ['Tenant Boundaries'];
    expect(onlyProblem(loadError(scenarioDir({ 'tiny-saas.yaml': toYaml(scenario) })))).toMatchObject({ path: 'followUps[0].probes[0]' });
  });

  it('rejects a concept whose reference entity does not exist', () => {
    const scenario = tinyScenario();
    scenario.concepts[1].entity = 'bills_table';
    const dir = scenarioDir({ 'tiny-saas.yaml': toYaml(scenario) });
    const problem = onlyProblem(loadError(dir));
    expect(problem).toMatchObject({ path: 'concepts[1].entity', reason: 'unknown reference entity "bills_table"' });
  });

  it('collects the problems of every bad file in one error', () => {
    const badEnum = tinyScenario('bad-enum');
    badEnum.difficulty = 'impossible';
    const badConcept = tinyScenario('bad-concept');
    badConcept.rules[0].concepts = ['nothing'];
    const dir = scenarioDir({
      'bad-enum.yaml': toYaml(badEnum),
      'bad-concept.yaml': toYaml(badConcept),
      'good.yaml': toYaml(tinyScenario('good')),
    });
    const error = loadError(dir);
    expect(error.problems.map((p) => [p.file, p.path])).toEqual([
      [join(dir, 'bad-concept.yaml'), 'rules[0].concepts[0]'],
      [join(dir, 'bad-enum.yaml'), 'difficulty'],
    ]);
    expect(error.message.split('\n')[0]).toBe('2 problems in scenario files:');
    expect(error.file).toBe(join(dir, 'bad-concept.yaml'));
  });
});
