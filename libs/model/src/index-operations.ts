import type * as Y from 'yjs';
import type { z } from 'zod';
import { indexSchema, MODEL_LIMITS } from './model.schema';
import { ID_PREFIXES } from './model-ids';
import {
  checkFieldIds,
  checkLimit,
  childArray,
  claimId,
  deleteById,
  elementMap,
  idArg,
  parseElement,
  readArgs,
  requireEntity,
  requireItem,
} from './operation-support';
import { toJSON } from './yjs-binding';
import { buildElement, ENTITY_SPEC, INDEX_SPEC, sharedTypes } from './yjs-layout';

export interface AddIndexArgs extends Omit<z.input<typeof indexSchema>, 'id'> {
  entityId: string;
  id?: string;
}

export interface RemoveIndexArgs {
  entityId: string;
  indexId: string;
}

/** Indexes are immutable once added (remove and add again to change one). */
export function addIndex(doc: Y.Doc, args: AddIndexArgs, origin?: unknown): string {
  const operation = 'addIndex';
  readArgs(operation, args, ['entityId', 'id', 'name', 'fieldIds', 'unique', 'where', 'method']);
  const entityId = idArg(operation, args, 'entityId');
  const model = toJSON(doc);
  const entity = requireEntity(model, entityId);
  checkLimit(entity.indexes.length, MODEL_LIMITS.listItems, 'indexes per entity');
  const id = claimId(model, args.id, ID_PREFIXES.index, operation);
  const { entityId: _entityId, ...element } = args;
  const index = parseElement(indexSchema, { ...element, id }, operation);
  checkFieldIds(entity, index.fieldIds, operation, 'fieldIds');
  const entityMap = elementMap(ENTITY_SPEC, sharedTypes(doc).entities, entityId, 'ENTITY_NOT_FOUND');
  doc.transact(() => childArray(entityMap, 'indexes').push([buildElement(INDEX_SPEC, index)]), origin);
  return id;
}

export function removeIndex(doc: Y.Doc, args: RemoveIndexArgs, origin?: unknown): string {
  const operation = 'removeIndex';
  readArgs(operation, args, ['entityId', 'indexId']);
  const entityId = idArg(operation, args, 'entityId');
  const indexId = idArg(operation, args, 'indexId');
  const entity = requireEntity(toJSON(doc), entityId);
  requireItem(entity.indexes, indexId, 'INDEX_NOT_FOUND', `index in entity "${entity.name}"`);
  const entityMap = elementMap(ENTITY_SPEC, sharedTypes(doc).entities, entityId, 'ENTITY_NOT_FOUND');
  doc.transact(() => deleteById(entityMap.get('indexes'), indexId), origin);
  return indexId;
}
