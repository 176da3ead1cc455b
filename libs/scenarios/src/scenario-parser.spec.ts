import { stringify } from 'yaml';
import { parseIssuePath } from './scenario-builder';
import { analyzeScenario, MAX_SCENARIO_FILE_BYTES, parseScenario, scenarioIdFromFileName } from './scenario-parser';
import { ScenarioLoadError, type ScenarioProblem } from './scenario-load.error';
import { tinyScenario } from './scenario.test-util';

const FILE = 'scenarios/tiny-saas.yaml';

function problemsOf(data: unknown, file = FILE): ScenarioProblem[] {
  const text = typeof data === 'string' ? data : stringify(data);
  const analysis = analyzeScenario(text, file);
  if (analysis.ok) throw new Error('expected the scenario to be rejected');
  return analysis.problems;
}

const reasons = (problems: ScenarioProblem[]) => problems.map((p) => `${p.path}: ${p.reason}`);

describe('parseScenario', () => {
  it('converts the compact reference model and resolves names to ids', () => {
    const scenario = parseScenario(stringify(tinyScenario()), FILE);
    const invoices = scenario.referenceModel.entities.find((entity) => entity.name === 'invoices');
    expect(invoices?.id).toBe('e_invoices');
    expect(invoices?.fields.find((f) => f.name === 'tenant_id')).toMatchObject({
      id: 'f_invoices_tenant_id',
      nullable: false,
      references: { entityId: 'e_tenants', fieldId: 'f_tenants_id', onDelete: 'restrict' },
    });
    expect(scenario.accessPatterns[0].keyFields).toEqual([
      { concept: 'invoice', field: 'tenant_id', fieldId: 'f_invoices_tenant_id' },
      { concept: 'invoice', field: 'status', fieldId: 'f_invoices_status' },
    ]);
    expect(scenario.concepts[1]).toMatchObject({
      entity: 'invoices',
      entityId: 'e_invoices',
      importance: 'core',
      fields: [
        { name: 'tenant_id', fieldId: 'f_invoices_tenant_id', aliases: ['account_id'] },
        { name: 'status', fieldId: 'f_invoices_status', aliases: [] },
      ],
    });
  });

  it("fills the reference model's frame and win from the scenario", () => {
    const { referenceModel } = parseScenario(stringify(tinyScenario()), FILE);
    expect(referenceModel.frame.actors).toEqual([{ id: 'admin', name: 'Tenant admin', description: '' }]);
    expect(referenceModel.frame.accessPatterns[0]).toMatchObject({ id: 'list-invoices', frequency: 'high', entityIds: ['e_invoices'] });
    expect(referenceModel.frame.tenancy).toEqual({ strategy: 'shared-schema', notes: 'Many small tenants share tables keyed by tenant_id.' });
    expect(referenceModel.win.answers).toEqual([
      expect.objectContaining({ questionId: 'revenue-per-tenant', sql: expect.stringContaining('FROM invoices') }),
    ]);
  });

  it('defaults optional parts: follow-up move, rubric, drills', () => {
    const scenario = parseScenario(stringify(tinyScenario()), FILE);
    expect(scenario.followUps[0].move).toBe('optimize');
    expect(scenario.followUps[0].probes).toEqual([]);
    expect(scenario.rubric).toEqual({ frame: [], list: [], optimize: [], win: [] });
    expect(scenario.drills).toEqual([]);
  });

  it('accepts rubric checks and drills, converting a drill start model', () => {
    const data = {
      ...tinyScenario(),
      rubric: {
        list: [{ id: 'invoice-status', kind: 'required-fields', description: 'Invoices keep a status', concept: 'invoice', fields: ['status'] }],
      },
      drills: [
        {
          id: 'add-tenant-scoping',
          stage: 'optimize',
          title: 'Scope invoices to tenants',
          task: 'Add what keeps invoices inside one tenant.',
          concepts: ['invoice'],
          startModel: { entities: { invoices: { fields: { id: { type: 'uuid', pk: true } } } } },
        },
      ],
    };
    const scenario = parseScenario(stringify(data), FILE);
    expect(scenario.rubric.list[0]).toEqual({
      id: 'invoice-status',
      kind: 'required-fields',
      description: 'Invoices keep a status',
      weight: 1,
      concepts: [],
      hint: '',
      concept: 'invoice',
      fields: ['status'],
    });
    expect(scenario.drills[0].minutes).toBe(10);
    expect(scenario.drills[0].startModel.entities[0].fields[0].id).toBe('f_invoices_id');
  });

  it('throws ScenarioLoadError with code SCENARIO_INVALID', () => {
    const data = tinyScenario();
    data.difficulty = 'hard';
    expect(() => parseScenario(stringify(data), FILE)).toThrow(ScenarioLoadError);
    try {
      parseScenario(stringify(data), FILE);
    } catch (error) {
      expect(error).toMatchObject({ code: 'SCENARIO_INVALID', file: FILE, path: 'difficulty' });
      const line = stringify(data).split('\n').indexOf('difficulty: hard') + 1;
      expect((error as Error).message).toBe(`${FILE}: difficulty: expected one of junior|mid|senior|staff, got "hard" (line ${line}, column 13)`);
    }
  });

  it('reports every schema problem of a file, unknown keys one by one', () => {
    const data = tinyScenario() as Record<string, unknown>;
    data.titel = 'typo';
    data.version = 0;
    (data.timePerStage as Record<string, unknown>).frame = 'five';
    expect(reasons(problemsOf(data))).toEqual([
      'version: must be at least 1',
      'timePerStage.frame: expected a number, got "five"',
      'titel: unknown key',
    ]);
  });

  it('explains a shorthand of the wrong type', () => {
    const data = tinyScenario();
    (data.referenceModel.entities.tenants.fields as Record<string, unknown>).name = 42;
    expect(reasons(problemsOf(data))).toEqual(['referenceModel.entities.tenants.fields.name: expected a type (e.g. uuid) or a field object']);
  });

  it('refuses another formatVersion without validating the rest', () => {
    const problems = problemsOf({ formatVersion: 2, id: 'tiny-saas' });
    expect(reasons(problems)).toEqual(['formatVersion: unsupported formatVersion 2; this loader reads formatVersion 1']);
    expect(problems[0].line).toBe(1);
  });

  it('rejects a top level that is not a mapping, several documents, and duplicate keys', () => {
    expect(reasons(problemsOf('- just\n- a list\n'))).toEqual([': expected a mapping of scenario fields at the top level']);
    expect(problemsOf('a: 1\n---\nb: 2\n')[0].reason).toMatch(/YAML syntax error: .*multiple documents/);
    const duplicate = problemsOf('formatVersion: 1\nid: x\nid: y\n');
    expect(duplicate[0]).toMatchObject({ path: '', line: 3, column: 1 });
    expect(duplicate[0].reason).toMatch(/unique/);
  });

  it('rejects an oversized file and an alias bomb', () => {
    expect(problemsOf(`prompt: "${'x'.repeat(MAX_SCENARIO_FILE_BYTES)}"`)[0].reason).toMatch(/larger than/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    expect(problemsOf(bomb.join('\n'))[0].reason).toMatch(/^YAML error: .*alias/i);
  });

  it('requires a .yaml or .yml file name', () => {
    expect(reasons(problemsOf(tinyScenario(), 'tiny-saas.json'))).toEqual([': a scenario file name ends with .yaml or .yml']);
    expect(scenarioIdFromFileName('/a/b/saas.yml')).toBe('saas');
    expect(scenarioIdFromFileName('C:\\scenarios\\saas.yaml')).toBe('saas');
  });

  it('rejects duplicate ids inside a list', () => {
    const data = tinyScenario();
    data.actors.push({ id: 'admin', name: 'Another admin', aliases: [] });
    expect(reasons(problemsOf(data))).toEqual(['actors[1].id: duplicate id "admin" (also actors[0])']);
  });

  it('rejects an access pattern whose key fields no index serves', () => {
    const data = tinyScenario();
    data.accessPatterns[0].keyFields = ['invoice.status', 'invoice.tenant_id'];
    expect(reasons(problemsOf(data))).toEqual(['accessPatterns[0].keyFields: no index, unique key or primary key of invoices leads with (status, tenant_id)']);
  });

  it('accepts key fields served by a prefix of a longer index or by the primary key', () => {
    const data = tinyScenario();
    data.accessPatterns[0].keyFields = ['invoice.tenant_id'];
    expect(analyzeScenario(stringify(data), FILE).ok).toBe(true);
    data.accessPatterns[0].keyFields = ['invoice.id'];
    expect(analyzeScenario(stringify(data), FILE).ok).toBe(true);
  });

  it('rejects key fields of unknown fields or of concepts the pattern does not touch', () => {
    const data = tinyScenario();
    data.accessPatterns[0].keyFields = ['invoice.tenant', 'tenant.id'];
    expect(reasons(problemsOf(data))).toEqual([
      'accessPatterns[0].keyFields[0]: unknown field "tenant" of invoices (did you mean "tenant_id"?)',
      `accessPatterns[0].keyFields[1]: concept "tenant" is not among the pattern's concepts`,
    ]);
  });

  it('rejects an alias claimed by two concepts and concept fields that do not exist', () => {
    const data = tinyScenario();
    data.concepts[1].aliases.push('Organizations');
    (data.concepts[1].fields as unknown[]).push({ name: 'amount', aliases: [] });
    expect(reasons(problemsOf(data))).toEqual([
      'concepts[1].aliases[1]: "Organizations" is also a name of concept "tenant"',
      'concepts[1].fields[2].name: unknown field "amount" of invoices',
    ]);
  });

  it('rejects a rubric check of an unknown kind, naming the known kinds', () => {
    const data = { ...tinyScenario(), rubric: { list: [{ id: 'x', kind: 'concept-present', description: 'Models invoices' }] } };
    const [problem] = problemsOf(data);
    expect(problem.path).toBe('rubric.list[0].kind');
    expect(problem.reason).toMatch(/^expected one of required-concepts\|required-fields\|relationship\|.*frame-mentions/);
  });

  it("checks a rubric check's own fields and what it refers to", () => {
    const data = {
      ...tinyScenario(),
      rubric: {
        list: [
          { id: 'a', kind: 'relationship', description: 'Tenants have invoices', from: 'tenant', to: 'bill', cardinality: '1:N' },
          { id: 'b', kind: 'constraint', description: 'Unique numbers', concept: 'invoice', constraint: 'unique', fields: ['tenant_id', 'numbr'], rule: 'scoped' },
          { id: 'c', kind: 'idempotency-key', description: 'Once', concept: 'invoice', field: 'key' },
          { id: 'd', kind: 'index', description: 'Index', concept: 'invoice', fields: [] },
        ],
        win: [{ id: 'e', kind: 'answerable', description: 'Revenue', question: 'revenue' }],
      },
    };
    expect(reasons(problemsOf(data))).toEqual([
      'rubric.list[3].fields: name at least one field',
    ]);
    data.rubric.list.pop();
    expect(reasons(problemsOf(data))).toEqual([
      'rubric.list[0].to: unknown concept "bill"',
      'rubric.list[1].fields[1]: unknown field "numbr" of invoices',
      'rubric.list[2].field: unknown field "key" of invoices',
      'rubric.win[0].question: unknown product question "revenue" (did you mean "revenue-per-tenant"?)',
    ]);
  });

  it('[rubric constraint] a foreign_key entry names its target concept (or its table) in references, and only a foreign_key entry does', () => {
    const entry = (extra: Record<string, unknown>) => ({ id: 'fk', kind: 'constraint', description: 'Invoices belong to a tenant', concept: 'invoice', constraint: 'foreign_key', fields: ['tenant_id'], ...extra });
    const withRubric = (...list: Record<string, unknown>[]) => ({ ...tinyScenario(), rubric: { list } });
    expect(reasons(problemsOf(withRubric(entry({}))))).toEqual([
      'rubric.list[0].references: a foreign_key constraint names the concept it points at, e.g. references: tenant',
    ]);
    expect(reasons(problemsOf(withRubric(entry({ references: 'tennant' }), entry({ id: 'u', constraint: 'unique', references: 'tenant' }))))).toEqual([
      'rubric.list[0].references: unknown concept or reference table "tennant" (did you mean "tenant"?)',
      'rubric.list[1].references: references applies only to constraint: foreign_key',
    ]);
    // A concept id, or the reference table a concept models (resolved to that concept).
    const byConcept = parseScenario(stringify(withRubric(entry({ references: 'tenant' }))), FILE);
    const byTable = parseScenario(stringify(withRubric(entry({ references: 'tenants' }))), FILE);
    expect(byConcept.rubric.list[0]).toMatchObject({ constraint: 'foreign_key', references: 'tenant' });
    expect(byTable.rubric.list[0]).toMatchObject({ constraint: 'foreign_key', references: 'tenant' });
  });

  it('[rubric constraint] a foreign_key target must be a table a concept models', () => {
    const data = tinyScenario() as ReturnType<typeof tinyScenario> & { rubric?: unknown };
    (data.referenceModel.entities as Record<string, unknown>).currencies = { fields: { code: { type: 'char(3)', pk: true } } };
    data.rubric = { list: [{ id: 'fk', kind: 'constraint', description: 'Known currency', concept: 'invoice', constraint: 'foreign_key', fields: ['status'], references: 'currencies' }] };
    expect(reasons(problemsOf(data))).toEqual([
      'rubric.list[0].references: no concept models the reference table "currencies"; add a concept for it (the grader finds tables through concepts)',
    ]);
  });

  it('[concept role] accepts role: audit-log, defaults to none, and names the known roles otherwise', () => {
    const data = tinyScenario();
    (data.concepts[1] as Record<string, unknown>).role = 'audit-log';
    const scenario = parseScenario(stringify(data), FILE);
    expect(scenario.concepts.map((concept) => concept.role)).toEqual([null, 'audit-log']);
    (data.concepts[1] as Record<string, unknown>).role = 'audit';
    const [problem] = problemsOf(data);
    expect(`${problem.path}: ${problem.reason}`).toMatch(/^concepts\[1\]\.role: expected (one of )?audit-log.*got "audit"/);
  });

  it('reports drill start model problems under the drill', () => {
    const data = {
      ...tinyScenario(),
      drills: [
        {
          id: 'drill',
          stage: 'list',
          title: 'Drill',
          task: 'Do it.',
          startModel: { entities: { a: { fields: { b_id: { type: 'uuid', references: 'b.id' } } } } },
        },
      ],
    };
    expect(reasons(problemsOf(data))).toEqual(['drills[0].startModel.entities.a.fields.b_id.references: unknown entity "b"']);
  });
});

describe('parseIssuePath', () => {
  it('reads model issue paths back into segments', () => {
    expect(parseIssuePath('entities[0].fields[12].name')).toEqual(['entities', 0, 'fields', 12, 'name']);
    expect(parseIssuePath('')).toEqual([]);
  });
});
