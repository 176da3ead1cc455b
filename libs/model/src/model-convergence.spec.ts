import fc from 'fast-check';
import * as Y from 'yjs';
import type { Model } from './model.schema';
import { ModelOperationError, ModelValidationError } from './model.errors';
import { checkIntegrity } from './model-validation';
import * as ops from './model-operations';
import { applyModel, createModelDoc, toJSON } from './yjs-binding';
import { saasModel } from './model-fixtures.test-util';

/**
 * Seeded fuzz test of the shared document: 2-3 replicas run random operations; every update travels as
 * its own message, delivered in random order (Yjs holds back updates whose dependencies are missing),
 * and replicas sometimes sync whole states; partitions happen when messages wait. At the end every
 * message is delivered (in reverse order) and all replicas must read the same, valid model.
 */

type Mode = {
  /** Names come from one pool shared by all replicas, or from a pool private to each replica. */
  sharedNames: boolean;
  /** Include operations that re-create elements (moveField, imports that reorder). */
  moves: boolean;
};

interface Context {
  doc: Y.Doc;
  model: Model;
  replica: number;
  pick: (slot: number, length: number) => number;
  text: string;
  id: () => string;
  name: () => string;
}

const TYPES = ['text', 'uuid', 'bigint', 'timestamptz'];
const CARDINALITIES = ['1:1', '1:N', 'N:M'] as const;

function pickFrom<T>(c: Context, slot: number, items: readonly T[]): T | undefined {
  return items.length ? items[c.pick(slot, items.length)] : undefined;
}

/** An edit of `current` as a person would type it: insert `c.text` somewhere, or delete a few characters. */
function typed(c: Context, current: string, max = 200): string {
  const at = c.pick(4, current.length + 1);
  if (c.pick(5, 3) === 0 && current.length) return current.slice(0, at) + current.slice(at + 3);
  return (current.slice(0, at) + c.text + current.slice(at)).slice(0, max);
}

function anyField(c: Context, slot: number) {
  const entity = pickFrom(c, slot, c.model.entities.filter((item) => item.fields.length));
  const field = entity && pickFrom(c, slot + 1, entity.fields);
  return entity && field ? { entity, field } : undefined;
}

/** Each operation picks its targets from the replica's current model; a refused operation is fine. */
const OPERATIONS: Record<string, (c: Context) => void> = {
  addEntity: (c) => void ops.addEntity(c.doc, { id: c.id(), name: c.name(), description: c.text }),
  renameEntity: (c) => {
    const entity = pickFrom(c, 0, c.model.entities);
    if (entity) ops.renameEntity(c.doc, { entityId: entity.id, name: c.name() });
  },
  updateEntity: (c) => {
    const entity = pickFrom(c, 0, c.model.entities);
    if (entity) ops.updateEntity(c.doc, { entityId: entity.id, description: typed(c, entity.description), kind: c.pick(1, 4) ? 'table' : 'view' });
  },
  removeEntity: (c) => {
    const entity = pickFrom(c, 0, c.model.entities);
    if (entity && c.pick(1, 2)) ops.removeEntity(c.doc, { entityId: entity.id });
  },
  addField: (c) => {
    const entity = pickFrom(c, 0, c.model.entities);
    if (!entity) return;
    const target = c.pick(2, 2) ? anyField(c, 3) : undefined;
    ops.addField(c.doc, {
      entityId: entity.id,
      id: c.id(),
      name: c.name(),
      type: TYPES[c.pick(1, TYPES.length)],
      primaryKey: c.pick(5, 5) === 0,
      references: target ? { entityId: target.entity.id, fieldId: target.field.id } : null,
      index: c.pick(4, entity.fields.length + 1),
    });
  },
  renameField: (c) => {
    const found = anyField(c, 0);
    if (found) ops.renameField(c.doc, { entityId: found.entity.id, fieldId: found.field.id, name: c.name() });
  },
  updateField: (c) => {
    const found = anyField(c, 0);
    if (!found) return;
    const target = c.pick(2, 3) === 0 ? anyField(c, 3) : undefined;
    ops.updateField(c.doc, {
      entityId: found.entity.id,
      fieldId: found.field.id,
      type: c.pick(2, 2) ? TYPES[c.pick(1, TYPES.length)] : undefined,
      nullable: c.pick(5, 2) === 0,
      description: typed(c, found.field.description),
      references: target ? { entityId: target.entity.id, fieldId: target.field.id } : c.pick(2, 3) === 1 ? null : undefined,
    });
  },
  removeField: (c) => {
    const found = anyField(c, 0);
    if (found) ops.removeField(c.doc, { entityId: found.entity.id, fieldId: found.field.id });
  },
  moveField: (c) => {
    const found = anyField(c, 0);
    if (found) ops.moveField(c.doc, { entityId: found.entity.id, fieldId: found.field.id, index: c.pick(2, found.entity.fields.length) });
  },
  addIndex: (c) => {
    const found = anyField(c, 0);
    if (!found) return;
    const second = pickFrom(c, 2, found.entity.fields);
    const fieldIds = second && second.id !== found.field.id ? [found.field.id, second.id] : [found.field.id];
    ops.addIndex(c.doc, { entityId: found.entity.id, id: c.id(), fieldIds, unique: c.pick(3, 2) === 0 });
  },
  removeIndex: (c) => {
    const entity = pickFrom(c, 0, c.model.entities.filter((item) => item.indexes.length));
    const index = entity && pickFrom(c, 1, entity.indexes);
    if (entity && index) ops.removeIndex(c.doc, { entityId: entity.id, indexId: index.id });
  },
  addConstraint: (c) => {
    const found = anyField(c, 0);
    if (!found) return;
    const target = anyField(c, 2);
    if (target && c.pick(4, 2))
      ops.addConstraint(c.doc, {
        entityId: found.entity.id,
        id: c.id(),
        kind: 'foreign_key',
        fieldIds: [found.field.id],
        references: { entityId: target.entity.id, fieldIds: [target.field.id] },
      });
    else ops.addConstraint(c.doc, { entityId: found.entity.id, id: c.id(), kind: 'unique', fieldIds: [found.field.id] });
  },
  removeConstraint: (c) => {
    const entity = pickFrom(c, 0, c.model.entities.filter((item) => item.constraints.length));
    const constraint = entity && pickFrom(c, 1, entity.constraints);
    if (entity && constraint) ops.removeConstraint(c.doc, { entityId: entity.id, constraintId: constraint.id });
  },
  addRelationship: (c) => {
    const from = anyField(c, 0);
    const to = anyField(c, 2);
    const through = pickFrom(c, 4, c.model.entities);
    if (!from || !to || !through) return;
    const cardinality = CARDINALITIES[c.pick(5, 3)];
    const withFields = cardinality !== 'N:M' && c.pick(1, 2) === 0;
    ops.addRelationship(c.doc, {
      id: c.id(),
      fromEntityId: from.entity.id,
      toEntityId: to.entity.id,
      fromFieldIds: withFields ? [from.field.id] : [],
      toFieldIds: withFields ? [to.field.id] : [],
      cardinality,
      throughEntityId: cardinality === 'N:M' ? through.id : null,
    });
  },
  updateRelationship: (c) => {
    const relationship = pickFrom(c, 0, c.model.relationships);
    if (!relationship) return;
    const cardinality = CARDINALITIES[c.pick(1, 3)];
    const through = pickFrom(c, 2, c.model.entities);
    ops.updateRelationship(c.doc, {
      relationshipId: relationship.id,
      cardinality,
      throughEntityId: cardinality === 'N:M' ? through?.id : undefined,
      description: typed(c, relationship.description),
    });
  },
  removeRelationship: (c) => {
    const relationship = pickFrom(c, 0, c.model.relationships);
    if (relationship) ops.removeRelationship(c.doc, { relationshipId: relationship.id });
  },
  addEvent: (c) => void ops.addEvent(c.doc, { id: c.id(), name: c.name(), entityId: pickFrom(c, 0, c.model.entities)?.id ?? null }),
  updateEvent: (c) => {
    const event = pickFrom(c, 0, c.model.events);
    if (event) ops.updateEvent(c.doc, { eventId: event.id, trigger: typed(c, event.trigger), entityId: pickFrom(c, 1, c.model.entities)?.id });
  },
  removeEvent: (c) => {
    const event = pickFrom(c, 0, c.model.events);
    if (event && c.pick(1, 2)) ops.removeEvent(c.doc, { eventId: event.id });
  },
  addEventProperty: (c) => {
    const event = pickFrom(c, 0, c.model.events);
    if (event) ops.addEventProperty(c.doc, { eventId: event.id, id: c.id(), name: c.name(), type: 'string', required: c.pick(1, 2) === 0 });
  },
  updateEventProperty: (c) => {
    const event = pickFrom(c, 0, c.model.events.filter((item) => item.properties.length));
    const property = event && pickFrom(c, 1, event.properties);
    if (event && property) ops.updateEventProperty(c.doc, { eventId: event.id, propertyId: property.id, name: c.name(), type: 'number' });
  },
  removeEventProperty: (c) => {
    const event = pickFrom(c, 0, c.model.events.filter((item) => item.properties.length));
    const property = event && pickFrom(c, 1, event.properties);
    if (event && property) ops.removeEventProperty(c.doc, { eventId: event.id, propertyId: property.id });
  },
  setFrameDomain: (c) => ops.setFrameDomain(c.doc, { domain: typed(c, c.model.frame.domain) }),
  addAccessPattern: (c) => {
    const entity = pickFrom(c, 0, c.model.entities);
    ops.addAccessPattern(c.doc, { id: c.id(), description: c.text, entityIds: entity ? [entity.id] : [] });
  },
  updateAccessPattern: (c) => {
    const pattern = pickFrom(c, 0, c.model.frame.accessPatterns);
    if (pattern) ops.updateAccessPattern(c.doc, { accessPatternId: pattern.id, description: typed(c, pattern.description), frequency: 'high' });
  },
  addRule: (c) => void ops.addRule(c.doc, { id: c.id(), text: c.text }),
  updateRule: (c) => {
    const rule = pickFrom(c, 0, c.model.frame.rules);
    if (rule) ops.updateRule(c.doc, { ruleId: rule.id, text: typed(c, rule.text), kind: c.pick(1, 2) ? 'rule' : 'invariant' });
  },
  setTenancy: (c) => ops.setTenancy(c.doc, { strategy: c.pick(0, 2) ? 'shared-schema' : null, notes: typed(c, c.model.frame.tenancy.notes) }),
  addActor: (c) => void ops.addActor(c.doc, { id: c.id(), name: c.name() }),
  removeActor: (c) => {
    const actor = pickFrom(c, 0, c.model.frame.actors);
    if (actor) ops.removeActor(c.doc, { actorId: actor.id });
  },
  addWinAnswer: (c) => void ops.addWinAnswer(c.doc, { id: c.id(), question: c.text, sql: 'select 1' }),
  updateWinAnswer: (c) => {
    const answer = pickFrom(c, 0, c.model.win.answers);
    if (answer) ops.updateWinAnswer(c.doc, { answerId: answer.id, sql: typed(c, answer.sql), answer: typed(c, answer.answer) });
  },
  removeWinAnswer: (c) => {
    const answer = pickFrom(c, 0, c.model.win.answers);
    if (answer) ops.removeWinAnswer(c.doc, { answerId: answer.id });
  },
  /** A JSON import of the replica's own model with one change, reconciled into the live document. */
  importModel: (c) => {
    const next = structuredClone(c.model);
    const entity = pickFrom(c, 0, next.entities);
    switch (c.pick(1, 3)) {
      case 0:
        if (entity) entity.description = typed(c, entity.description);
        break;
      case 1:
        next.relationships = next.relationships.slice(1);
        next.entities.push({ id: c.id(), name: c.name(), kind: 'table', description: '', fields: [], constraints: [], indexes: [] });
        break;
      default:
        if (entity) entity.fields.reverse(); // re-creates moved fields
        next.entities.reverse(); // re-creates moved entities
    }
    applyModel(c.doc, next);
  },
};

const REORDERING = new Set(['moveField', 'importModel']);

type Action =
  | { kind: 'op'; replica: number; op: string; picks: number[]; text: string }
  | { kind: 'deliver'; replica: number; pick: number }
  | { kind: 'sync'; from: number; to: number };

/** Adds are drawn more often than the rest, so models grow enough for the other operations to bite. */
const opArb = (operations: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...operations.filter((op) => op.startsWith('add'))), weight: 2 },
    { arbitrary: fc.constantFrom(...operations.filter((op) => !op.startsWith('add'))), weight: 3 },
  );

const actionArb = (replicas: number, operations: string[]): fc.Arbitrary<Action> =>
  fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant('op' as const),
        replica: fc.nat(replicas - 1),
        op: opArb(operations),
        picks: fc.array(fc.nat(999), { minLength: 8, maxLength: 8 }),
        text: fc.constantFrom('a', 'tenant ', 'é', '💸', 'xyz'),
      }),
      weight: 6,
    },
    { arbitrary: fc.record({ kind: fc.constant('deliver' as const), replica: fc.nat(replicas - 1), pick: fc.nat(999) }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('sync' as const), from: fc.nat(replicas - 1), to: fc.nat(replicas - 1) }), weight: 1 },
  );

const scenarioArb = (mode: Mode) =>
  fc.integer({ min: 2, max: 3 }).chain((replicas) =>
    fc.record({
      replicas: fc.constant(replicas),
      /** Start from the sample model shared by all replicas, or from an empty document. */
      fromSample: fc.boolean(),
      actions: fc.array(
        actionArb(
          replicas,
          Object.keys(OPERATIONS).filter((op) => mode.moves || !REORDERING.has(op)),
        ),
        { minLength: 20, maxLength: 80 },
      ),
    }),
  );

type Stats = { changed: number; unchanged: number; refused: number; fields: number };

function run(mode: Mode, scenario: { replicas: number; fromSample: boolean; actions: Action[] }, stats: Stats): void {
  const sample = scenario.fromSample ? Y.encodeStateAsUpdate(createModelDoc(saasModel())) : null;
  const docs = Array.from({ length: scenario.replicas }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = i + 1; // deterministic runs
    if (sample) Y.applyUpdate(doc, sample, 'remote');
    return doc;
  });
  const inboxes: Uint8Array[][] = docs.map(() => []);
  docs.forEach((doc, i) =>
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return;
      inboxes.forEach((inbox, j) => j !== i && inbox.push(update));
    }),
  );
  const counters = docs.map(() => 0);

  for (const action of scenario.actions) {
    if (action.kind === 'deliver') {
      const inbox = inboxes[action.replica];
      if (inbox.length) Y.applyUpdate(docs[action.replica], inbox.splice(action.pick % inbox.length, 1)[0], 'remote');
      continue;
    }
    if (action.kind === 'sync') {
      const [from, to] = [docs[action.from], docs[action.to]];
      if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote');
      continue;
    }
    const { replica, picks } = action;
    const context: Context = {
      doc: docs[replica],
      model: toJSON(docs[replica]),
      replica,
      pick: (slot, length) => picks[slot % picks.length] % length,
      text: action.text,
      id: () => `r${replica}n${counters[replica]++}`,
      name: () => (mode.sharedNames ? ['users', 'Users', 'orders', 'items'][picks[6] % 4] : `r${replica}_${picks[6] % 6}`),
    };
    const before = Y.encodeStateVector(context.doc);
    try {
      OPERATIONS[action.op](context);
      const changed = Buffer.compare(Buffer.from(before), Buffer.from(Y.encodeStateVector(context.doc))) !== 0;
      if (changed) stats.changed++;
      else stats.unchanged++;
    } catch (error) {
      if (!(error instanceof ModelOperationError || error instanceof ModelValidationError)) throw error;
      stats.refused++;
    }
  }

  // deliver everything still in flight, latest first
  inboxes.forEach((inbox, i) => {
    for (const update of inbox.reverse()) Y.applyUpdate(docs[i], update, 'remote');
  });
  const models = docs.map(toJSON);
  for (const model of models.slice(1)) expect(model).toEqual(models[0]);
  stats.fields += models[0].entities.reduce((count, entity) => count + entity.fields.length, 0);
  const issues = checkIntegrity(models[0]);
  expect(mode.sharedNames ? issues.filter((issue) => issue.code !== 'duplicate_name') : issues).toEqual([]);
}

const RUNS = 60;

describe('replicas converge under random concurrent operations (property)', () => {
  it.each<[string, Mode, number]>([
    ['names private to each replica, no moves: a fully valid model', { sharedNames: false, moves: false }, 424242],
    ['shared names, moves and imports: a model valid but for duplicate names', { sharedNames: true, moves: true }, 1717],
  ])('%s', (_label, mode, seed) => {
    const stats: Stats = { changed: 0, unchanged: 0, refused: 0, fields: 0 };
    fc.assert(
      fc.property(scenarioArb(mode), (scenario) => run(mode, scenario, stats)),
      { seed, numRuns: RUNS },
    );
    // most operations find something to act on and are accepted, and the models end up non-trivial
    expect(stats.changed).toBeGreaterThan((stats.unchanged + stats.refused) / 2);
    expect(stats.fields / RUNS).toBeGreaterThan(3);
  });
});
