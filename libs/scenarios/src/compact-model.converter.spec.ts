import { modelSchema } from '@hatch/model';
import { authoredPath, convertCompactModel } from './compact-model.converter';
import { compactModelSchema } from './compact-model.schema';
import { derivedId } from './derived-names';

const convert = (input: unknown) => convertCompactModel(compactModelSchema.parse(input), ['referenceModel']);

const billing = {
  entities: {
    tenants: { fields: { id: { type: 'uuid', pk: true }, slug: { type: 'text', unique: true } } },
    invoices: {
      fields: {
        id: { type: 'uuid', pk: true },
        tenant_id: { type: 'uuid', references: 'tenants.id', onDelete: 'restrict' },
        status: { type: 'text', default: "'draft'", check: "status IN ('draft', 'open')" },
        total_minor: { type: 'bigint', default: 0 },
        paid_at: { type: 'timestamptz', nullable: true },
      },
      uniqueKeys: [['tenant_id', 'id']],
      checks: ["total_minor >= 0 AND status <> 'total_minor'"],
      indexes: [['tenant_id', 'status'], { name: 'invoices_open_idx', columns: ['paid_at'], where: 'paid_at IS NULL', method: 'brin' }],
    },
    invoice_items: {
      fields: { id: { type: 'uuid', pk: true }, tenant_id: 'uuid', invoice_id: 'uuid' },
      foreignKeys: [{ columns: ['tenant_id', 'invoice_id'], references: 'invoices(tenant_id, id)', onDelete: 'cascade' }],
    },
  },
  relationships: [{ name: 'invoice lines', from: 'invoices', to: 'invoice_items', cardinality: '1:N', toColumns: ['tenant_id', 'invoice_id'] }],
  events: { invoice_paid: { entity: 'invoices', properties: { amount_minor: 'integer', currency: { type: 'string', required: true } } } },
};

describe('convertCompactModel', () => {
  it('produces a model that passes the model schema, with ids derived from names', () => {
    const { model, problems } = convert(billing);
    expect(problems).toEqual([]);
    expect(modelSchema.safeParse(model).success).toBe(true);
    expect(model.entities.map((e) => e.id)).toEqual(['e_tenants', 'e_invoices', 'e_invoice_items']);
    const invoices = model.entities[1];
    expect(invoices.fields.map((f) => f.id)).toEqual([
      'f_invoices_id',
      'f_invoices_tenant_id',
      'f_invoices_status',
      'f_invoices_total_minor',
      'f_invoices_paid_at',
    ]);
    expect(invoices.fields[3]).toMatchObject({ type: 'bigint', default: '0', nullable: false, primaryKey: false });
    expect(invoices.fields[4].nullable).toBe(true);
  });

  it('names constraints and indexes the way PostgreSQL does, unless named', () => {
    const invoices = convert(billing).model.entities[1];
    expect(invoices.constraints.map((c) => [c.id, c.kind, c.fieldIds])).toEqual([
      ['c_invoices_status_check', 'check', ['f_invoices_status']],
      ['c_invoices_tenant_id_id_key', 'unique', ['f_invoices_tenant_id', 'f_invoices_id']],
      // Columns of a check come from the expression, ignoring string literals.
      ['c_invoices_total_minor_status_check', 'check', ['f_invoices_total_minor', 'f_invoices_status']],
    ]);
    expect(invoices.indexes).toEqual([
      { id: 'i_invoices_tenant_id_status_idx', name: 'invoices_tenant_id_status_idx', fieldIds: ['f_invoices_tenant_id', 'f_invoices_status'], unique: false, where: '', method: 'btree' },
      { id: 'i_invoices_open_idx', name: 'invoices_open_idx', fieldIds: ['f_invoices_paid_at'], unique: false, where: 'paid_at IS NULL', method: 'brin' },
    ]);
  });

  it('turns composite foreign keys into constraints and every foreign key into a relationship', () => {
    const { model } = convert(billing);
    const items = model.entities[2];
    expect(items.constraints[0]).toMatchObject({
      kind: 'foreign_key',
      fieldIds: ['f_invoice_items_tenant_id', 'f_invoice_items_invoice_id'],
      references: { entityId: 'e_invoices', fieldIds: ['f_invoices_tenant_id', 'f_invoices_id'], onDelete: 'cascade' },
    });
    expect(model.relationships).toEqual([
      {
        id: 'r_invoices_tenant_id_fkey',
        name: '',
        fromEntityId: 'e_tenants',
        fromFieldIds: ['f_tenants_id'],
        toEntityId: 'e_invoices',
        toFieldIds: ['f_invoices_tenant_id'],
        cardinality: '1:N',
        throughEntityId: null,
        onDelete: 'restrict',
        description: '',
      },
      // The explicit relationship over the composite key replaced the derived one.
      expect.objectContaining({ id: 'r_invoice_lines', name: 'invoice lines', fromEntityId: 'e_invoices', fromFieldIds: [], toEntityId: 'e_invoice_items' }),
    ]);
  });

  it('derives one-to-one relationships from foreign keys on unique columns', () => {
    const { model } = convert({
      entities: {
        users: { fields: { id: { type: 'uuid', pk: true } } },
        profiles: { fields: { user_id: { type: 'uuid', pk: true, references: 'users.id', onDelete: 'cascade' } } },
      },
    });
    expect(model.relationships[0].cardinality).toBe('1:1');
  });

  it('converts events with their properties', () => {
    const [event] = convert(billing).model.events;
    expect(event).toMatchObject({ id: 'ev_invoice_paid', name: 'invoice_paid', entityId: 'e_invoices' });
    expect(event.properties).toEqual([
      { id: 'p_invoice_paid_amount_minor', name: 'amount_minor', type: 'integer', required: false, description: '' },
      { id: 'p_invoice_paid_currency', name: 'currency', type: 'string', required: true, description: '' },
    ]);
  });

  it('keeps explicit ids and names', () => {
    const { model } = convert({
      entities: { t: { id: 'tbl', fields: { c: { id: 'col', type: 'int' } }, indexes: [{ id: 'ix', name: 'my_index', columns: ['c'] }] } },
    });
    expect(model.entities[0]).toMatchObject({ id: 'tbl', fields: [{ id: 'col' }], indexes: [{ id: 'ix', name: 'my_index' }] });
  });

  it('reports unresolvable names at the authored path and leaves the element out', () => {
    const { model, problems } = convert({
      entities: {
        tenants: { fields: { id: 'uuid' } },
        invoices: {
          fields: { tenant_id: { type: 'uuid', references: 'tenants.uid' }, note: { type: 'text', onDelete: 'cascade' } },
          indexes: [['tenant_id', 'stauts']],
          foreignKeys: [
            { columns: ['tenant_id'], references: 'tenants(id, id2)' },
            { columns: ['tenant_id'], references: 'not a reference' },
          ],
        },
      },
      relationships: [{ from: 'tenant', to: 'invoices', cardinality: '1:N' }],
      events: { e: { entity: 'invoice' } },
    });
    expect(problems.map((p) => [p.path.join('.'), p.reason])).toEqual([
      ['referenceModel.entities.invoices.fields.note.onDelete', 'onDelete needs references'],
      ['referenceModel.entities.invoices.fields.tenant_id.references', 'unknown column "uid" in tenants (did you mean "id"?)'],
      ['referenceModel.entities.invoices.foreignKeys.0.references', 'unknown column "id2" in tenants (did you mean "id"?)'],
      ['referenceModel.entities.invoices.foreignKeys.1.references', 'cannot read reference "not a reference": write entity.column or entity(column, column)'],
      ['referenceModel.entities.invoices.indexes.0.columns', 'unknown column "stauts" in invoices'],
      ['referenceModel.relationships.0.from', 'unknown entity "tenant" (did you mean "tenants"?)'],
      ['referenceModel.events.e.entity', 'unknown entity "invoice" (did you mean "invoices"?)'],
    ]);
    expect(model.entities[1].indexes).toEqual([]);
    expect(model.relationships).toEqual([]);
    expect(model.events).toEqual([]);
  });

  it('reports derived ids that collide', () => {
    const { problems } = convert({ entities: { a_b: { fields: { c: 'int' } }, a: { fields: { b_c: 'int' } } } });
    expect(problems).toEqual([
      { path: ['referenceModel', 'entities', 'a', 'fields', 'b_c'], reason: 'id "f_a_b_c" is also used by referenceModel.entities.a_b.fields.c; set an explicit id' },
    ]);
  });

  it('maps canonical issue paths back to authored paths', () => {
    const { origins } = convert(billing);
    expect(authoredPath(origins, ['entities', 1, 'fields', 2, 'type'], ['referenceModel'])).toEqual([
      'referenceModel', 'entities', 'invoices', 'fields', 'status', 'type',
    ]);
    expect(authoredPath(origins, ['entities', 1, 'constraints', 1], ['referenceModel'])).toEqual([
      'referenceModel', 'entities', 'invoices', 'uniqueKeys', 0,
    ]);
    expect(authoredPath(origins, ['version'], ['referenceModel'])).toEqual(['referenceModel', 'version']);
  });
});

describe('derivedId', () => {
  it('replaces characters ids may not hold and keeps long ids within 64 characters, distinct', () => {
    expect(derivedId('ev', 'Message Sent')).toBe('ev_Message_Sent');
    const a = derivedId('f', 'x'.repeat(60), 'first_field');
    const b = derivedId('f', 'x'.repeat(60), 'second_field');
    expect(a).toHaveLength(64);
    expect(a).not.toBe(b);
    expect(derivedId('f', 'x'.repeat(60), 'first_field')).toBe(a);
  });
});
