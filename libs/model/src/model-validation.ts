import type { Entity, Model } from './model.schema';
import { modelSchema } from './model.schema';
import { ModelIssue, ModelIssueCode, ModelValidationError } from './model.errors';

export type ModelValidationResult = { ok: true; model: Model } | { ok: false; issues: ModelIssue[] };

/** Formats a zod-style path as `entities[0].fields[1].name`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/**
 * Checks the shape with the zod schema (filling defaults), then referential integrity.
 * Referential checks only run on a model whose shape is valid.
 */
export function validateModel(input: unknown): ModelValidationResult {
  const parsed = modelSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message, code: 'schema' })),
    };
  }
  const issues = checkIntegrity(parsed.data);
  return issues.length ? { ok: false, issues } : { ok: true, model: parsed.data };
}

/** Like {@link validateModel} but throws a {@link ModelValidationError} (`code = 'MODEL_INVALID'`). */
export function parseModel(input: unknown): Model {
  const result = validateModel(input);
  if (!result.ok) throw new ModelValidationError(result.issues);
  return result.model;
}

/** Referential integrity of a shape-valid model; an empty list means the model is valid. */
export function checkIntegrity(model: Model): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const add = (path: string, code: ModelIssueCode, message: string) => issues.push({ path, code, message });

  checkUniqueIds(model, add);

  const entities = new Map<string, Entity>();
  const entityOfField = new Map<string, Entity>();
  for (const entity of model.entities) {
    if (!entities.has(entity.id)) entities.set(entity.id, entity);
    for (const field of entity.fields) if (!entityOfField.has(field.id)) entityOfField.set(field.id, entity);
  }
  const hasField = (entity: Entity, fieldId: string) => entity.fields.some((field) => field.id === fieldId);

  /** Each id of `ids` must be a field of `entity`, listed once. */
  const checkFieldList = (ids: readonly string[], entity: Entity, path: string) => {
    const listed = new Set<string>();
    ids.forEach((fieldId, k) => {
      if (listed.has(fieldId)) add(`${path}[${k}]`, 'invalid_reference', `field "${fieldId}" is listed twice`);
      listed.add(fieldId);
      if (hasField(entity, fieldId)) return;
      const owner = entityOfField.get(fieldId);
      if (owner) add(`${path}[${k}]`, 'invalid_reference', `field "${fieldId}" belongs to entity "${owner.name}", not "${entity.name}"`);
      else add(`${path}[${k}]`, 'unknown_reference', `entity "${entity.name}" has no field with id "${fieldId}"`);
    });
  };
  const entityAt = (entityId: string, path: string): Entity | undefined => {
    const entity = entities.get(entityId);
    if (!entity) add(path, 'unknown_reference', `no entity with id "${entityId}"`);
    return entity;
  };

  const entityNames = new Map<string, number>();
  model.entities.forEach((entity, i) => {
    const at = `entities[${i}]`;
    const key = entity.name.toLowerCase();
    const first = entityNames.get(key);
    if (first === undefined) entityNames.set(key, i);
    else
      add(`${at}.name`, 'duplicate_name', `entity name "${entity.name}" is already used by entities[${first}] (names are compared case-insensitively)`);

    const fieldNames = new Map<string, number>();
    entity.fields.forEach((field, j) => {
      const fieldAt = `${at}.fields[${j}]`;
      const fieldKey = field.name.toLowerCase();
      const firstField = fieldNames.get(fieldKey);
      if (firstField === undefined) fieldNames.set(fieldKey, j);
      else
        add(
          `${fieldAt}.name`,
          'duplicate_name',
          `field name "${field.name}" is already used by ${at}.fields[${firstField}] (names are compared case-insensitively)`,
        );
      if (field.references) {
        const target = entityAt(field.references.entityId, `${fieldAt}.references.entityId`);
        if (target && !hasField(target, field.references.fieldId))
          add(`${fieldAt}.references.fieldId`, 'unknown_reference', `entity "${target.name}" has no field with id "${field.references.fieldId}"`);
      }
    });

    entity.constraints.forEach((constraint, j) => {
      const cAt = `${at}.constraints[${j}]`;
      checkFieldList(constraint.fieldIds, entity, `${cAt}.fieldIds`);
      if (constraint.kind === 'foreign_key') {
        if (!constraint.fieldIds.length) add(`${cAt}.fieldIds`, 'invalid_value', 'a foreign_key constraint needs at least one field');
        const references = constraint.references;
        if (!references) {
          add(`${cAt}.references`, 'invalid_value', 'a foreign_key constraint needs references (the target entity and fields)');
          return;
        }
        const target = entityAt(references.entityId, `${cAt}.references.entityId`);
        if (references.fieldIds.length !== constraint.fieldIds.length)
          add(
            `${cAt}.references.fieldIds`,
            'invalid_reference',
            `references ${references.fieldIds.length} field(s) but constrains ${constraint.fieldIds.length}; the two lists pair up by position`,
          );
        if (target) checkFieldList(references.fieldIds, target, `${cAt}.references.fieldIds`);
        return;
      }
      if (constraint.references)
        add(`${cAt}.references`, 'invalid_value', `only a foreign_key constraint references another entity, not a ${constraint.kind} one`);
      if (constraint.kind === 'unique' && !constraint.fieldIds.length)
        add(`${cAt}.fieldIds`, 'invalid_value', 'a unique constraint needs at least one field');
      if ((constraint.kind === 'check' || constraint.kind === 'exclusion') && !constraint.expression.trim())
        add(`${cAt}.expression`, 'invalid_value', `a ${constraint.kind} constraint needs an expression`);
    });

    entity.indexes.forEach((index, j) => checkFieldList(index.fieldIds, entity, `${at}.indexes[${j}].fieldIds`));
  });

  model.relationships.forEach((relationship, i) => {
    const at = `relationships[${i}]`;
    const from = entityAt(relationship.fromEntityId, `${at}.fromEntityId`);
    const to = entityAt(relationship.toEntityId, `${at}.toEntityId`);
    if (from) checkFieldList(relationship.fromFieldIds, from, `${at}.fromFieldIds`);
    if (to) checkFieldList(relationship.toFieldIds, to, `${at}.toFieldIds`);
    const { fromFieldIds, toFieldIds } = relationship;
    if (relationship.cardinality === 'N:M') {
      if (relationship.throughEntityId === null)
        add(`${at}.throughEntityId`, 'invalid_value', 'an N:M relationship needs a join entity (throughEntityId)');
      else entityAt(relationship.throughEntityId, `${at}.throughEntityId`);
    } else {
      if (relationship.throughEntityId !== null)
        add(`${at}.throughEntityId`, 'invalid_value', `only an N:M relationship goes through a join entity, not a ${relationship.cardinality} one`);
      if (fromFieldIds.length && toFieldIds.length && fromFieldIds.length !== toFieldIds.length)
        add(
          `${at}.toFieldIds`,
          'invalid_reference',
          `lists ${toFieldIds.length} field(s) but fromFieldIds lists ${fromFieldIds.length}; the two lists pair up by position`,
        );
    }
  });

  model.events.forEach((event, i) => {
    const at = `events[${i}]`;
    if (event.entityId !== null) entityAt(event.entityId, `${at}.entityId`);
    const names = new Map<string, number>();
    event.properties.forEach((property, j) => {
      const first = names.get(property.name);
      if (first === undefined) names.set(property.name, j);
      else add(`${at}.properties[${j}].name`, 'duplicate_name', `property name "${property.name}" is already used by ${at}.properties[${first}]`);
    });
  });

  model.frame.accessPatterns.forEach((pattern, i) => {
    const listed = new Set<string>();
    pattern.entityIds.forEach((entityId, k) => {
      const at = `frame.accessPatterns[${i}].entityIds[${k}]`;
      if (listed.has(entityId)) add(at, 'invalid_reference', `entity "${entityId}" is listed twice`);
      listed.add(entityId);
      entityAt(entityId, at);
    });
  });

  return issues;
}

/** Every element id is unique across the whole model, win answers included. */
function checkUniqueIds(model: Model, add: (path: string, code: ModelIssueCode, message: string) => void): void {
  const seen = new Map<string, string>();
  const claim = (id: string, path: string) => {
    const first = seen.get(id);
    if (first === undefined) seen.set(id, path);
    else add(`${path}.id`, 'duplicate_id', `id "${id}" is already used by ${first}`);
  };
  model.entities.forEach((entity, i) => {
    const at = `entities[${i}]`;
    claim(entity.id, at);
    entity.fields.forEach((field, j) => claim(field.id, `${at}.fields[${j}]`));
    entity.constraints.forEach((constraint, j) => claim(constraint.id, `${at}.constraints[${j}]`));
    entity.indexes.forEach((index, j) => claim(index.id, `${at}.indexes[${j}]`));
  });
  model.relationships.forEach((relationship, i) => claim(relationship.id, `relationships[${i}]`));
  model.events.forEach((event, i) => {
    claim(event.id, `events[${i}]`);
    event.properties.forEach((property, j) => claim(property.id, `events[${i}].properties[${j}]`));
  });
  model.frame.actors.forEach((actor, i) => claim(actor.id, `frame.actors[${i}]`));
  model.frame.rules.forEach((rule, i) => claim(rule.id, `frame.rules[${i}]`));
  model.frame.accessPatterns.forEach((pattern, i) => claim(pattern.id, `frame.accessPatterns[${i}]`));
  model.win.answers.forEach((answer, i) => claim(answer.id, `win.answers[${i}]`));
}
