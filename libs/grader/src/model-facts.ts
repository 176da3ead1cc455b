import type { Entity, Field, Model, OnDelete } from '@hatch/model';
import { isTimestampType } from './column-types';
import { notNullColumns } from './index-predicate';
import { nameKey, nameTokens } from './name-normalizer';

/** A column list PostgreSQL can search by prefix, or enforce uniqueness on. */
export interface KeyFact {
  id: string;
  name: string;
  kind: 'primary-key' | 'unique-constraint' | 'unique-field' | 'index';
  fieldIds: string[];
  unique: boolean;
  /** A partial index's `WHERE`, empty otherwise. */
  where: string;
  /** The columns `where` only excludes NULLs of (`a IS NOT NULL AND b IS NOT NULL`); [] without a predicate; null for any other predicate. */
  notNullOnly: string[] | null;
  method: string;
}

/** A foreign key the model states: a column reference, a `foreign_key` constraint, or a 1:1/1:N relationship with columns. */
export interface ForeignKeyFact {
  id: string;
  entityId: string;
  fieldIds: string[];
  targetEntityId: string;
  targetFieldIds: string[];
  onDelete: OnDelete | null;
  source: 'field' | 'constraint' | 'relationship';
}

/** A reference whose target entity or columns do not exist (mid-edit models have them). */
export interface BrokenReference {
  entityId: string;
  fieldIds: string[];
  id: string;
  name: string;
  reason: string;
}

/** Facts about one entity; the name lookups are built on first use. */
export class EntityFacts {
  readonly key: string;
  readonly tokens: string[];
  readonly primaryKey: string[] = [];
  /** Every b-tree index, unique constraint, unique column and the primary key. */
  readonly keys: KeyFact[] = [];
  readonly outgoing: ForeignKeyFact[] = [];
  readonly incoming: ForeignKeyFact[] = [];
  readonly timestampFields: Field[] = [];
  private byName?: Map<string, Field>;
  private byKey?: Map<string, Field>;
  private byId?: Map<string, Field>;

  constructor(
    readonly entity: Entity,
    readonly position: number,
  ) {
    this.key = nameKey(entity.name);
    this.tokens = nameTokens(entity.name);
  }

  /** The field with this id; a scan for the usual few dozen fields, a map for wide tables. */
  field(id: string): Field | undefined {
    const fields = this.entity.fields;
    if (fields.length <= 32) {
      for (const field of fields) if (field.id === id) return field;
      return undefined;
    }
    if (!this.byId) {
      this.byId = new Map();
      for (const field of fields) if (!this.byId.has(field.id)) this.byId.set(field.id, field);
    }
    return this.byId.get(id);
  }

  hasField(id: string): boolean {
    return this.field(id) !== undefined;
  }

  /** Lower-case field name → field. */
  get fieldByName(): Map<string, Field> {
    if (!this.byName) {
      this.byName = new Map();
      for (const field of this.entity.fields) {
        const lower = field.name.toLowerCase();
        if (!this.byName.has(lower)) this.byName.set(lower, field);
      }
    }
    return this.byName;
  }

  /** `nameKey` of the field name → field. */
  get fieldByKey(): Map<string, Field> {
    if (!this.byKey) {
      this.byKey = new Map();
      for (const field of this.entity.fields) {
        const key = nameKey(field.name);
        if (!this.byKey.has(key)) this.byKey.set(key, field);
      }
    }
    return this.byKey;
  }
}

export interface ModelFacts {
  model: Model;
  entities: EntityFacts[];
  byId: Map<string, EntityFacts>;
  foreignKeys: ForeignKeyFact[];
  broken: BrokenReference[];
  /** Undirected join graph by entity position: foreign keys, relationships, N:M join entities. */
  neighbors: number[][];
}

/** The ids that name fields of the entity; the same array when all do (the usual case). */
function existingFields(facts: EntityFacts, ids: string[]): string[] {
  for (const id of ids) if (!facts.hasField(id)) return ids.filter((other) => facts.hasField(other));
  return ids;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Precomputes what the checks ask of a model; linear in its size. */
export function buildModelFacts(model: Model): ModelFacts {
  const entities: EntityFacts[] = [];
  const byId = new Map<string, EntityFacts>();
  model.entities.forEach((entity, position) => {
    const facts = new EntityFacts(entity, position);
    const { primaryKey, timestampFields, keys } = facts;
    for (const field of entity.fields) {
      if (field.primaryKey) primaryKey.push(field.id);
      if (isTimestampType(field.type)) timestampFields.push(field);
    }
    if (primaryKey.length > 0) {
      keys.push({ id: `${entity.id}:pk`, name: 'primary key', kind: 'primary-key', fieldIds: primaryKey, unique: true, where: '', notNullOnly: [], method: 'btree' });
    }
    for (const constraint of entity.constraints) {
      if (constraint.kind !== 'unique' || constraint.fieldIds.length === 0) continue;
      keys.push({
        id: constraint.id,
        name: constraint.name || constraint.id,
        kind: 'unique-constraint',
        fieldIds: existingFields(facts, constraint.fieldIds),
        unique: true,
        where: '',
        notNullOnly: [],
        method: 'btree',
      });
    }
    for (const field of entity.fields) {
      if (field.unique && !field.primaryKey) {
        keys.push({ id: `${field.id}:unique`, name: `${field.name} unique`, kind: 'unique-field', fieldIds: [field.id], unique: true, where: '', notNullOnly: [], method: 'btree' });
      }
    }
    for (const index of entity.indexes) {
      const where = index.where.trim();
      keys.push({
        id: index.id,
        name: index.name || index.id,
        kind: 'index',
        fieldIds: existingFields(facts, index.fieldIds),
        unique: index.unique,
        where,
        notNullOnly: where === '' ? [] : notNullColumns(where, facts.fieldByName, entity.fields),
        method: index.method,
      });
    }
    entities.push(facts);
    if (!byId.has(entity.id)) byId.set(entity.id, facts);
  });

  const foreignKeys: ForeignKeyFact[] = [];
  const broken: BrokenReference[] = [];
  const addKey = (key: ForeignKeyFact) => {
    foreignKeys.push(key);
    byId.get(key.entityId)?.outgoing.push(key);
    byId.get(key.targetEntityId)?.incoming.push(key);
  };
  for (const facts of entities) {
    const { entity } = facts;
    for (const field of entity.fields) {
      const ref = field.references;
      if (!ref) continue;
      const target = byId.get(ref.entityId);
      if (!target || !target.hasField(ref.fieldId)) {
        broken.push({ entityId: entity.id, fieldIds: [field.id], id: field.id, name: `${entity.name}.${field.name}`, reason: target ? 'references a column that does not exist' : 'references a table that does not exist' });
        continue;
      }
      addKey({ id: `${field.id}:fk`, entityId: entity.id, fieldIds: [field.id], targetEntityId: target.entity.id, targetFieldIds: [ref.fieldId], onDelete: ref.onDelete, source: 'field' });
    }
    for (const constraint of entity.constraints) {
      if (constraint.kind !== 'foreign_key') continue;
      const ref = constraint.references;
      const target = ref ? byId.get(ref.entityId) : undefined;
      const label = constraint.name || constraint.id;
      if (!ref || !target || ref.fieldIds.length !== constraint.fieldIds.length || ref.fieldIds.some((id) => !target.hasField(id)) || constraint.fieldIds.some((id) => !facts.hasField(id))) {
        broken.push({ entityId: entity.id, fieldIds: constraint.fieldIds, id: constraint.id, name: label, reason: 'names a table or columns that do not exist' });
        continue;
      }
      addKey({ id: constraint.id, entityId: entity.id, fieldIds: constraint.fieldIds, targetEntityId: target.entity.id, targetFieldIds: ref.fieldIds, onDelete: ref.onDelete, source: 'constraint' });
    }
  }
  const neighbors: number[][] = entities.map(() => []);
  const linked = new Set<number>();
  const size = entities.length;
  const link = (a: string, b: string) => {
    const from = byId.get(a);
    const to = byId.get(b);
    if (!from || !to || from === to) return;
    const low = Math.min(from.position, to.position);
    const high = Math.max(from.position, to.position);
    const pair = low * size + high;
    if (linked.has(pair)) return;
    linked.add(pair);
    neighbors[from.position].push(to.position);
    neighbors[to.position].push(from.position);
  };
  for (const relationship of model.relationships) {
    const from = byId.get(relationship.fromEntityId);
    const to = byId.get(relationship.toEntityId);
    if (!from || !to) continue;
    if (relationship.cardinality === 'N:M') {
      const through = relationship.throughEntityId;
      if (through && byId.has(through)) {
        link(from.entity.id, through);
        link(through, to.entity.id);
      } else {
        link(from.entity.id, to.entity.id);
      }
      continue;
    }
    link(from.entity.id, to.entity.id);
    const { toFieldIds, fromFieldIds } = relationship;
    if (toFieldIds.length === 0 || toFieldIds.length !== fromFieldIds.length) continue;
    if (!toFieldIds.every((id) => to.hasField(id)) || !fromFieldIds.every((id) => from.hasField(id))) continue;
    const backed = to.outgoing.some((key) => key.targetEntityId === from.entity.id && sameSet(key.fieldIds, toFieldIds));
    if (backed) continue;
    addKey({
      id: relationship.id,
      entityId: to.entity.id,
      fieldIds: toFieldIds,
      targetEntityId: from.entity.id,
      targetFieldIds: fromFieldIds,
      onDelete: relationship.onDelete,
      source: 'relationship',
    });
  }
  for (const key of foreignKeys) link(key.entityId, key.targetEntityId);
  return { model, entities, byId, foreignKeys, broken, neighbors };
}

/**
 * Whether an equality lookup on these columns can use the key despite its predicate: it has none,
 * or one that only excludes NULLs of these columns (`WHERE fk IS NOT NULL`), which the lookup implies.
 */
export function predicateImplied(key: KeyFact, fieldIds: readonly string[]): boolean {
  return key.notNullOnly !== null && key.notNullOnly.every((id) => fieldIds.includes(id));
}

/** Whether some key of the entity makes exactly these columns (or a subset of them) unique. */
export function isUniqueOver(facts: EntityFacts, fieldIds: readonly string[]): boolean {
  // `UNIQUE (a) WHERE a IS NOT NULL` constrains the same rows as `UNIQUE (a)`.
  return facts.keys.some((key) => key.unique && key.fieldIds.length > 0 && predicateImplied(key, key.fieldIds) && key.fieldIds.every((id) => fieldIds.includes(id)));
}

/** Shortest hop counts from the entity at `start` (a position) over the join graph, -1 beyond `maxHops`. */
export function hopsFrom(facts: ModelFacts, start: number, maxHops: number): Int8Array {
  const distance = new Int8Array(facts.entities.length).fill(-1);
  distance[start] = 0;
  let frontier = [start];
  for (let hop = 1; hop <= maxHops && frontier.length > 0; hop++) {
    const next: number[] = [];
    for (const node of frontier) {
      for (const to of facts.neighbors[node]) {
        if (distance[to] !== -1) continue;
        distance[to] = hop;
        next.push(to);
      }
    }
    frontier = next;
  }
  return distance;
}
