import { grade } from './grader';
import { addField, checkOf, clone, tinyScenario } from './grader.test-util';
import { scenarioFacts } from './scenario-facts';

/** Authored rubric entries of every kind, and the checks derived from the scenario's data. */

const scenario = tinyScenario((data) => {
  data.rubric = {
    frame: [{ id: 'mentions-rls', kind: 'frame-mentions', description: 'Names row-level security', terms: ['row-level security', 'composite foreign keys'], min: 1 }],
    list: [
      { id: 'core', kind: 'required-concepts', description: 'Tenants and invoices', concepts: ['tenant', 'invoice'] },
      { id: 'user-email', kind: 'required-fields', description: 'Users have an email', concept: 'user', fields: ['email'] },
      { id: 'tenant-meters', kind: 'relationship', description: 'Tenants define meters', from: 'tenant', to: 'meter', cardinality: '1:N' },
      { id: 'invoice-key', kind: 'constraint', description: 'Invoices are unique per tenant', concept: 'invoice', constraint: 'unique', fields: ['tenant_id', 'id'] },
      { id: 'invoice-total', kind: 'constraint', description: 'Totals are never negative', concept: 'invoice', constraint: 'check', fields: ['total_minor'], hint: 'Add CHECK (total_minor >= 0).' },
      { id: 'invoice-money', kind: 'money', description: 'Invoice money is exact', concepts: ['invoice'] },
      { id: 'usage-once', kind: 'idempotency-key', description: 'Usage counted once', concept: 'usage-event', field: 'idempotency_key' },
      { id: 'invoice-sent', kind: 'event', description: 'Tracks sent invoices', name: 'invoice_sent', aliases: ['invoice_emailed'], concept: 'invoice', weight: 2 },
    ],
    optimize: [
      { id: 'invoices-by-time', kind: 'index', description: 'Recent invoices of a tenant', concept: 'invoice', fields: ['tenant_id', 'created_at'] },
      { id: 'all-scoped', kind: 'tenant-scoped', description: 'Tenant data is scoped' },
      { id: 'unique-with-tenant', kind: 'unique-keys-include-tenant', description: 'Unique keys include the tenant', concepts: ['invoice', 'user'] },
      { id: 'invoice-states', kind: 'state-history', description: 'Invoice transitions are kept', concept: 'invoice', field: 'status' },
      { id: 'meter-versions', kind: 'validity-range', description: 'Meters keep history', concept: 'meter', move: 'meter-history' },
      { id: 'usage-log', kind: 'append-only', description: 'Usage is append-only', concept: 'usage-event' },
    ],
    win: [{ id: 'revenue-one-hop', kind: 'answerable', description: 'Revenue in one join', question: 'revenue-per-tenant', maxHops: 1 }],
  };
});
const reference = grade(scenario.referenceModel, scenario);

describe('authored rubric checks', () => {
  it('are reported as rubric.<id> in their stage, with the move of their kind unless given', () => {
    expect(checkOf(reference, 'rubric.invoice-total')).toMatchObject({ stage: 'list', move: 'keys-and-constraints', source: 'rubric', title: 'Totals are never negative' });
    expect(checkOf(reference, 'rubric.meter-versions')).toMatchObject({ stage: 'optimize', move: 'meter-history' });
    expect(checkOf(reference, 'rubric.invoice-sent')?.weight).toBe(2);
  });

  it('evaluate against the reference model', () => {
    const statuses = Object.fromEntries(
      Object.values(reference.stages)
        .flatMap((stage) => stage.checks)
        .filter((check) => check.id.startsWith('rubric.'))
        .map((check) => [check.id, check.status]),
    );
    expect(statuses).toEqual({
      'rubric.mentions-rls': 'passed',
      'rubric.core': 'passed',
      'rubric.user-email': 'passed',
      'rubric.tenant-meters': 'failed',
      'rubric.invoice-key': 'passed',
      'rubric.invoice-total': 'failed',
      'rubric.invoice-money': 'passed',
      'rubric.usage-once': 'passed',
      'rubric.invoice-sent': 'failed',
      'rubric.invoices-by-time': 'partial',
      'rubric.all-scoped': 'passed',
      'rubric.unique-with-tenant': 'passed',
      'rubric.invoice-states': 'passed',
      'rubric.meter-versions': 'failed',
      'rubric.usage-log': 'passed',
      'rubric.revenue-one-hop': 'passed',
    });
  });

  it('use the authored hint when they fail', () => {
    expect(checkOf(reference, 'rubric.invoice-total')?.hint).toBe('Add CHECK (total_minor >= 0).');
    expect(checkOf(reference, 'rubric.invoices-by-time')?.hint).toMatch(/an index on invoices \(tenant_id, created_at\), in that order/);
  });

  it('[event] finds an event by alias and checks its entity', () => {
    const model = clone(scenario.referenceModel);
    model.events.push({ id: 'ev_sent', name: 'invoice_emailed', description: '', trigger: '', entityId: 'e_invoices', properties: [] });
    expect(checkOf(grade(model, scenario), 'rubric.invoice-sent')).toMatchObject({ status: 'passed', ratio: 1 });
  });

  it('[append-only] a usage log with updated_at is no longer append-only', () => {
    const model = addField(scenario.referenceModel, 'e_usage_events', { id: 'f_u', name: 'updated_at', type: 'timestamptz' });
    expect(checkOf(grade(model, scenario), 'rubric.usage-log')).toMatchObject({ status: 'partial', ratio: 0.5 });
  });
});

describe('derived rubric checks', () => {
  const facts = scenarioFacts(scenario);

  it('turn invariants into the constraints the reference model enforces them with', () => {
    const invariants = facts.specs.filter((spec) => spec.kind === 'constraints' && spec.id.startsWith('invariant.'));
    expect(invariants.map((spec) => [spec.id, spec.kind === 'constraints' ? spec.expected.map((e) => e.label) : []])).toEqual([
      ['invariant.scoped', ['foreign key (tenant_id, invoice_id) on invoice_items → invoices']],
      ['invariant.usage-once', ['unique (tenant_id, idempotency_key) on usage_events']],
    ]);
  });

  it('derive relationships with cardinality, access-pattern indexes, tenant scoping, money, events and questions', () => {
    const ids = facts.specs.map((spec) => spec.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'relationship.tenant.invoice',
        'relationship.invoice.invoice-item',
        'access-pattern.list-invoices',
        'tenant-scoped.invoice',
        'tenant-scoped.usage-event',
        'money.invoice',
        'idempotency.usage-event',
        'event.invoice_paid',
        'answerable.revenue-per-tenant',
        'answer.revenue-per-tenant',
        'frame.access-patterns',
      ]),
    );
    expect(ids).not.toContain('tenant-scoped.meter');
  });

  it('are computed once per scenario object', () => {
    expect(scenarioFacts(scenario)).toBe(facts);
  });

  it('[relationship.*] credit half when the entities are related with another cardinality', () => {
    const model = clone(scenario.referenceModel);
    model.relationships.push({ id: 'r_nm', name: '', fromEntityId: 'e_tenants', fromFieldIds: [], toEntityId: 'e_meters', toFieldIds: [], cardinality: 'N:M', throughEntityId: 'e_usage_events', onDelete: null, description: '' });
    expect(checkOf(grade(model, scenario), 'rubric.tenant-meters')).toMatchObject({ ratio: 0.5, hint: expect.stringMatching(/related as N:M, but the scenario needs 1:N/) });
  });
});
