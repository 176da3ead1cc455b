import fc from 'fast-check';
import * as Y from 'yjs';
import type { Model } from './model.schema';
import { fieldSchema, MODEL_LIMITS, modelSchema } from './model.schema';
import { ModelValidationError } from './model.errors';
import { checkIntegrity, parseModel } from './model-validation';
import { applyModel, createModelDoc, toJSON } from './yjs-binding';
import { SHARED_TYPE_NAMES, sharedTypes } from './yjs-layout';
import { replicaOf, saasModel, syncAll } from './model-fixtures.test-util';

const entityMap = (doc: Y.Doc, id: string) =>
  sharedTypes(doc)
    .entities.toArray()
    .find((item) => item instanceof Y.Map && item.get('id') === id) as Y.Map<unknown>;
const fieldsOf = (entity: Y.Map<unknown>) => entity.get('fields') as Y.Array<Y.Map<unknown>>;

describe('toJSON(applyModel(doc, model))', () => {
  it('round-trips a model deep-equal to the parsed model', () => {
    const expected = parseModel(saasModel());
    expect(toJSON(applyModel(new Y.Doc(), saasModel()))).toEqual(expected);
  });

  it('round-trips through an encoded update into another document', () => {
    const copy = replicaOf(createModelDoc(saasModel()));
    expect(toJSON(copy)).toEqual(parseModel(saasModel()));
  });

  it('stores prose as Y.Text and names, types and flags as plain values', () => {
    const doc = createModelDoc(saasModel());
    const users = entityMap(doc, 'ent_users');
    expect(users.get('name')).toBe('users');
    expect(users.get('description')).toBeInstanceOf(Y.Text);
    const tenantField = fieldsOf(users).get(1);
    expect(tenantField.get('nullable')).toBe(false);
    expect(tenantField.get('references')).toEqual({ entityId: 'ent_tenants', fieldId: 'fld_tenants_id', onDelete: 'cascade' });
    expect(tenantField.get('description')).toBeInstanceOf(Y.Text);
    expect(doc.getText(SHARED_TYPE_NAMES.frameDomain).toString()).toContain('per-seat billing');
    const answer = doc.getArray<Y.Map<unknown>>(SHARED_TYPE_NAMES.winAnswers).get(0);
    expect(answer.get('sql')).toBeInstanceOf(Y.Text);
    expect(doc.getMap(SHARED_TYPE_NAMES.frameTenancy).get('strategy')).toBe('shared-schema');
  });

  it('creates an empty model by default', () => {
    expect(toJSON(createModelDoc())).toEqual(parseModel({}));
  });

  it('refuses an invalid model and leaves the document untouched', () => {
    const doc = createModelDoc(saasModel());
    const before = Y.encodeStateVector(doc);
    const bad = parseModel(saasModel());
    bad.entities[1].name = 'Tenants';
    expect(() => applyModel(doc, bad)).toThrow(ModelValidationError);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('applies in one transaction with the given origin', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    applyModel(doc, saasModel(), 'import');
    expect(origins).toEqual(['import']);
  });
});

describe('applyModel reconciliation', () => {
  it('keeps the Y types of untouched elements and writes only what differs', () => {
    const doc = createModelDoc(saasModel());
    const users = entityMap(doc, 'ent_users');
    const usersDescription = users.get('description');
    const usersFields = fieldsOf(users);
    const invoices = entityMap(doc, 'ent_invoices');
    const invoiceDescription = invoices.get('description') as Y.Text;
    const amountField = fieldsOf(invoices).get(2);

    const next = parseModel(saasModel());
    next.entities[4].description = 'Issued monthly, strictly append-only once finalised.';
    next.entities[4].fields[2].type = 'numeric(14,2)';
    const changes: unknown[] = [];
    invoiceDescription.observe((event) => changes.push(event.delta));
    let updates = 0;
    doc.on('update', () => updates++);
    applyModel(doc, next);

    expect(updates).toBe(1);
    expect(entityMap(doc, 'ent_users')).toBe(users);
    expect(users.get('description')).toBe(usersDescription);
    expect(users.get('fields')).toBe(usersFields);
    expect(entityMap(doc, 'ent_invoices')).toBe(invoices);
    expect(invoices.get('description')).toBe(invoiceDescription);
    expect(fieldsOf(invoices).get(2)).toBe(amountField);
    expect(amountField.get('type')).toBe('numeric(14,2)');
    expect(changes).toEqual([[{ retain: 16 }, { insert: 'strictly ' }]]);
    expect(toJSON(doc)).toEqual(parseModel(next));
  });

  it('makes no change when the model is already in the document', () => {
    const doc = createModelDoc(saasModel());
    let updates = 0;
    doc.on('update', () => updates++);
    applyModel(doc, saasModel());
    expect(updates).toBe(0);
  });

  it('inserts, deletes and reorders by id, moving as few elements as possible', () => {
    const doc = createModelDoc(saasModel());
    const before = sharedTypes(doc).entities.toArray();
    const next = saasModel();
    const [tenants, users, teams, , invoices] = next.entities ?? [];
    next.entities = [invoices, tenants, users, { id: 'ent_audit', name: 'audit_log' }, teams];
    next.relationships = next.relationships?.filter((relationship) => relationship.id !== 'rel_user_teams');
    applyModel(doc, next);

    expect(toJSON(doc)).toEqual(parseModel(next));
    const after = sharedTypes(doc).entities.toArray();
    // tenants, users and teams keep their maps; invoices moved to the front, so it is re-created
    expect(after[1]).toBe(before[0]);
    expect(after[2]).toBe(before[1]);
    expect(after[4]).toBe(before[2]);
    expect(after[0]).not.toBe(before[4]);
  });

  it('removes duplicates and unreadable items a foreign client left behind', () => {
    const doc = createModelDoc(saasModel());
    const entities = sharedTypes(doc).entities;
    doc.transact(() => {
      const copy = new Y.Map<unknown>();
      copy.set('id', 'ent_users');
      copy.set('name', 'users_copy');
      entities.push([copy, 42, 'junk']);
    });
    applyModel(doc, saasModel());
    expect(entities.length).toBe(5);
    expect(toJSON(doc)).toEqual(parseModel(saasModel()));
  });

  it('merges with concurrent edits to parts the import does not change', () => {
    const live = createModelDoc(saasModel());
    const other = replicaOf(live);

    // someone types into users' description and renames a field while the import is applied elsewhere
    const otherUsers = entityMap(other, 'ent_users');
    (otherUsers.get('description') as Y.Text).insert(0, 'People who log in. ');
    fieldsOf(otherUsers).get(2).set('name', 'email_address');

    const imported = parseModel(saasModel());
    imported.entities[4].fields.push(fieldSchema.parse({ id: 'fld_invoices_status', name: 'status', type: 'text', nullable: false }));
    imported.entities[0].description = 'A customer organisation (the tenant).';
    applyModel(live, imported);

    syncAll([live, other]);
    const merged = toJSON(live);
    expect(toJSON(other)).toEqual(merged);
    expect(merged.entities[1].description).toBe('People who log in. ');
    expect(merged.entities[1].fields[2].name).toBe('email_address');
    expect(merged.entities[4].fields.map((field) => field.name)).toContain('status');
    expect(merged.entities[0].description).toBe('A customer organisation (the tenant).');
  });

  it('merges an imported text change with concurrent typing in the same text', () => {
    const live = createModelDoc(saasModel());
    const other = replicaOf(live);
    (entityMap(other, 'ent_invoices').get('description') as Y.Text).insert(0, 'Billing: ');
    const imported = parseModel(saasModel());
    imported.entities[4].description = 'Issued monthly, append-only once finalised. Never deleted.';
    applyModel(live, imported);
    syncAll([live, other]);
    expect(toJSON(live).entities[4].description).toBe('Billing: Issued monthly, append-only once finalised. Never deleted.');
    expect(toJSON(other)).toEqual(toJSON(live));
  });
});

describe('toJSON on documents written by other clients', () => {
  it('skips unreadable items, defaults invalid values and reads plain strings as prose', () => {
    const doc = new Y.Doc();
    const types = sharedTypes(doc);
    doc.transact(() => {
      const noId = new Y.Map<unknown>();
      noId.set('name', 'nameless');
      const entity = new Y.Map<unknown>();
      entity.set('id', 'e1');
      entity.set('name', 'orders');
      entity.set('kind', 'materialized view');
      entity.set('description', 'plain string description');
      const fields = new Y.Array<unknown>();
      const field = new Y.Map<unknown>();
      field.set('id', 'f1');
      field.set('name', 'id');
      field.set('type', 'bigint');
      field.set('nullable', 'no');
      field.set('references', { entityId: 'e404', fieldId: 'f404' });
      const untyped = new Y.Map<unknown>();
      untyped.set('id', 'f2');
      untyped.set('name', 'untyped');
      fields.push([field, untyped, new Y.Text('stray')]);
      entity.set('fields', fields);
      entity.set('indexes', 'not an array');
      types.entities.push([17, 'text', noId, entity]);
      types.frameTenancy.set('strategy', 'per-row');
      const long = new Y.Map<unknown>();
      long.set('id', 'r1');
      long.set('text', new Y.Text('x'.repeat(MODEL_LIMITS.shortText + 50)));
      types.frameRules.push([long]);
    });
    const model = toJSON(doc);
    expect(model.entities).toEqual([
      {
        id: 'e1',
        name: 'orders',
        kind: 'table',
        description: 'plain string description',
        fields: [
          {
            id: 'f1',
            name: 'id',
            type: 'bigint',
            nullable: true,
            default: null,
            primaryKey: false,
            unique: false,
            references: null,
            description: '',
          },
        ],
        constraints: [],
        indexes: [],
      },
    ]);
    expect(model.frame.tenancy.strategy).toBeNull();
    expect(model.frame.rules[0].text).toHaveLength(MODEL_LIMITS.shortText);
  });

  it('keeps the first of several elements with one id, and repairs references to dropped ones', () => {
    const doc = createModelDoc(saasModel());
    const types = sharedTypes(doc);
    doc.transact(() => {
      const copy = new Y.Map<unknown>();
      copy.set('id', 'ent_tenants');
      copy.set('name', 'tenants_again');
      types.entities.insert(0, [copy]);
    });
    const model = toJSON(doc);
    expect(model.entities.map((entity) => entity.name)).toEqual(['tenants_again', 'users', 'teams', 'memberships', 'invoices']);
    // the surviving ent_tenants has no fields: references and relationships to its fields are repaired
    expect(model.entities[1].fields[1].references).toBeNull();
    expect(model.entities[2].constraints).toEqual([]);
    expect(model.relationships[0]).toMatchObject({ id: 'rel_tenant_users', fromFieldIds: [], toFieldIds: [] });
    expect(checkIntegrity(model)).toEqual([]);
  });

  it('does not throw when this process defined a root type with another Yjs type', () => {
    const doc = createModelDoc(saasModel());
    const clash = new Y.Doc();
    clash.getMap(SHARED_TYPE_NAMES.entities);
    Y.applyUpdate(clash, Y.encodeStateAsUpdate(doc));
    expect(() => toJSON(clash)).not.toThrow();
    expect(toJSON(clash).entities).toEqual([]);
    expect(toJSON(clash).relationships).toEqual([]);
  });

  // Element-shaped maps with random values and random extra keys, plus arbitrary structures, under the
  // model's root names: ids collide, references dangle, values have the wrong type.
  const keyArb = fc.constantFrom(
    'id', 'name', 'type', 'kind', 'fields', 'constraints', 'indexes', 'references', 'fieldIds', 'entityId',
    'fromEntityId', 'toEntityId', 'fromFieldIds', 'toFieldIds', 'cardinality', 'throughEntityId', 'properties',
    'description', 'text', 'entityIds', 'nullable', 'primaryKey', 'expression', 'answer', 'sql', 'onDelete', 'required',
  );
  const entityIdArb = fc.oneof({ arbitrary: fc.constantFrom('e1', 'e2', 'e3'), weight: 6 }, fc.constantFrom('f1', 'bad id'));
  const fieldIdArb = fc.oneof({ arbitrary: fc.constantFrom('f1', 'f2', 'f3'), weight: 6 }, fc.constantFrom('e1', ''));
  const idArb = fc.oneof(entityIdArb, fieldIdArb, fc.constantFrom('c1', 'i1', 'r1', 'r2', 'v1', 'p1'));
  const nameArb = fc.oneof({ arbitrary: fc.constantFrom('users', 'Users', 'id', 'tenant_id', 'email'), weight: 6 }, fc.constantFrom(' ', 'x'.repeat(70)));
  const fieldIdsArb = fc.oneof(
    { arbitrary: fc.uniqueArray(fc.constantFrom('f1', 'f2'), { minLength: 1, maxLength: 2 }), weight: 4 },
    { arbitrary: fc.array(fieldIdArb, { maxLength: 3 }), weight: 1 },
  );
  const leafArb: fc.Arbitrary<unknown> = fc.oneof(
    idArb,
    nameArb,
    fc.constantFrom('N:M', '1:N', 'foreign_key', 'unique', 'check', 'string', 'cascade', 'text'),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fieldIdsArb,
    fc.record({ entityId: entityIdArb, fieldId: fieldIdArb, fieldIds: fieldIdsArb }, { requiredKeys: [] }),
  );
  type Node = { $y: 'text'; value: string } | { $y: 'map'; entries: [string, Node][] } | { $y: 'array'; items: Node[] } | { $y: 'leaf'; value: unknown };
  const leaf = (arb: fc.Arbitrary<unknown>) => arb.map((value): Node => ({ $y: 'leaf', value }));
  const textNode = fc.string({ maxLength: 4 }).map((value): Node => ({ $y: 'text', value }));
  const { node } = fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      { arbitrary: leaf(leafArb), weight: 4 },
      { arbitrary: textNode, weight: 1 },
      { arbitrary: fc.array(fc.tuple(keyArb, tie('node')), { maxLength: 4 }).map((entries): Node => ({ $y: 'map', entries })), weight: 2 },
      { arbitrary: fc.array(tie('node'), { maxLength: 3 }).map((items): Node => ({ $y: 'array', items })), weight: 1 },
    ),
  }));
  /** A map with the given keys (each present with probability 0.9) and maybe a few random ones. */
  const shaped = (keys: Record<string, fc.Arbitrary<Node>>): fc.Arbitrary<Node> =>
    fc
      .tuple(
        ...Object.entries(keys).map(([key, arb]) => fc.option(arb.map((value): [string, Node] => [key, value]), { freq: 10 })),
        fc.array(fc.tuple(keyArb, node), { maxLength: 1 }),
      )
      .map((parts) => {
        const random = parts[parts.length - 1] as [string, Node][];
        const present = (parts.slice(0, -1) as ([string, Node] | null)[]).filter((part) => part !== null);
        return { $y: 'map', entries: [...present, ...random] };
      });
  const arrayOf = (item: fc.Arbitrary<Node>, maxLength: number, minLength = 0) =>
    fc
      .array(fc.oneof({ arbitrary: item, weight: 8 }, { arbitrary: node, weight: 1 }), { minLength, maxLength })
      .map((items): Node => ({ $y: 'array', items }));
  const field = shaped({
    id: leaf(fieldIdArb),
    name: leaf(nameArb),
    type: leaf(fc.constantFrom('uuid', 'text', '')),
    references: leaf(fc.option(fc.record({ entityId: entityIdArb, fieldId: fieldIdArb }))),
    description: textNode,
  });
  const constraint = shaped({
    id: leaf(fc.constantFrom('c1', 'c2')),
    kind: leaf(fc.constantFrom('unique', 'foreign_key', 'check', 'exclusion')),
    fieldIds: leaf(fieldIdsArb),
    references: leaf(fc.option(fc.record({ entityId: entityIdArb, fieldIds: fieldIdsArb }))),
    expression: leaf(fc.constantFrom('', 'a > 0')),
  });
  const index = shaped({ id: leaf(fc.constantFrom('i1', 'i2')), fieldIds: leaf(fieldIdsArb) });
  const entity = shaped({
    id: leaf(entityIdArb),
    name: leaf(nameArb),
    fields: arrayOf(field, 4, 1),
    constraints: arrayOf(constraint, 2, 1),
    indexes: arrayOf(index, 2, 1),
    description: textNode,
  });
  const relationship = shaped({
    id: leaf(fc.constantFrom('r1', 'r2')),
    fromEntityId: leaf(entityIdArb),
    toEntityId: leaf(entityIdArb),
    fromFieldIds: leaf(fieldIdsArb),
    toFieldIds: leaf(fieldIdsArb),
    cardinality: leaf(fc.constantFrom('1:1', '1:N', 'N:M')),
    throughEntityId: leaf(fc.option(entityIdArb)),
  });
  const property = shaped({ id: leaf(fc.constantFrom('p1', 'p2')), name: leaf(nameArb), type: leaf(fc.constantFrom('string', 'int')) });
  const event = shaped({ id: leaf(fc.constantFrom('v1', 'v2')), name: leaf(nameArb), entityId: leaf(fc.option(entityIdArb)), properties: arrayOf(property, 3) });
  const accessPattern = shaped({ id: leaf(idArb), description: textNode, entityIds: leaf(fc.array(entityIdArb, { maxLength: 3 })) });
  const other = shaped({ id: leaf(idArb), name: leaf(nameArb), text: textNode, answer: textNode });

  const build = (item: Node): unknown => {
    // fast-check's records have a null prototype, which Yjs refuses: store plain JSON copies
    if (item.$y === 'leaf') return item.value === null || typeof item.value !== 'object' ? item.value : JSON.parse(JSON.stringify(item.value));
    if (item.$y === 'text') return new Y.Text(item.value);
    if (item.$y === 'array') {
      const array = new Y.Array<unknown>();
      array.push(item.items.map(build));
      return array;
    }
    const map = new Y.Map<unknown>();
    for (const [key, value] of item.entries) map.set(key, build(value));
    return map;
  };
  const garbageDoc = fc.record({
    entities: arrayOf(entity, 4, 1),
    relationships: arrayOf(relationship, 3, 1),
    events: arrayOf(event, 2),
    frameActors: arrayOf(other, 2),
    frameRules: arrayOf(other, 2),
    frameAccessPatterns: arrayOf(accessPattern, 2),
    winAnswers: arrayOf(other, 2),
    strategy: leafArb,
  });

  it('always returns a schema-valid model whose only possible issues are duplicate names (property)', () => {
    const seen = { entities: 0, fields: 0, constraints: 0, indexes: 0, relationships: 0, references: 0 };
    fc.assert(
      fc.property(garbageDoc, ({ strategy, ...lists }) => {
        const doc = new Y.Doc();
        const types = sharedTypes(doc);
        doc.transact(() => {
          for (const [name, array] of Object.entries(lists)) {
            if (array.$y === 'array') types[name as keyof typeof lists].push(array.items.map(build));
          }
          types.frameTenancy.set('strategy', build({ $y: 'leaf', value: strategy }));
        });
        const model: Model = toJSON(replicaOf(doc));
        expect(modelSchema.safeParse(model).success).toBe(true);
        expect(checkIntegrity(model).filter((issue) => issue.code !== 'duplicate_name')).toEqual([]);
        seen.entities += model.entities.length;
        for (const item of model.entities) {
          seen.fields += item.fields.length;
          seen.constraints += item.constraints.length;
          seen.indexes += item.indexes.length;
          seen.references += item.fields.filter((candidate) => candidate.references).length;
        }
        seen.relationships += model.relationships.length;
        // the document can always be reconciled to what it reads as (names made unique to pass validation)
        const renamed = model.entities.map((item, i) => ({ ...item, name: `t${i}`, fields: item.fields.map((f, j) => ({ ...f, name: `c${j}` })) }));
        const events = model.events.map((item) => ({ ...item, properties: item.properties.map((p, j) => ({ ...p, name: `p${j}` })) }));
        const target = parseModel({ ...model, entities: renamed, events });
        expect(toJSON(applyModel(doc, target))).toEqual(target);
      }),
      { seed: 20260101, numRuns: 200 },
    );
    // the generator reaches the interesting cases, not only empty models
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(5);
  });
});
