import * as Y from 'yjs';
import { ModelOperationError, ModelOperationErrorCode } from './model.errors';
import { newId } from './model-ids';
import { checkIntegrity, validateModel } from './model-validation';
import {
  addAccessPattern,
  addActor,
  addConstraint,
  addEntity,
  addEvent,
  addEventProperty,
  addField,
  addIndex,
  addRelationship,
  addRule,
  addWinAnswer,
  moveField,
  removeAccessPattern,
  removeActor,
  removeConstraint,
  removeEntity,
  removeEvent,
  removeEventProperty,
  removeField,
  removeIndex,
  removeRelationship,
  removeRule,
  removeWinAnswer,
  renameEntity,
  renameField,
  setFrameDomain,
  setTenancy,
  updateAccessPattern,
  updateActor,
  updateEntity,
  updateEvent,
  updateEventProperty,
  updateField,
  updateRelationship,
  updateRule,
  updateWinAnswer,
} from './model-operations';
import { createModelDoc, toJSON } from './yjs-binding';
import { sharedTypes } from './yjs-layout';
import { replicaOf, saasModel, syncAll, syncDocs } from './model-fixtures.test-util';

/** Runs `run` expecting a ModelOperationError with `code`, and checks the document did not change. */
function expectRefused(doc: Y.Doc, code: ModelOperationErrorCode, run: () => unknown, message?: RegExp): void {
  const before = Y.encodeStateVector(doc);
  let error: unknown;
  try {
    run();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ModelOperationError);
  expect((error as ModelOperationError).code).toBe(code);
  if (message) expect((error as ModelOperationError).message).toMatch(message);
  expect(Y.encodeStateVector(doc)).toEqual(before);
}

const saasDoc = () => createModelDoc(saasModel());
const entity = (doc: Y.Doc, id: string) => {
  const found = toJSON(doc).entities.find((item) => item.id === id);
  if (!found) throw new Error(`no entity ${id}`);
  return found;
};
const expectValid = (doc: Y.Doc) => expect(checkIntegrity(toJSON(doc))).toEqual([]);

describe('newId', () => {
  it('makes short, url-safe, prefixed ids that do not repeat', () => {
    const ids = Array.from({ length: 2000 }, () => newId('ent'));
    for (const id of ids) expect(id).toMatch(/^ent_[A-Za-z0-9]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses a prefix that would make an odd id', () => {
    expect(() => newId('Bad Prefix')).toThrow(ModelOperationError);
    expect(() => newId('')).toThrow(/id prefix/);
  });
});

describe('entity operations', () => {
  it('adds an entity with a fresh id in one transaction with the origin', () => {
    const doc = createModelDoc();
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    const id = addEntity(doc, { name: ' accounts ', description: 'Billing accounts.' }, 'user-1');
    expect(id).toMatch(/^ent_/);
    expect(origins).toEqual(['user-1']);
    expect(toJSON(doc).entities).toEqual([
      { id, name: 'accounts', kind: 'table', description: 'Billing accounts.', fields: [], constraints: [], indexes: [] },
    ]);
  });

  it('takes a caller id, refusing one already used anywhere', () => {
    const doc = saasDoc();
    expect(addEntity(doc, { id: 'ent_plans', name: 'plans' })).toBe('ent_plans');
    expectRefused(doc, 'DUPLICATE_ID', () => addEntity(doc, { id: 'fld_users_email', name: 'x' }));
    expectRefused(doc, 'INVALID_ARGUMENT', () => addEntity(doc, { id: 'has space', name: 'x' }), /id:/);
  });

  it('refuses a name already used, ignoring case', () => {
    const doc = saasDoc();
    expectRefused(doc, 'DUPLICATE_NAME', () => addEntity(doc, { name: 'USERS' }), /"users" already exists/);
    expectRefused(doc, 'DUPLICATE_NAME', () => renameEntity(doc, { entityId: 'ent_teams', name: 'Tenants' }));
    renameEntity(doc, { entityId: 'ent_teams', name: 'Teams' });
    expect(entity(doc, 'ent_teams').name).toBe('Teams');
  });

  it('refuses bad arguments with INVALID_ARGUMENT', () => {
    const doc = saasDoc();
    expectRefused(doc, 'INVALID_ARGUMENT', () => addEntity(doc, { name: '' }), /name: a name must not be empty/);
    expectRefused(doc, 'INVALID_ARGUMENT', () => addEntity(doc, { name: 'x', kind: 'matview' as 'view' }), /kind/);
    expectRefused(doc, 'INVALID_ARGUMENT', () => addEntity(doc, null as never), /expects an object/);
    expectRefused(doc, 'INVALID_ARGUMENT', () => addEntity(doc, { name: 'x', colour: 'red' } as never), /does not take "colour"/);
    expectRefused(doc, 'INVALID_ARGUMENT', () => renameEntity(doc, { name: 'x' } as never), /needs entityId/);
    expectRefused(doc, 'ENTITY_NOT_FOUND', () => updateEntity(doc, { entityId: 'ent_nope', kind: 'view' }), /no entity with id "ent_nope"/);
  });

  it('updates kind and description, editing the text minimally', () => {
    const doc = saasDoc();
    const text = (sharedTypes(doc).entities.get(4) as Y.Map<unknown>).get('description') as Y.Text;
    const deltas: unknown[] = [];
    text.observe((event) => deltas.push(event.delta));
    updateEntity(doc, { entityId: 'ent_invoices', kind: 'view', description: 'Issued monthly, append-only once final.' });
    expect(entity(doc, 'ent_invoices')).toMatchObject({ kind: 'view', description: 'Issued monthly, append-only once final.' });
    expect(deltas).toEqual([[{ retain: 38 }, { delete: 4 }]]); // "finalised." -> "final."
  });

  it('removes an entity with its relationships, references, foreign keys and links', () => {
    const doc = saasDoc();
    removeEntity(doc, { entityId: 'ent_tenants' });
    const model = toJSON(doc);
    expect(model.entities.map((item) => item.name)).toEqual(['users', 'teams', 'memberships', 'invoices']);
    expect(model.entities[0].fields[1].references).toBeNull();
    expect(model.entities[1].constraints).toEqual([]);
    expect(model.relationships.map((item) => item.id)).toEqual(['rel_user_teams']);
    expect(model.frame.accessPatterns[0].entityIds).toEqual(['ent_invoices']);
    expectValid(doc);

    removeEntity(doc, { entityId: 'ent_memberships' });
    expect(toJSON(doc).relationships).toEqual([]);
    removeEntity(doc, { entityId: 'ent_invoices' });
    expect(toJSON(doc).events[0].entityId).toBeNull();
    expect(toJSON(doc).frame.accessPatterns[0].entityIds).toEqual([]);
    expectValid(doc);
    expectRefused(doc, 'ENTITY_NOT_FOUND', () => removeEntity(doc, { entityId: 'ent_invoices' }));
  });
});

describe('field operations', () => {
  it('adds a field at a position; a primary key is NOT NULL unless said otherwise', () => {
    const doc = saasDoc();
    const id = addField(doc, { entityId: 'ent_teams', name: 'slug', type: 'text', primaryKey: true, index: 1 });
    expect(entity(doc, 'ent_teams').fields.map((field) => field.name)).toEqual(['id', 'slug', 'tenant_id']);
    expect(entity(doc, 'ent_teams').fields[1]).toEqual({
      id,
      name: 'slug',
      type: 'text',
      nullable: false,
      default: null,
      primaryKey: true,
      unique: false,
      references: null,
      description: '',
    });
    expectRefused(doc, 'INVALID_ARGUMENT', () => addField(doc, { entityId: 'ent_teams', name: 'x', type: 'text', index: 9 }), /index/);
  });

  it('checks names, types and references', () => {
    const doc = saasDoc();
    expectRefused(doc, 'DUPLICATE_NAME', () => addField(doc, { entityId: 'ent_users', name: 'Email', type: 'text' }));
    expectRefused(doc, 'INVALID_ARGUMENT', () => addField(doc, { entityId: 'ent_users', name: 'age', type: ' ' }), /type/);
    expectRefused(doc, 'ENTITY_NOT_FOUND', () =>
      addField(doc, { entityId: 'ent_users', name: 'plan_id', type: 'uuid', references: { entityId: 'ent_plans', fieldId: 'x' } }),
    );
    expectRefused(
      doc,
      'FIELD_NOT_FOUND',
      () => addField(doc, { entityId: 'ent_users', name: 'team_id', type: 'uuid', references: { entityId: 'ent_teams', fieldId: 'fld_users_id' } }),
      /entity "teams" has no field with id "fld_users_id"/,
    );
    expectRefused(doc, 'FIELD_NOT_FOUND', () => renameField(doc, { entityId: 'ent_users', fieldId: 'fld_teams_id', name: 'x' }));
    expectRefused(doc, 'DUPLICATE_NAME', () => renameField(doc, { entityId: 'ent_users', fieldId: 'fld_users_email', name: 'ID' }));
  });

  it('updates only the given keys; null clears a default or a reference', () => {
    const doc = saasDoc();
    const fieldMap = ((sharedTypes(doc).entities.get(1) as Y.Map<unknown>).get('fields') as Y.Array<Y.Map<unknown>>).get(1);
    const keys: string[] = [];
    fieldMap.observe((event) => keys.push(...event.keysChanged));
    updateField(doc, { entityId: 'ent_users', fieldId: 'fld_users_tenant', type: 'bigint', references: null, default: undefined });
    expect(keys.sort()).toEqual(['references', 'type']);
    expect(entity(doc, 'ent_users').fields[1]).toMatchObject({ type: 'bigint', references: null, nullable: false });
    updateField(doc, { entityId: 'ent_users', fieldId: 'fld_users_email', primaryKey: true, unique: true, default: "''" });
    expect(entity(doc, 'ent_users').fields[2]).toMatchObject({ primaryKey: true, nullable: false, unique: true, default: "''" });
    expectRefused(doc, 'INVALID_ARGUMENT', () => updateField(doc, { entityId: 'ent_users', fieldId: 'fld_users_email', nullable: 'no' as never }));
    expectRefused(doc, 'INVALID_ARGUMENT', () => updateField(doc, { entityId: 'ent_users', fieldId: 'fld_users_email', name: 'x' } as never));
  });

  it('removes a field with the indexes, constraints and foreign keys using it', () => {
    const doc = saasDoc();
    removeField(doc, { entityId: 'ent_invoices', fieldId: 'fld_invoices_tenant' });
    expect(entity(doc, 'ent_invoices').indexes).toEqual([]);
    expect(toJSON(doc).relationships[2]).toMatchObject({ id: 'rel_tenant_invoices', fromFieldIds: [], toFieldIds: [] });

    removeField(doc, { entityId: 'ent_tenants', fieldId: 'fld_tenants_id' });
    expect(entity(doc, 'ent_users').fields[1].references).toBeNull();
    expect(entity(doc, 'ent_teams').constraints).toEqual([]);
    expect(toJSON(doc).relationships[0]).toMatchObject({ fromFieldIds: [], toFieldIds: [] });

    removeField(doc, { entityId: 'ent_users', fieldId: 'fld_users_email' });
    expect(entity(doc, 'ent_users').constraints).toEqual([]);
    expect(entity(doc, 'ent_users').fields.map((field) => field.name)).toEqual(['id', 'tenant_id']);
    expectValid(doc);
  });

  it('keeps the other pairs of a composite relationship when one field goes', () => {
    const doc = saasDoc();
    addField(doc, { entityId: 'ent_tenants', id: 'fld_tenants_region', name: 'region', type: 'text' });
    addField(doc, { entityId: 'ent_users', id: 'fld_users_region', name: 'region', type: 'text' });
    updateRelationship(doc, {
      relationshipId: 'rel_tenant_users',
      fromFieldIds: ['fld_tenants_id', 'fld_tenants_region'],
      toFieldIds: ['fld_users_tenant', 'fld_users_region'],
    });
    removeField(doc, { entityId: 'ent_users', fieldId: 'fld_users_region' });
    expect(toJSON(doc).relationships[0]).toMatchObject({ fromFieldIds: ['fld_tenants_id'], toFieldIds: ['fld_users_tenant'] });
  });

  it('moves a field', () => {
    const doc = saasDoc();
    moveField(doc, { entityId: 'ent_invoices', fieldId: 'fld_invoices_created', index: 1 });
    expect(entity(doc, 'ent_invoices').fields.map((field) => field.name)).toEqual(['id', 'created_at', 'tenant_id', 'amount']);
    moveField(doc, { entityId: 'ent_invoices', fieldId: 'fld_invoices_id', index: 3 });
    expect(entity(doc, 'ent_invoices').fields.map((field) => field.name)).toEqual(['created_at', 'tenant_id', 'amount', 'id']);
    expect(entity(doc, 'ent_invoices').fields[3]).toMatchObject({ primaryKey: true, nullable: false });
    expectRefused(doc, 'INVALID_ARGUMENT', () => moveField(doc, { entityId: 'ent_invoices', fieldId: 'fld_invoices_id', index: 4 }));
    expectRefused(doc, 'INVALID_ARGUMENT', () => moveField(doc, { entityId: 'ent_invoices', fieldId: 'fld_invoices_id' } as never));
    expectValid(doc);
  });
});

describe('constraint and index operations', () => {
  it('adds and removes a composite foreign key', () => {
    const doc = saasDoc();
    const id = addConstraint(doc, {
      entityId: 'ent_memberships',
      kind: 'foreign_key',
      name: 'memberships_team_fk',
      fieldIds: ['fld_memberships_team'],
      references: { entityId: 'ent_teams', fieldIds: ['fld_teams_id'], onDelete: 'cascade' },
    });
    expect(entity(doc, 'ent_memberships').constraints[0]).toMatchObject({ id, kind: 'foreign_key', references: { onDelete: 'cascade' } });
    expectValid(doc);
    removeConstraint(doc, { entityId: 'ent_memberships', constraintId: id });
    expect(entity(doc, 'ent_memberships').constraints).toEqual([]);
    expectRefused(doc, 'CONSTRAINT_NOT_FOUND', () => removeConstraint(doc, { entityId: 'ent_memberships', constraintId: id }));
  });

  it('refuses constraints that would not validate', () => {
    const doc = saasDoc();
    const fk = { entityId: 'ent_memberships', kind: 'foreign_key' as const, fieldIds: ['fld_memberships_team'] };
    expectRefused(doc, 'INVALID_ARGUMENT', () => addConstraint(doc, fk), /needs references/);
    expectRefused(doc, 'INVALID_ARGUMENT', () =>
      addConstraint(doc, { ...fk, references: { entityId: 'ent_teams', fieldIds: ['fld_teams_id', 'fld_teams_tenant'] } }),
    );
    expectRefused(doc, 'FIELD_NOT_FOUND', () => addConstraint(doc, { ...fk, references: { entityId: 'ent_teams', fieldIds: ['fld_users_id'] } }));
    expectRefused(doc, 'FIELD_NOT_FOUND', () => addConstraint(doc, { entityId: 'ent_memberships', kind: 'unique', fieldIds: ['fld_teams_id'] }));
    expectRefused(doc, 'INVALID_ARGUMENT', () =>
      addConstraint(doc, { entityId: 'ent_memberships', kind: 'unique', fieldIds: ['fld_memberships_team', 'fld_memberships_team'] }),
    );
    expectRefused(doc, 'INVALID_ARGUMENT', () => addConstraint(doc, { entityId: 'ent_memberships', kind: 'check', expression: ' ' }));
    expectRefused(doc, 'INVALID_ARGUMENT', () =>
      addConstraint(doc, { entityId: 'ent_memberships', kind: 'unique', fieldIds: ['fld_memberships_team'], references: { entityId: 'ent_teams', fieldIds: [] } }),
    );
  });

  it('adds and removes an index', () => {
    const doc = saasDoc();
    const id = addIndex(doc, { entityId: 'ent_users', fieldIds: ['fld_users_tenant', 'fld_users_email'], unique: true, where: 'deleted_at is null' });
    expect(entity(doc, 'ent_users').indexes).toEqual([
      { id, name: '', fieldIds: ['fld_users_tenant', 'fld_users_email'], unique: true, where: 'deleted_at is null', method: 'btree' },
    ]);
    expectRefused(doc, 'INVALID_ARGUMENT', () => addIndex(doc, { entityId: 'ent_users', fieldIds: [] }), /at least one column/);
    expectRefused(doc, 'FIELD_NOT_FOUND', () => addIndex(doc, { entityId: 'ent_users', fieldIds: ['fld_teams_id'] }));
    removeIndex(doc, { entityId: 'ent_users', indexId: id });
    expect(entity(doc, 'ent_users').indexes).toEqual([]);
    expectRefused(doc, 'INDEX_NOT_FOUND', () => removeIndex(doc, { entityId: 'ent_users', indexId: id }));
  });
});

describe('relationship operations', () => {
  it('adds, updates and removes relationships', () => {
    const doc = saasDoc();
    const id = addRelationship(doc, {
      fromEntityId: 'ent_teams',
      toEntityId: 'ent_memberships',
      cardinality: '1:N',
      fromFieldIds: ['fld_teams_id'],
      toFieldIds: ['fld_memberships_team'],
    });
    expect(toJSON(doc).relationships[3]).toMatchObject({ id, cardinality: '1:N', throughEntityId: null });
    updateRelationship(doc, { relationshipId: id, toEntityId: 'ent_users' });
    expect(toJSON(doc).relationships[3]).toMatchObject({ toEntityId: 'ent_users', toFieldIds: [], fromFieldIds: ['fld_teams_id'] });
    updateRelationship(doc, { relationshipId: 'rel_user_teams', cardinality: '1:N' });
    expect(toJSON(doc).relationships[1]).toMatchObject({ cardinality: '1:N', throughEntityId: null });
    removeRelationship(doc, { relationshipId: id });
    expect(toJSON(doc).relationships).toHaveLength(3);
    expectValid(doc);
    expectRefused(doc, 'RELATIONSHIP_NOT_FOUND', () => removeRelationship(doc, { relationshipId: id }));
  });

  it('refuses relationships that would not validate', () => {
    const doc = saasDoc();
    expectRefused(doc, 'INVALID_ARGUMENT', () => addRelationship(doc, { fromEntityId: 'ent_users', toEntityId: 'ent_teams', cardinality: 'N:M' }), /throughEntityId/);
    expectRefused(doc, 'INVALID_ARGUMENT', () =>
      addRelationship(doc, { fromEntityId: 'ent_users', toEntityId: 'ent_teams', cardinality: '1:1', throughEntityId: 'ent_memberships' }),
    );
    expectRefused(doc, 'ENTITY_NOT_FOUND', () => addRelationship(doc, { fromEntityId: 'ent_users', toEntityId: 'ent_x', cardinality: '1:N' }));
    expectRefused(doc, 'FIELD_NOT_FOUND', () =>
      addRelationship(doc, { fromEntityId: 'ent_users', fromFieldIds: ['fld_teams_id'], toEntityId: 'ent_teams', cardinality: '1:N' }),
    );
    expectRefused(doc, 'INVALID_ARGUMENT', () => updateRelationship(doc, { relationshipId: 'rel_tenant_users', toFieldIds: ['fld_users_tenant', 'fld_users_id'] }));
    expectRefused(doc, 'INVALID_ARGUMENT', () => updateRelationship(doc, { relationshipId: 'rel_tenant_users', cardinality: 'N:M' }));
  });
});

describe('event operations', () => {
  it('adds, updates and removes events and their properties', () => {
    const doc = saasDoc();
    const eventId = addEvent(doc, { name: 'Seat Added', trigger: 'an admin invites a user', entityId: 'ent_users' });
    const propertyId = addEventProperty(doc, { eventId, name: 'seat_count', type: 'integer', required: true });
    expect(toJSON(doc).events[1]).toEqual({
      id: eventId,
      name: 'Seat Added',
      description: '',
      trigger: 'an admin invites a user',
      entityId: 'ent_users',
      properties: [{ id: propertyId, name: 'seat_count', type: 'integer', required: true, description: '' }],
    });
    updateEvent(doc, { eventId, entityId: null, description: 'Billable.' });
    updateEventProperty(doc, { eventId, propertyId, type: 'number', description: 'after the change' });
    expect(toJSON(doc).events[1]).toMatchObject({ entityId: null, description: 'Billable.', properties: [{ type: 'number', description: 'after the change' }] });

    expectRefused(doc, 'DUPLICATE_NAME', () => addEventProperty(doc, { eventId, name: 'seat_count', type: 'string' }));
    addEventProperty(doc, { eventId, name: 'Seat_Count', type: 'string' }); // property names are case-sensitive
    expectRefused(doc, 'ENTITY_NOT_FOUND', () => updateEvent(doc, { eventId, entityId: 'ent_gone' }));
    expectRefused(doc, 'INVALID_ARGUMENT', () => updateEventProperty(doc, { eventId, propertyId, type: 'date' as 'string' }));
    expectRefused(doc, 'EVENT_NOT_FOUND', () => addEventProperty(doc, { eventId: 'evt_x', name: 'a', type: 'string' }));

    removeEventProperty(doc, { eventId, propertyId });
    expectRefused(doc, 'EVENT_PROPERTY_NOT_FOUND', () => removeEventProperty(doc, { eventId, propertyId }));
    removeEvent(doc, { eventId });
    expect(toJSON(doc).events.map((event) => event.id)).toEqual(['evt_invoice_paid']);
  });
});

describe('frame and win operations', () => {
  it('edits the domain, actors, rules, access patterns and tenancy', () => {
    const doc = saasDoc();
    const domain = sharedTypes(doc).frameDomain;
    const deltas: unknown[] = [];
    domain.observe((event) => deltas.push(event.delta));
    setFrameDomain(doc, { domain: 'B2B SaaS with per-seat billing 💸, usage metering and audit logs.' });
    expect(deltas).toEqual([[{ retain: 33 }, { insert: ', usage metering' }]]);
    expectRefused(doc, 'INVALID_ARGUMENT', () => setFrameDomain(doc, { domain: 42 as never }));

    const actorId = addActor(doc, { name: 'Auditor' });
    updateActor(doc, { actorId, description: 'Reads the audit log.' });
    const ruleId = addRule(doc, { text: 'Usage is metered per hour.' });
    updateRule(doc, { ruleId, kind: 'invariant' });
    const patternId = addAccessPattern(doc, { description: 'Usage per tenant per day', entityIds: ['ent_tenants'] });
    updateAccessPattern(doc, { accessPatternId: patternId, frequency: 'high' });
    setTenancy(doc, { strategy: 'schema-per-tenant' });
    setTenancy(doc, { notes: 'One schema per tenant.' });

    const frame = toJSON(doc).frame;
    expect(frame.actors[1]).toEqual({ id: actorId, name: 'Auditor', description: 'Reads the audit log.' });
    expect(frame.rules[2]).toEqual({ id: ruleId, kind: 'invariant', text: 'Usage is metered per hour.' });
    expect(frame.accessPatterns[1]).toEqual({ id: patternId, description: 'Usage per tenant per day', frequency: 'high', entityIds: ['ent_tenants'] });
    expect(frame.tenancy).toEqual({ strategy: 'schema-per-tenant', notes: 'One schema per tenant.' });

    expectRefused(doc, 'ENTITY_NOT_FOUND', () => updateAccessPattern(doc, { accessPatternId: patternId, entityIds: ['ent_gone'] }));
    expectRefused(doc, 'INVALID_ARGUMENT', () => addAccessPattern(doc, { description: 'x', entityIds: ['ent_users', 'ent_users'] }));
    expectRefused(doc, 'INVALID_ARGUMENT', () => setTenancy(doc, { strategy: 'per-row' as 'shared-schema' }));

    removeActor(doc, { actorId });
    removeRule(doc, { ruleId });
    removeAccessPattern(doc, { accessPatternId: patternId });
    setTenancy(doc, { strategy: null });
    expect(toJSON(doc).frame.actors).toHaveLength(1);
    expect(toJSON(doc).frame.rules).toHaveLength(2);
    expect(toJSON(doc).frame.accessPatterns).toHaveLength(1);
    expect(toJSON(doc).frame.tenancy.strategy).toBeNull();
    expectRefused(doc, 'ACTOR_NOT_FOUND', () => removeActor(doc, { actorId }));
    expectRefused(doc, 'RULE_NOT_FOUND', () => updateRule(doc, { ruleId, text: 'x' }));
    expectRefused(doc, 'ACCESS_PATTERN_NOT_FOUND', () => removeAccessPattern(doc, { accessPatternId: patternId }));
  });

  it('adds, updates and removes win answers', () => {
    const doc = saasDoc();
    const answerId = addWinAnswer(doc, { question: 'Which tenants churned?', sql: 'select 1' });
    updateWinAnswer(doc, { answerId, sql: 'select tenant_id from invoices', questionId: 'q_churn' });
    expect(toJSON(doc).win.answers[1]).toEqual({
      id: answerId,
      questionId: 'q_churn',
      question: 'Which tenants churned?',
      answer: '',
      sql: 'select tenant_id from invoices',
    });
    removeWinAnswer(doc, { answerId });
    expect(toJSON(doc).win.answers).toHaveLength(1);
    expectRefused(doc, 'WIN_ANSWER_NOT_FOUND', () => updateWinAnswer(doc, { answerId, answer: 'x' }));
  });
});

describe('concurrent edits', () => {
  it('two replicas editing different fields of one entity converge with both edits kept', () => {
    const a = saasDoc();
    const b = replicaOf(a);
    renameField(a, { entityId: 'ent_users', fieldId: 'fld_users_email', name: 'login_email' });
    updateField(a, { entityId: 'ent_users', fieldId: 'fld_users_id', type: 'bigint' });
    updateField(b, { entityId: 'ent_users', fieldId: 'fld_users_tenant', nullable: true });
    updateField(b, { entityId: 'ent_users', fieldId: 'fld_users_email', description: 'Unique per tenant, lower-cased.' });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    const merged = toJSON(a);
    expect(toJSON(b)).toEqual(merged);
    expect(entity(a, 'ent_users').fields).toMatchObject([
      { name: 'id', type: 'bigint' },
      { name: 'tenant_id', nullable: true },
      { name: 'login_email', description: 'Unique per tenant, lower-cased.' },
    ]);
    expect(validateModel(merged).ok).toBe(true);
  });

  it('concurrent typing into one description merges', () => {
    const a = saasDoc();
    const b = replicaOf(a);
    updateEntity(a, { entityId: 'ent_invoices', description: 'Issued monthly, append-only once finalised. Kept 10 years.' });
    updateEntity(b, { entityId: 'ent_invoices', description: 'Invoices are issued monthly, append-only once finalised.' });
    syncAll([a, b]);
    expect(entity(a, 'ent_invoices').description).toBe('Invoices are issued monthly, append-only once finalised. Kept 10 years.');
    expect(toJSON(b)).toEqual(toJSON(a));
  });

  it('an index added while its field is removed elsewhere is dropped on both replicas', () => {
    const a = saasDoc();
    const b = replicaOf(a);
    removeField(a, { entityId: 'ent_users', fieldId: 'fld_users_email' });
    addIndex(b, { entityId: 'ent_users', fieldIds: ['fld_users_email'] });
    addField(b, {
      entityId: 'ent_invoices',
      name: 'billed_to',
      type: 'text',
      references: { entityId: 'ent_users', fieldId: 'fld_users_email' },
    });
    syncAll([a, b]);
    expect(toJSON(a)).toEqual(toJSON(b));
    expect(entity(a, 'ent_users').indexes).toEqual([]);
    expect(entity(a, 'ent_invoices').fields[4]).toMatchObject({ name: 'billed_to', references: null });
    expectValid(a);
  });

  it('a field added to an entity removed elsewhere disappears with it', () => {
    const a = saasDoc();
    const b = replicaOf(a);
    removeEntity(a, { entityId: 'ent_teams' });
    addField(b, { entityId: 'ent_teams', name: 'archived_at', type: 'timestamptz' });
    addRelationship(b, { fromEntityId: 'ent_teams', toEntityId: 'ent_users', cardinality: '1:N' });
    syncDocs(a, b);
    syncDocs(b, a);
    expect(toJSON(a)).toEqual(toJSON(b));
    expect(toJSON(a).entities.map((item) => item.id)).not.toContain('ent_teams');
    expectValid(a);
  });

  it('two concurrent moves of one field leave one copy', () => {
    const a = saasDoc();
    const b = replicaOf(a);
    moveField(a, { entityId: 'ent_invoices', fieldId: 'fld_invoices_amount', index: 0 });
    moveField(b, { entityId: 'ent_invoices', fieldId: 'fld_invoices_amount', index: 3 });
    syncAll([a, b]);
    const names = entity(a, 'ent_invoices').fields.map((field) => field.name);
    expect(names.filter((name) => name === 'amount')).toHaveLength(1);
    expect(toJSON(b)).toEqual(toJSON(a));
    // later operations act on the copy readers see, and removal takes every copy
    renameField(a, { entityId: 'ent_invoices', fieldId: 'fld_invoices_amount', name: 'total' });
    expect(entity(a, 'ent_invoices').fields.map((field) => field.name)).toContain('total');
    removeField(a, { entityId: 'ent_invoices', fieldId: 'fld_invoices_amount' });
    const fields = ((sharedTypes(a).entities.get(4) as Y.Map<unknown>).get('fields') as Y.Array<Y.Map<unknown>>).toArray();
    expect(fields.filter((field) => field.get('id') === 'fld_invoices_amount')).toEqual([]);
  });
});
