import type { Constraint, Entity, Model, Relationship } from './model.schema';

/**
 * Makes a shape-valid model referentially consistent, deterministically, so every replica of a
 * shared document reads the same valid model after concurrent edits (one user removes a field while
 * another indexes it) or after a foreign client wrote something odd:
 * - a later element whose id is already used is dropped (first wins, in document order);
 * - an index or constraint using a missing or repeated field is dropped, like PostgreSQL's DROP COLUMN
 *   drops the indexes and constraints on the column; so is a foreign_key constraint whose target is gone
 *   or does not pair up, a unique constraint without fields, and a check/exclusion without expression;
 * - a field reference, an event's entity or a constraint's stray `references` to nothing become null;
 * - a relationship whose from/to entity is gone, or an N:M one without its join entity, is dropped;
 *   its missing field ids are dropped (pairwise when the lists pair up); a non-N:M join entity is cleared;
 * - access patterns forget entities that no longer exist.
 * Names are never changed: duplicate names after concurrent edits stay visible to `validateModel`.
 * A model that is already valid comes back deep-equal.
 */
export function repairModel(model: Model): Model {
  const claimed = new Set<string>();
  const claim = (id: string) => !claimed.has(id) && !!claimed.add(id);

  const unique: Entity[] = [];
  for (const entity of model.entities) {
    if (!claim(entity.id)) continue;
    unique.push({
      ...entity,
      fields: entity.fields.filter((field) => claim(field.id)),
      constraints: entity.constraints.filter((constraint) => claim(constraint.id)),
      indexes: entity.indexes.filter((index) => claim(index.id)),
    });
  }
  const relationships = model.relationships.filter((relationship) => claim(relationship.id));
  const events = model.events
    .filter((event) => claim(event.id))
    .map((event) => ({ ...event, properties: event.properties.filter((property) => claim(property.id)) }));
  const actors = model.frame.actors.filter((actor) => claim(actor.id));
  const rules = model.frame.rules.filter((rule) => claim(rule.id));
  const accessPatterns = model.frame.accessPatterns.filter((pattern) => claim(pattern.id));
  const answers = model.win.answers.filter((answer) => claim(answer.id));

  const fieldsOf = new Map(unique.map((entity) => [entity.id, new Set(entity.fields.map((field) => field.id))]));

  const entities = unique.map((entity) => {
    const own = new Set(entity.fields.map((field) => field.id));
    return {
      ...entity,
      fields: entity.fields.map((field) =>
        field.references && !fieldsOf.get(field.references.entityId)?.has(field.references.fieldId) ? { ...field, references: null } : field,
      ),
      constraints: entity.constraints.flatMap((constraint) => repairConstraint(constraint, own, fieldsOf)),
      indexes: entity.indexes.filter((index) => usesOnly(index.fieldIds, own)),
    };
  });

  return {
    ...model,
    entities,
    relationships: relationships.flatMap((relationship) => repairRelationship(relationship, fieldsOf)),
    events: events.map((event) => (event.entityId !== null && !fieldsOf.has(event.entityId) ? { ...event, entityId: null } : event)),
    frame: {
      ...model.frame,
      actors,
      rules,
      accessPatterns: accessPatterns.map((pattern) => {
        const entityIds = distinct(pattern.entityIds).filter((id) => fieldsOf.has(id));
        return entityIds.length === pattern.entityIds.length ? pattern : { ...pattern, entityIds };
      }),
    },
    win: { ...model.win, answers },
  };
}

/** Whether `ids` are distinct members of `allowed`. */
function usesOnly(ids: readonly string[], allowed: ReadonlySet<string>): boolean {
  return new Set(ids).size === ids.length && ids.every((id) => allowed.has(id));
}

function distinct(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function repairConstraint(constraint: Constraint, own: ReadonlySet<string>, fieldsOf: ReadonlyMap<string, ReadonlySet<string>>): Constraint[] {
  if (!usesOnly(constraint.fieldIds, own)) return [];
  if (constraint.kind === 'foreign_key') {
    const references = constraint.references;
    const target = references && fieldsOf.get(references.entityId);
    const pairs = !!target && constraint.fieldIds.length > 0 && references.fieldIds.length === constraint.fieldIds.length;
    return pairs && usesOnly(references.fieldIds, target) ? [constraint] : [];
  }
  if (constraint.kind === 'unique' && !constraint.fieldIds.length) return [];
  if ((constraint.kind === 'check' || constraint.kind === 'exclusion') && !constraint.expression.trim()) return [];
  return constraint.references ? [{ ...constraint, references: null }] : [constraint];
}

function repairRelationship(relationship: Relationship, fieldsOf: ReadonlyMap<string, ReadonlySet<string>>): Relationship[] {
  const fromFields = fieldsOf.get(relationship.fromEntityId);
  const toFields = fieldsOf.get(relationship.toEntityId);
  if (!fromFields || !toFields) return [];
  const manyToMany = relationship.cardinality === 'N:M';
  if (manyToMany && (relationship.throughEntityId === null || !fieldsOf.has(relationship.throughEntityId))) return [];

  let { fromFieldIds, toFieldIds } = relationship;
  if (!manyToMany && fromFieldIds.length === toFieldIds.length) {
    const seenFrom = new Set<string>();
    const seenTo = new Set<string>();
    const keep = fromFieldIds.map((fromId, k) => {
      const toId = toFieldIds[k];
      const ok = fromFields.has(fromId) && toFields.has(toId) && !seenFrom.has(fromId) && !seenTo.has(toId);
      if (ok) {
        seenFrom.add(fromId);
        seenTo.add(toId);
      }
      return ok;
    });
    fromFieldIds = fromFieldIds.filter((_, k) => keep[k]);
    toFieldIds = toFieldIds.filter((_, k) => keep[k]);
  } else {
    fromFieldIds = distinct(fromFieldIds).filter((id) => fromFields.has(id));
    toFieldIds = distinct(toFieldIds).filter((id) => toFields.has(id));
    if (!manyToMany && fromFieldIds.length && toFieldIds.length && fromFieldIds.length !== toFieldIds.length) {
      const length = Math.min(fromFieldIds.length, toFieldIds.length);
      fromFieldIds = fromFieldIds.slice(0, length);
      toFieldIds = toFieldIds.slice(0, length);
    }
  }
  const throughEntityId = manyToMany ? relationship.throughEntityId : null;
  const unchanged =
    throughEntityId === relationship.throughEntityId &&
    fromFieldIds.length === relationship.fromFieldIds.length &&
    toFieldIds.length === relationship.toFieldIds.length;
  return [unchanged ? relationship : { ...relationship, fromFieldIds, toFieldIds, throughEntityId }];
}
