import type { Model } from '@hatch/model';
import { grade } from '../grader';
import { buildModel, checkOf, tinyScenario } from '../grader.test-util';
import { SCHEMA_RULES } from './index';

/**
 * Each general rule on a tiny passing model and a tiny failing one. Test names cite the rule id.
 * The models are graded against a tiny multi-tenant scenario (tenants, invoices, usage).
 */

const scenario = tinyScenario();
const ruleCheck = (model: Model, id: string) => checkOf(grade(model, scenario), id);

const id = { type: 'uuid', pk: true, default: 'gen_random_uuid()' };
const createdAt = { type: 'timestamptz', default: 'now()' };
const tenantId = { type: 'uuid', references: 'tenants.id', onDelete: 'restrict' };
const tenants = { fields: { id, name: 'text', created_at: createdAt } };

interface Case {
  pass: Model;
  fail: Model;
  /** A hint phrase the failing check must carry. */
  hint: RegExp;
}

const events = (spec: Record<string, unknown>) => buildModel({ entities: { tenants, invoices: { fields: { id, tenant_id: tenantId, created_at: createdAt }, indexes: [['tenant_id']] } }, events: spec });
const paid = { entity: 'invoices', properties: { amount_minor: { type: 'integer', description: 'Amount paid, in minor units.' } } };

const cases: Record<string, Case> = {
  'primary-key': {
    pass: buildModel({ entities: { tenants } }),
    fail: buildModel({ entities: { tenants: { fields: { name: 'text', created_at: createdAt } } } }),
    hint: /tenants has no primary key/i,
  },
  'fk-declared': {
    pass: buildModel({ entities: { tenants, plans: { fields: { id, tenant_id: tenantId, created_at: createdAt }, indexes: [['tenant_id']] } } }),
    fail: buildModel({ entities: { tenants, plans: { fields: { id, tenant_id: 'uuid', created_at: createdAt } } } }),
    hint: /plans\.tenant_id names tenants but nothing enforces it: add REFERENCES tenants\(id\)/,
  },
  'fk-valid': {
    pass: buildModel({ entities: { tenants, plans: { fields: { id, tenant_id: tenantId, created_at: createdAt }, indexes: [['tenant_id']] } } }),
    fail: buildModel({ entities: { tenants, plans: { fields: { id, tenant_id: { ...tenantId, type: 'bigint' }, created_at: createdAt }, indexes: [['tenant_id']] } } }),
    hint: /plans\.tenant_id is bigint but references tenants\.id \(uuid\)/,
  },
  'on-delete-explicit': {
    pass: buildModel({ entities: { tenants, plans: { fields: { id, tenant_id: tenantId, created_at: createdAt }, indexes: [['tenant_id']] } } }),
    fail: buildModel({ entities: { tenants, plans: { fields: { id, tenant_id: { type: 'uuid', references: 'tenants.id' }, created_at: createdAt }, indexes: [['tenant_id']] } } }),
    hint: /ON DELETE RESTRICT, CASCADE or SET NULL/,
  },
  'column-type-consistent': {
    pass: buildModel({ entities: { tenants, notes: { fields: { id, name: 'text', created_at: createdAt } } } }),
    fail: buildModel({ entities: { tenants, notes: { fields: { id, name: 'varchar(20)', created_at: createdAt } }, tags: { fields: { id, name: 'varchar(20)', created_at: createdAt } } } }),
    hint: /tenants\.name is text but name is varchar elsewhere/,
  },
  'naming-consistency': {
    pass: buildModel({ entities: { tenants, notes: { fields: { id, note_text: 'text', created_at: createdAt } } } }),
    fail: buildModel({ entities: { tenants, note: { fields: { id, noteText: 'text', created_at: createdAt } } } }),
    hint: /note is singular while the other tables are plural/,
  },
  'reserved-words': {
    pass: buildModel({ entities: { tenants, orders: { fields: { id, position: 'integer', created_at: createdAt } } } }),
    fail: buildModel({ entities: { tenants, orders: { fields: { id, order: 'integer', created_at: createdAt } } } }),
    hint: /orders\.order is a reserved word in PostgreSQL/,
  },
  'money-type': {
    pass: buildModel({ entities: { tenants, charges: { fields: { id, amount_minor: 'bigint', currency: 'char(3)', created_at: createdAt } } } }),
    fail: buildModel({ entities: { tenants, charges: { fields: { id, amount: 'double precision', currency: 'char(3)', created_at: createdAt } } } }),
    hint: /charges\.amount is double precision: money must be exact/,
  },
  timestamptz: {
    pass: buildModel({ entities: { tenants } }),
    fail: buildModel({ entities: { tenants: { fields: { id, created_at: 'timestamp' } } } }),
    hint: /tenants\.created_at is timestamp: use timestamptz/,
  },
  'created-at': {
    pass: buildModel({ entities: { tenants } }),
    fail: buildModel({ entities: { tenants: { fields: { id, name: 'text' } } } }),
    hint: /When was a row of tenants created\?/,
  },
  'usage-idempotency': {
    pass: buildModel({ entities: { tenants, usage_events: { fields: { id, tenant_id: tenantId, idempotency_key: 'text', occurred_at: createdAt }, uniqueKeys: [['tenant_id', 'idempotency_key']] } } }),
    fail: buildModel({ entities: { tenants, usage_events: { fields: { id, tenant_id: tenantId, idempotency_key: 'text', occurred_at: createdAt }, uniqueKeys: [['idempotency_key']] } } }),
    hint: /usage_events\.idempotency_key must be unique per tenant: add a unique key \(tenant_id, idempotency_key\)/,
  },
  'event-name-format': {
    pass: events({ invoice_paid: paid, invoice_sent: paid }),
    fail: events({ pay_invoice: paid, invoice_sent: paid }),
    hint: /Name pay_invoice as object \+ past-tense action/,
  },
  'event-name-unique': {
    pass: events({ invoice_paid: paid, invoice_sent: paid }),
    fail: events({ invoice_paid: paid, InvoicePaid: paid }),
    hint: /InvoicePaid and invoice_paid are the same event/,
  },
  'event-name-static': {
    pass: events({ invoice_paid: paid }),
    fail: events({ 'invoice_{id}_paid': paid }),
    hint: /invoice_\{id\}_paid puts a value in the name/,
  },
  'event-properties-described': {
    pass: events({ invoice_paid: paid }),
    fail: events({ invoice_paid: { entity: 'invoices', properties: { amount_minor: 'integer' } } }),
    hint: /Describe invoice_paid\.amount_minor/,
  },
  'event-entity': {
    pass: events({ invoice_paid: paid }),
    fail: events({ invoice_paid: { properties: paid.properties } }),
    hint: /Which entity is invoice_paid about\?/,
  },
  'fk-indexed': {
    pass: buildModel({ entities: { tenants, notes: { fields: { id, tenant_id: tenantId, created_at: createdAt }, indexes: [['tenant_id', 'created_at']] } } }),
    fail: buildModel({ entities: { tenants, notes: { fields: { id, tenant_id: tenantId, created_at: createdAt }, indexes: [['created_at', 'tenant_id']] } } }),
    hint: /scans notes: add an index on \(tenant_id\)/,
  },
  'redundant-index': {
    pass: buildModel({ entities: { tenants, notes: { fields: { id, tenant_id: tenantId, created_at: createdAt }, indexes: [['tenant_id', 'created_at']] } } }),
    fail: buildModel({ entities: { tenants, notes: { fields: { id, tenant_id: tenantId, created_at: createdAt }, indexes: [['tenant_id'], ['tenant_id', 'created_at']] } } }),
    hint: /notes_tenant_id_idx on notes \(tenant_id\) is covered by notes_tenant_id_created_at_idx/,
  },
  'nullable-unique': {
    pass: buildModel({ entities: { tenants, notes: { fields: { id, tenant_id: tenantId, slug: 'text', created_at: createdAt }, uniqueKeys: [['tenant_id', 'slug']] } } }),
    fail: buildModel({ entities: { tenants, notes: { fields: { id, tenant_id: tenantId, slug: { type: 'text', nullable: true }, created_at: createdAt }, uniqueKeys: [['tenant_id', 'slug']] } } }),
    hint: /can repeat \(tenant_id, slug\) while slug is NULL/,
  },
  'tenant-fk': {
    pass: buildModel({ entities: { tenants, invoices: { fields: { id, tenant_id: tenantId, created_at: createdAt }, indexes: [['tenant_id']] } } }),
    fail: buildModel({ entities: { tenants, invoices: { fields: { id, tenant_id: 'uuid', created_at: createdAt }, indexes: [['tenant_id']] }, notes: { fields: { id, tenant_id: tenantId, created_at: createdAt }, indexes: [['tenant_id']] } } }),
    hint: /Invoices can point at a tenant that does not exist: tenant_id needs a foreign key to tenants/,
  },
  'tenant-unique-keys': {
    pass: buildModel({ entities: { tenants, invoices: { fields: { id, tenant_id: tenantId, number: 'text', provider_payment_id: 'text', created_at: createdAt }, uniqueKeys: [['tenant_id', 'number'], ['provider_payment_id']] } } }),
    fail: buildModel({ entities: { tenants, invoices: { fields: { id, tenant_id: tenantId, number: 'text', created_at: createdAt }, uniqueKeys: [['number']], indexes: [['tenant_id']] } } }),
    hint: /Invoices can clash across tenants: lead the unique key \(number\) with tenant_id/,
  },
  'audit-append-only': {
    pass: buildModel({
      entities: {
        tenants,
        audit_logs: { fields: { id, tenant_id: tenantId, actor_id: 'uuid', action: 'text', target_id: 'text', changes: 'jsonb', occurred_at: createdAt }, indexes: [['tenant_id', 'occurred_at']] },
      },
    }),
    fail: buildModel({
      entities: {
        tenants,
        audit_logs: { fields: { id, tenant_id: tenantId, actor_id: 'uuid', action: 'text', target_id: 'text', changes: 'jsonb', occurred_at: createdAt, updated_at: createdAt }, indexes: [['tenant_id', 'occurred_at']] },
      },
    }),
    hint: /Audit logs must be append-only: drop updated_at/,
  },
};

it('every general rule has an id, a one-line doc, a weight, a stage, a move and a test case here', () => {
  for (const rule of SCHEMA_RULES) {
    expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(rule.doc.length).toBeGreaterThan(20);
    expect(rule.doc).not.toContain('\n');
    expect(rule.weight).toBeGreaterThan(0);
    expect(['list', 'optimize']).toContain(rule.stage);
    expect(rule.move).toBeTruthy();
  }
  expect(Object.keys(cases).sort()).toEqual(SCHEMA_RULES.map((rule) => rule.id).sort());
});

describe.each(Object.entries(cases))('[%s]', (ruleId, { pass, fail, hint }) => {
  it('passes a model that follows it', () => {
    expect(ruleCheck(pass, ruleId)).toMatchObject({ status: 'passed', ratio: 1, hint: '', source: 'rule' });
  });

  it('fails a model that breaks it, with evidence and a coaching hint', () => {
    const check = ruleCheck(fail, ruleId);
    expect(check?.status).toMatch(/^(partial|failed)$/);
    expect(check?.ratio).toBeLessThan(1);
    expect(check?.hint).toMatch(hint);
    expect(check?.evidence.length).toBeGreaterThan(0);
  });
});

describe('rules as warnings', () => {
  it('[fk-declared] costs 1/strikes of the weight per violation, down to zero', () => {
    const one = buildModel({ entities: { tenants, plans: { fields: { id, tenant_id: 'uuid', created_at: createdAt } } } });
    const two = buildModel({ entities: { tenants, plans: { fields: { id, tenant_id: 'uuid', created_at: createdAt } }, notes: { fields: { id, tenant_id: 'uuid', created_at: createdAt } } } });
    expect(ruleCheck(one, 'fk-declared')).toMatchObject({ status: 'partial', ratio: 0.5 });
    expect(ruleCheck(two, 'fk-declared')).toMatchObject({ status: 'failed', ratio: 0 });
  });

  it('[fk-declared] is justified by the column’s own description', () => {
    const model = buildModel({
      entities: { tenants, plans: { fields: { id, tenant_id: { type: 'uuid', description: 'Deliberately no foreign key: plans outlive tenants.' }, created_at: createdAt } } },
    });
    expect(ruleCheck(model, 'fk-declared')).toMatchObject({ status: 'justified', ratio: 1, hint: '' });
    expect(ruleCheck(model, 'fk-declared')?.evidence[0].note).toMatch(/justified/);
  });

  it('[reserved-words] is justified by a frame note naming the element and the rule id or a marker', () => {
    const failing = cases['reserved-words'].fail;
    const justify = (text: string) => ({ ...failing, frame: { ...failing.frame, rules: [{ id: 'r1', kind: 'rule' as const, text }] } });
    expect(ruleCheck(justify('orders.order is kept on purpose: the legacy importer writes it.'), 'reserved-words')?.status).toBe('justified');
    expect(ruleCheck(justify('The order column of orders is quoted everywhere (reserved-words).'), 'reserved-words')?.status).toBe('justified');
    // A marker without the element's name justifies nothing.
    expect(ruleCheck(justify('Some names are kept on purpose.'), 'reserved-words')?.status).toBe('partial');
  });

  it('[tenant-fk, tenant-unique-keys] do not apply without a tenant table', () => {
    const model = buildModel({ entities: { notes: { fields: { id, number: 'text', created_at: createdAt }, uniqueKeys: [['number']] } } });
    const result = grade(model, scenario);
    expect(checkOf(result, 'tenant-fk')).toBeUndefined();
    expect(checkOf(result, 'tenant-unique-keys')).toBeUndefined();
  });

  it('disabled rules are left out', () => {
    const result = grade(cases['primary-key'].fail, scenario, { disabledRules: ['primary-key'] });
    expect(checkOf(result, 'primary-key')).toBeUndefined();
  });
});

describe('[fk-indexed] partial indexes', () => {
  const invoices = { fields: { id, tenant_id: tenantId, created_at: createdAt }, uniqueKeys: [['tenant_id', 'id']] };
  const invoiceId = { type: 'uuid', nullable: true, references: 'invoices.id', onDelete: 'cascade' };
  /** notes.invoice_id is a nullable foreign key; `index` is the only index that could serve it. */
  const withIndex = (index: unknown) =>
    buildModel({
      entities: {
        tenants,
        invoices,
        notes: { fields: { id, tenant_id: tenantId, invoice_id: invoiceId, label: { type: 'text', nullable: true }, status: 'text', created_at: createdAt }, indexes: [['tenant_id', 'created_at'], index] },
      },
    });

  it.each([
    ['invoice_id IS NOT NULL', ['invoice_id']],
    ['(invoice_id IS NOT NULL)', ['invoice_id']],
    ['"invoice_id" is not null', ['invoice_id', 'created_at']],
    ['invoice_id NOTNULL', ['invoice_id']],
    ['NOT (invoice_id IS NULL)', ['invoice_id']],
  ])('[fk-indexed] counts a partial index WHERE %s: the lookup by the key implies it', (where, columns) => {
    expect(ruleCheck(withIndex({ columns, where }), 'fk-indexed')).toMatchObject({ status: 'passed', ratio: 1 });
  });

  it.each([
    "status = 'open'",
    'label IS NOT NULL',
    "invoice_id IS NOT NULL AND status = 'open'",
    'invoice_id IS NOT NULL OR label IS NOT NULL',
    'invoice_id IS NULL',
    'nonexistent IS NOT NULL',
  ])('[fk-indexed] does not count a partial index WHERE %s', (where) => {
    const check = ruleCheck(withIndex({ columns: ['invoice_id'], where }), 'fk-indexed');
    expect(check?.status).toBe('partial');
    expect(check?.hint).toMatch(/scans notes: add an index on \(invoice_id\)/);
  });

  it('[fk-indexed, nullable-unique] the partial unique index nullable-unique recommends also serves the foreign key', () => {
    const notes = (keys: object) =>
      buildModel({
        entities: {
          tenants,
          invoices,
          notes: {
            fields: { id, tenant_id: tenantId, invoice_id: { type: 'uuid', nullable: true }, created_at: createdAt },
            foreignKeys: [{ columns: ['tenant_id', 'invoice_id'], references: 'invoices(tenant_id, id)', onDelete: 'cascade' }],
            ...keys,
          },
        },
      });
    const before = grade(notes({ uniqueKeys: [['tenant_id', 'id'], ['tenant_id', 'invoice_id']] }), scenario);
    expect(checkOf(before, 'nullable-unique')?.hint).toMatch(/use a partial unique index/);
    const after = grade(
      notes({
        uniqueKeys: [['tenant_id', 'id']],
        indexes: [{ columns: ['tenant_id', 'invoice_id'], unique: true, where: 'tenant_id IS NOT NULL AND invoice_id IS NOT NULL' }],
      }),
      scenario,
    );
    expect(checkOf(after, 'nullable-unique')).toMatchObject({ status: 'passed' });
    expect(checkOf(after, 'fk-indexed')).toMatchObject({ status: 'passed', ratio: 1 });
  });

  it('[fk-indexed] a predicate on another column of the index does not serve a foreign key it does not mention', () => {
    // notes.tenant_id's only candidate leads with tenant_id but filters on invoice_id: a tenant delete must not rely on it.
    const model = buildModel({
      entities: {
        tenants,
        invoices,
        notes: { fields: { id, tenant_id: tenantId, invoice_id: invoiceId, created_at: createdAt }, indexes: [{ columns: ['tenant_id', 'invoice_id'], where: 'invoice_id IS NOT NULL' }, ['invoice_id']] },
      },
    });
    expect(ruleCheck(model, 'fk-indexed')?.hint).toMatch(/every delete from tenants\) scans notes: add an index on \(tenant_id\)/);
  });
});

describe('field descriptions justify violations about their fields', () => {
  const notes = (slug: object, tenant: object = tenantId, description = '') =>
    buildModel({ entities: { tenants, notes: { description, fields: { id, tenant_id: tenant, slug, created_at: createdAt }, uniqueKeys: [['tenant_id', 'slug']] } } });
  const nullableSlug = { type: 'text', nullable: true };

  it('[nullable-unique] is justified by the nullable column’s own description', () => {
    expect(ruleCheck(notes(nullableSlug), 'nullable-unique')?.status).toBe('partial');
    const check = ruleCheck(notes({ ...nullableSlug, description: 'Optional; several notes without a slug are allowed on purpose.' }), 'nullable-unique');
    expect(check).toMatchObject({ status: 'justified', ratio: 1, hint: '' });
    expect(check?.evidence[0].note).toMatch(/justified/);
  });

  it('[nullable-unique] is not justified by a marker on a column that is not the cause', () => {
    const tenant = { ...tenantId, description: 'Deliberately repeated on every table for row-level security.' };
    expect(ruleCheck(notes(nullableSlug, tenant), 'nullable-unique')?.status).toBe('partial');
  });

  it('[nullable-unique] is justified by a sentence of the entity description naming the column', () => {
    expect(ruleCheck(notes(nullableSlug, tenantId, 'Notes of a tenant. A NULL slug may repeat, on purpose.'), 'nullable-unique')?.status).toBe('justified');
    expect(ruleCheck(notes(nullableSlug, tenantId, 'Notes of a tenant. Some things are kept on purpose.'), 'nullable-unique')?.status).toBe('partial');
  });

  it('[fk-indexed] is justified by the foreign key column’s own description', () => {
    const failing = (description: string) =>
      buildModel({ entities: { tenants, notes: { fields: { id, tenant_id: { ...tenantId, description }, created_at: createdAt }, indexes: [['created_at', 'tenant_id']] } } });
    expect(ruleCheck(failing('The owning tenant.'), 'fk-indexed')?.status).toBe('partial');
    expect(ruleCheck(failing('The owning tenant; no index: tenants are never deleted.'), 'fk-indexed')?.status).toBe('justified');
  });

  it('[on-delete-explicit] is justified by the foreign key column’s own description', () => {
    const model = buildModel({
      entities: { tenants, plans: { fields: { id, tenant_id: { type: 'uuid', references: 'tenants.id', description: 'On delete: the default NO ACTION is intended.' }, created_at: createdAt }, indexes: [['tenant_id']] } },
    });
    expect(ruleCheck(model, 'on-delete-explicit')?.status).toBe('justified');
  });

  it('[tenant-unique-keys] is justified by the key column’s own description', () => {
    const model = (description: string) =>
      buildModel({
        entities: { tenants, invoices: { fields: { id, tenant_id: tenantId, number: { type: 'text', description }, created_at: createdAt }, uniqueKeys: [['number']], indexes: [['tenant_id']] } },
      });
    expect(ruleCheck(model('The invoice number.'), 'tenant-unique-keys')?.status).toBe('partial');
    expect(ruleCheck(model('One sequence for the whole platform: globally unique across tenants.'), 'tenant-unique-keys')?.status).toBe('justified');
  });
});
