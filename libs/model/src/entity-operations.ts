import type * as Y from 'yjs';
import type { z } from 'zod';
import type { Entity, Model } from './model.schema';
import { entitySchema, MODEL_LIMITS } from './model.schema';
import { ID_PREFIXES } from './model-ids';
import { cascadeEntityRemoval } from './model-cascade';
import {
  checkLimit,
  claimId,
  deleteById,
  elementMap,
  fail,
  idArg,
  parseElement,
  patched,
  readArgs,
  requireEntity,
  sameName,
} from './operation-support';
import { toJSON } from './yjs-binding';
import { buildElement, ENTITY_SPEC, sharedTypes, writeKeys } from './yjs-layout';

type EntityInput = z.input<typeof entitySchema>;

export interface AddEntityArgs {
  id?: string;
  name: string;
  kind?: EntityInput['kind'];
  description?: string;
}

export interface RenameEntityArgs {
  entityId: string;
  name: string;
}

export interface UpdateEntityArgs {
  entityId: string;
  kind?: EntityInput['kind'];
  description?: string;
}

export interface RemoveEntityArgs {
  entityId: string;
}

/** Entity names are unique, compared case-insensitively (PostgreSQL folds unquoted names). */
function checkEntityName(model: Model, name: string, id: string, operation: string): void {
  const other = model.entities.find((entity) => entity.id !== id && sameName(entity.name, name));
  if (other) fail('DUPLICATE_NAME', `${operation}: an entity named "${other.name}" already exists`);
}

export function addEntity(doc: Y.Doc, args: AddEntityArgs, origin?: unknown): string {
  const operation = 'addEntity';
  readArgs(operation, args, ['id', 'name', 'kind', 'description']);
  const model = toJSON(doc);
  checkLimit(model.entities.length, MODEL_LIMITS.entities, 'entities');
  const id = claimId(model, args.id, ID_PREFIXES.entity, operation);
  const entity = parseElement(entitySchema, { id, name: args.name, kind: args.kind, description: args.description }, operation);
  checkEntityName(model, entity.name, id, operation);
  doc.transact(() => sharedTypes(doc).entities.push([buildElement(ENTITY_SPEC, entity)]), origin);
  return id;
}

export function renameEntity(doc: Y.Doc, args: RenameEntityArgs, origin?: unknown): string {
  const operation = 'renameEntity';
  readArgs(operation, args, ['entityId', 'name']);
  const entityId = idArg(operation, args, 'entityId');
  const model = toJSON(doc);
  const current = requireEntity(model, entityId);
  const map = elementMap(ENTITY_SPEC, sharedTypes(doc).entities, entityId, 'ENTITY_NOT_FOUND');
  const next: Entity = { ...current, name: parseElement(entitySchema.shape.name, args.name, `${operation}: name`) };
  checkEntityName(model, next.name, entityId, operation);
  doc.transact(() => writeKeys(ENTITY_SPEC, map, next, ['name']), origin);
  return entityId;
}

export function updateEntity(doc: Y.Doc, args: UpdateEntityArgs, origin?: unknown): string {
  const operation = 'updateEntity';
  readArgs(operation, args, ['entityId', 'kind', 'description']);
  const entityId = idArg(operation, args, 'entityId');
  const model = toJSON(doc);
  const current = requireEntity(model, entityId);
  const map = elementMap(ENTITY_SPEC, sharedTypes(doc).entities, entityId, 'ENTITY_NOT_FOUND');
  const patch = { kind: args.kind, description: args.description } as Partial<Entity>;
  const { next, keys } = patched(entitySchema, current, patch, operation);
  doc.transact(() => writeKeys(ENTITY_SPEC, map, next, keys), origin);
  return entityId;
}

/**
 * Removes the entity and what depends on it: relationships from, to or through it, foreign key
 * constraints and field references to it; events and access patterns forget it.
 */
export function removeEntity(doc: Y.Doc, args: RemoveEntityArgs, origin?: unknown): string {
  const operation = 'removeEntity';
  readArgs(operation, args, ['entityId']);
  const entityId = idArg(operation, args, 'entityId');
  requireEntity(toJSON(doc), entityId);
  doc.transact(() => {
    const types = sharedTypes(doc);
    deleteById(types.entities, entityId);
    cascadeEntityRemoval(types, entityId);
  }, origin);
  return entityId;
}
