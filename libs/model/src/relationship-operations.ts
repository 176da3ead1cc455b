import type * as Y from 'yjs';
import type { z } from 'zod';
import type { Model, Relationship } from './model.schema';
import { MODEL_LIMITS, relationshipSchema } from './model.schema';
import { ID_PREFIXES } from './model-ids';
import {
  checkFieldIds,
  claimId,
  fail,
  idArg,
  insertElement,
  ListDescriptor,
  parseElement,
  readArgs,
  removeElement,
  requireEntity,
  updateElement,
} from './operation-support';
import { toJSON } from './yjs-binding';
import { RELATIONSHIP_SPEC } from './yjs-layout';

type RelationshipInput = z.input<typeof relationshipSchema>;

export interface AddRelationshipArgs extends Omit<RelationshipInput, 'id'> {
  id?: string;
}

/**
 * Keys left undefined stay as they are. Changing `fromEntityId`/`toEntityId` without new field ids clears
 * that side's field ids; changing `cardinality` away from N:M without `throughEntityId` clears it.
 */
export interface UpdateRelationshipArgs extends Partial<Omit<RelationshipInput, 'id'>> {
  relationshipId: string;
}

export interface RemoveRelationshipArgs {
  relationshipId: string;
}

const RELATIONSHIP_KEYS = [
  'name',
  'fromEntityId',
  'fromFieldIds',
  'toEntityId',
  'toFieldIds',
  'cardinality',
  'throughEntityId',
  'onDelete',
  'description',
] as const;

const RELATIONSHIPS: ListDescriptor<Relationship> = {
  spec: RELATIONSHIP_SPEC,
  schema: relationshipSchema,
  what: 'relationship',
  max: MODEL_LIMITS.relationships,
  notFound: 'RELATIONSHIP_NOT_FOUND',
  array: (types) => types.relationships,
  items: (model) => model.relationships,
};

/** The rules `validateModel` applies to a relationship, as argument errors. */
function checkRelationship(model: Model, relationship: Relationship, operation: string): void {
  const from = requireEntity(model, relationship.fromEntityId);
  const to = requireEntity(model, relationship.toEntityId);
  checkFieldIds(from, relationship.fromFieldIds, operation, 'fromFieldIds');
  checkFieldIds(to, relationship.toFieldIds, operation, 'toFieldIds');
  if (relationship.cardinality === 'N:M') {
    if (relationship.throughEntityId === null) fail('INVALID_ARGUMENT', `${operation}: an N:M relationship needs throughEntityId (its join entity)`);
    requireEntity(model, relationship.throughEntityId);
    return;
  }
  if (relationship.throughEntityId !== null)
    fail('INVALID_ARGUMENT', `${operation}: only an N:M relationship goes through a join entity (throughEntityId)`);
  const { fromFieldIds, toFieldIds } = relationship;
  if (fromFieldIds.length && toFieldIds.length && fromFieldIds.length !== toFieldIds.length)
    fail('INVALID_ARGUMENT', `${operation}: fromFieldIds and toFieldIds pair up by position and must have the same length`);
}

export function addRelationship(doc: Y.Doc, args: AddRelationshipArgs, origin?: unknown): string {
  const operation = 'addRelationship';
  readArgs(operation, args, ['id', ...RELATIONSHIP_KEYS]);
  const model = toJSON(doc);
  const id = claimId(model, args.id, ID_PREFIXES.relationship, operation);
  const relationship = parseElement(relationshipSchema, { ...args, id }, operation);
  checkRelationship(model, relationship, operation);
  insertElement(doc, RELATIONSHIPS, model, relationship, origin);
  return id;
}

export function updateRelationship(doc: Y.Doc, args: UpdateRelationshipArgs, origin?: unknown): string {
  const operation = 'updateRelationship';
  readArgs(operation, args, ['relationshipId', ...RELATIONSHIP_KEYS]);
  const relationshipId = idArg(operation, args, 'relationshipId');
  const model = toJSON(doc);
  const current = model.relationships.find((item) => item.id === relationshipId);
  const { relationshipId: _id, ...patch } = args as UpdateRelationshipArgs & Partial<Relationship>;
  if (current) {
    if (patch.fromEntityId !== undefined && patch.fromEntityId !== current.fromEntityId && patch.fromFieldIds === undefined) patch.fromFieldIds = [];
    if (patch.toEntityId !== undefined && patch.toEntityId !== current.toEntityId && patch.toFieldIds === undefined) patch.toFieldIds = [];
    if (patch.cardinality !== undefined && patch.cardinality !== 'N:M' && patch.throughEntityId === undefined) patch.throughEntityId = null;
  }
  updateElement(doc, RELATIONSHIPS, model, relationshipId, patch as Partial<Relationship>, operation, origin, (next) =>
    checkRelationship(model, next, operation),
  );
  return relationshipId;
}

export function removeRelationship(doc: Y.Doc, args: RemoveRelationshipArgs, origin?: unknown): string {
  const operation = 'removeRelationship';
  readArgs(operation, args, ['relationshipId']);
  const relationshipId = idArg(operation, args, 'relationshipId');
  removeElement(doc, RELATIONSHIPS, toJSON(doc), relationshipId, origin);
  return relationshipId;
}
