import type { Entity, Field, Model } from '@hatch/model';
import { grade } from './grader';
import { addField, buildModel, checkOf, clone, tinyScenario } from './grader.test-util';
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

describe('[rubric constraint foreign_key] an authored foreign key names its target', () => {
  const fkScenario = tinyScenario((data) => {
    data.rubric = {
      list: [
        {
          id: 'items-stay-in-tenant',
          kind: 'constraint',
          description: 'Invoice lines point at an invoice of their own tenant',
          concept: 'invoice-item',
          constraint: 'foreign_key',
          fields: ['tenant_id', 'invoice_id'],
          references: 'invoices',
        },
      ],
    };
  });
  const items = (model: Model) => model.entities.find((e) => e.name === 'invoice_items') as Entity;

  it('[rubric.items-stay-in-tenant] passes on the reference model, which has the composite key', () => {
    const check = checkOf(grade(fkScenario.referenceModel, fkScenario), 'rubric.items-stay-in-tenant');
    expect(check).toMatchObject({ status: 'passed', ratio: 1, move: 'keys-and-constraints' });
    expect(check?.evidence).toEqual([expect.objectContaining({ name: 'foreign key (tenant_id, invoice_id) on invoice_items', note: 'declared' })]);
  });

  it('[rubric.items-stay-in-tenant] earns half for a narrower key and nothing without one, naming the target', () => {
    const narrow = clone(fkScenario.referenceModel);
    items(narrow).constraints = items(narrow).constraints.filter((c) => c.kind !== 'foreign_key');
    narrow.relationships = narrow.relationships.filter((r) => !(r.fromEntityId === 'e_invoices' && r.toEntityId === 'e_invoice_items'));
    const unlinked = clone(narrow);
    (items(narrow).fields.find((f) => f.name === 'invoice_id') as Field).references = { entityId: 'e_invoices', fieldId: 'f_invoices_id', onDelete: 'cascade' };
    expect(checkOf(grade(narrow, fkScenario), 'rubric.items-stay-in-tenant')).toMatchObject({ status: 'partial', ratio: 0.5, hint: expect.stringMatching(/another tenant's invoices: make the foreign key composite/) });
    expect(checkOf(grade(unlinked, fkScenario), 'rubric.items-stay-in-tenant')).toMatchObject({
      status: 'failed',
      hint: 'Enforce it in the database: a foreign key invoice_items(tenant_id, invoice_id) → invoices.',
    });
  });
});

describe('audit logs are told by the concept’s role, not by "audit" in a name', () => {
  const auditScenario = tinyScenario((data) => {
    const entities = data.referenceModel.entities as Record<string, unknown>;
    const tenantId = { type: 'uuid', references: 'tenants.id', onDelete: 'restrict' };
    entities.audit_exports = {
      description: 'A tenant admin’s request to export the audit log as CSV; its status moves as the job runs.',
      fields: { id: { type: 'uuid', pk: true }, tenant_id: tenantId, requested_by: 'uuid', status: 'text', file_url: { type: 'text', nullable: true }, created_at: 'timestamptz', updated_at: 'timestamptz' },
      indexes: [['tenant_id', 'created_at']],
    };
    entities.security_events = {
      description: 'Who did what to which object. Append-only.',
      fields: { id: { type: 'uuid', pk: true }, tenant_id: tenantId, actor_id: 'uuid', action: 'text', target_id: 'text', changes: 'jsonb', occurred_at: 'timestamptz' },
      indexes: [['tenant_id', 'occurred_at']],
    };
    (data.concepts as unknown[]).push(
      { id: 'audit-export', entity: 'audit_exports', importance: 'supporting', aliases: ['audit_export_jobs', 'audit_checkpoints'] },
      { id: 'security-event', entity: 'security_events', role: 'audit-log', aliases: ['security_log'] },
    );
  });
  const specs = scenarioFacts(auditScenario).specs;

  it('[append-only.*] role: audit-log asks for every audit part; a supporting table named audit_* gets no append-only check', () => {
    expect(specs.find((spec) => spec.id === 'append-only.security-event')).toMatchObject({ kind: 'append-only', parts: ['actor', 'action', 'target', 'changes', 'time'] });
    expect(specs.map((spec) => spec.id)).not.toContain('append-only.audit-export');
  });

  it('[audit-append-only] leaves a supporting audit_* table with updated_at alone', () => {
    const result = grade(auditScenario.referenceModel, auditScenario);
    expect(checkOf(result, 'audit-append-only')).toMatchObject({ status: 'passed', ratio: 1 });
    expect(checkOf(result, 'append-only.security-event')).toMatchObject({ status: 'passed' });
  });

  it('[audit-append-only] holds the table matched to the audit-log concept to every part, whatever its name', () => {
    const model = renameAndDrop(auditScenario.referenceModel, 'security_events', 'security_log', 'actor_id');
    const result = grade(model, auditScenario);
    expect(checkOf(result, 'audit-append-only')?.hint).toMatch(/Security log cannot say who did what to which object: record the actor/);
    expect(checkOf(result, 'append-only.security-event')).toMatchObject({ status: 'partial', hint: expect.stringMatching(/should record the actor/) });
  });

  it('[audit-append-only] without a scenario concept, a table is an audit log by its head noun: audit_logs is, audit_checkpoints is not', () => {
    const table = (name: string) =>
      buildModel({
        entities: {
          tenants: { fields: { id: { type: 'uuid', pk: true }, created_at: 'timestamptz' } },
          [name]: { fields: { id: { type: 'uuid', pk: true }, tenant_id: { type: 'uuid', references: 'tenants.id', onDelete: 'restrict' }, position: 'bigint', created_at: 'timestamptz', updated_at: 'timestamptz' }, indexes: [['tenant_id']] },
        },
      });
    const plain = tinyScenario();
    expect(checkOf(grade(table('audit_logs'), plain), 'audit-append-only')?.status).toBe('failed');
    expect(checkOf(grade(table('audit_log_entries'), plain), 'audit-append-only')?.status).toBe('failed');
    expect(checkOf(grade(table('audit_checkpoints'), plain), 'audit-append-only')).toBeUndefined();
    expect(checkOf(grade(table('audit_exports'), plain), 'audit-append-only')).toBeUndefined();
  });
});

/** Renames an entity and drops one of its fields (a candidate's variant of a reference table). */
function renameAndDrop(input: Model, from: string, to: string, field: string): Model {
  const model = clone(input);
  const entity = model.entities.find((e) => e.name === from);
  if (!entity) throw new Error(`no entity ${from}`);
  entity.name = to;
  entity.fields = entity.fields.filter((f) => f.name !== field);
  return model;
}
