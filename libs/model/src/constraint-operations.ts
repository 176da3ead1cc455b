import type * as Y from 'yjs';
import type { z } from 'zod';
import type { Constraint, Entity, Model } from './model.schema';
import { constraintSchema, MODEL_LIMITS } from './model.schema';
import { ID_PREFIXES } from './model-ids';
import {
  checkFieldIds,
  checkLimit,
  childArray,
  claimId,
  deleteById,
  elementMap,
  fail,
  idArg,
  parseElement,
  readArgs,
  requireEntity,
  requireItem,
} from './operation-support';
import { toJSON } from './yjs-binding';
import { buildElement, CONSTRAINT_SPEC, ENTITY_SPEC, sharedTypes } from './yjs-layout';

export interface AddConstraintArgs extends Omit<z.input<typeof constraintSchema>, 'id'> {
  entityId: string;
  id?: string;
}

export interface RemoveConstraintArgs {
  entityId: string;
  constraintId: string;
}

/** The rules `validateModel` applies to a constraint, as argument errors. */
function checkConstraint(model: Model, entity: Entity, constraint: Constraint, operation: string): void {
  checkFieldIds(entity, constraint.fieldIds, operation, 'fieldIds');
  if (constraint.kind === 'foreign_key') {
    const references = constraint.references;
    if (!references) fail('INVALID_ARGUMENT', `${operation}: a foreign_key constraint needs references`);
    if (!constraint.fieldIds.length) fail('INVALID_ARGUMENT', `${operation}: a foreign_key constraint needs at least one field`);
    if (references.fieldIds.length !== constraint.fieldIds.length)
      fail('INVALID_ARGUMENT', `${operation}: references.fieldIds must pair up with fieldIds (same length)`);
    checkFieldIds(requireEntity(model, references.entityId), references.fieldIds, operation, 'references.fieldIds');
    return;
  }
  if (constraint.references) fail('INVALID_ARGUMENT', `${operation}: only a foreign_key constraint takes references`);
  if (constraint.kind === 'unique' && !constraint.fieldIds.length) fail('INVALID_ARGUMENT', `${operation}: a unique constraint needs at least one field`);
  if ((constraint.kind === 'check' || constraint.kind === 'exclusion') && !constraint.expression.trim())
    fail('INVALID_ARGUMENT', `${operation}: a ${constraint.kind} constraint needs an expression`);
}

/** Constraints are immutable once added (remove and add again to change one), so their field lists never mix concurrent edits. */
export function addConstraint(doc: Y.Doc, args: AddConstraintArgs, origin?: unknown): string {
  const operation = 'addConstraint';
  readArgs(operation, args, ['entityId', 'id', 'name', 'kind', 'fieldIds', 'expression', 'references', 'description']);
  const entityId = idArg(operation, args, 'entityId');
  const model = toJSON(doc);
  const entity = requireEntity(model, entityId);
  checkLimit(entity.constraints.length, MODEL_LIMITS.listItems, 'constraints per entity');
  const id = claimId(model, args.id, ID_PREFIXES.constraint, operation);
  const { entityId: _entityId, ...element } = args;
  const constraint = parseElement(constraintSchema, { ...element, id }, operation);
  checkConstraint(model, entity, constraint, operation);
  const entityMap = elementMap(ENTITY_SPEC, sharedTypes(doc).entities, entityId, 'ENTITY_NOT_FOUND');
  doc.transact(() => childArray(entityMap, 'constraints').push([buildElement(CONSTRAINT_SPEC, constraint)]), origin);
  return id;
}

export function removeConstraint(doc: Y.Doc, args: RemoveConstraintArgs, origin?: unknown): string {
  const operation = 'removeConstraint';
  readArgs(operation, args, ['entityId', 'constraintId']);
  const entityId = idArg(operation, args, 'entityId');
  const constraintId = idArg(operation, args, 'constraintId');
  const entity = requireEntity(toJSON(doc), entityId);
  requireItem(entity.constraints, constraintId, 'CONSTRAINT_NOT_FOUND', `constraint in entity "${entity.name}"`);
  const entityMap = elementMap(ENTITY_SPEC, sharedTypes(doc).entities, entityId, 'ENTITY_NOT_FOUND');
  doc.transact(() => deleteById(entityMap.get('constraints'), constraintId), origin);
  return constraintId;
}
