import * as Y from 'yjs';
import type { ModelSharedTypes } from './yjs-layout';

/**
 * What removing an entity or a field takes with it, applied to the raw shared types inside the
 * removing transaction. Works on whatever is stored (not only on readable elements), so stray copies
 * are cleaned too.
 */

const maps = (array: unknown): Y.Map<unknown>[] =>
  array instanceof Y.Array ? array.toArray().filter((item): item is Y.Map<unknown> => item instanceof Y.Map) : [];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const ids = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function deleteWhere(array: unknown, test: (map: Y.Map<unknown>) => boolean): void {
  if (!(array instanceof Y.Array)) return;
  const items = array.toArray();
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item instanceof Y.Map && test(item)) array.delete(i, 1);
  }
}

const isForeignKeyTo = (constraint: Y.Map<unknown>, entityId: string): boolean => {
  const references = constraint.get('references');
  return constraint.get('kind') === 'foreign_key' && isRecord(references) && references.entityId === entityId;
};

/** Relationships from, to or through the entity go; references and foreign keys to it go; events and access patterns forget it. */
export function cascadeEntityRemoval(types: ModelSharedTypes, entityId: string): void {
  deleteWhere(
    types.relationships,
    (relationship) =>
      relationship.get('fromEntityId') === entityId ||
      relationship.get('toEntityId') === entityId ||
      relationship.get('throughEntityId') === entityId,
  );
  for (const entity of maps(types.entities)) {
    for (const field of maps(entity.get('fields'))) {
      const references = field.get('references');
      if (isRecord(references) && references.entityId === entityId) field.set('references', null);
    }
    deleteWhere(entity.get('constraints'), (constraint) => isForeignKeyTo(constraint, entityId));
  }
  for (const event of maps(types.events)) if (event.get('entityId') === entityId) event.set('entityId', null);
  for (const pattern of maps(types.frameAccessPatterns)) {
    const listed = ids(pattern.get('entityIds'));
    if (listed.includes(entityId))
      pattern.set(
        'entityIds',
        listed.filter((id) => id !== entityId),
      );
  }
}

/**
 * Like PostgreSQL's `DROP COLUMN … CASCADE`: the entity's indexes and constraints using the field go,
 * and so do foreign key constraints referencing it; field references to it become null; relationships
 * stay but lose the field (with its partner when the two field lists pair up).
 */
export function cascadeFieldRemoval(types: ModelSharedTypes, owner: Y.Map<unknown>, entityId: string, fieldId: string): void {
  deleteWhere(owner.get('indexes'), (index) => ids(index.get('fieldIds')).includes(fieldId));
  deleteWhere(owner.get('constraints'), (constraint) => ids(constraint.get('fieldIds')).includes(fieldId));
  for (const entity of maps(types.entities)) {
    for (const field of maps(entity.get('fields'))) {
      const references = field.get('references');
      if (isRecord(references) && references.entityId === entityId && references.fieldId === fieldId) field.set('references', null);
    }
    deleteWhere(entity.get('constraints'), (constraint) => {
      const references = constraint.get('references');
      return isForeignKeyTo(constraint, entityId) && isRecord(references) && ids(references.fieldIds).includes(fieldId);
    });
  }
  for (const relationship of maps(types.relationships)) {
    const from = ids(relationship.get('fromFieldIds'));
    const to = ids(relationship.get('toFieldIds'));
    const dropFrom = (id: unknown) => relationship.get('fromEntityId') === entityId && id === fieldId;
    const dropTo = (id: unknown) => relationship.get('toEntityId') === entityId && id === fieldId;
    if (!from.some(dropFrom) && !to.some(dropTo)) continue;
    if (relationship.get('cardinality') !== 'N:M' && from.length === to.length) {
      const keep = from.map((id, k) => !dropFrom(id) && !dropTo(to[k]));
      relationship.set(
        'fromFieldIds',
        from.filter((_, k) => keep[k]),
      );
      relationship.set(
        'toFieldIds',
        to.filter((_, k) => keep[k]),
      );
    } else {
      if (from.some(dropFrom)) relationship.set('fromFieldIds', from.filter((id) => !dropFrom(id)));
      if (to.some(dropTo)) relationship.set('toFieldIds', to.filter((id) => !dropTo(id)));
    }
  }
}
