import type * as Y from 'yjs';
import type { z } from 'zod';
import type { Entity, Field, FieldReference, Model } from './model.schema';
import { fieldSchema, MODEL_LIMITS } from './model.schema';
import { ID_PREFIXES } from './model-ids';
import { cascadeFieldRemoval } from './model-cascade';
import {
  checkLimit,
  childArray,
  claimId,
  deleteById,
  elementMap,
  fail,
  idArg,
  parseElement,
  patched,
  positionArg,
  rawInsertPosition,
  readArgs,
  requireEntity,
  requireItem,
  sameName,
} from './operation-support';
import { toJSON } from './yjs-binding';
import { buildElement, ENTITY_SPEC, FIELD_SPEC, sharedTypes, writeKeys } from './yjs-layout';

type FieldInput = z.input<typeof fieldSchema>;

export interface AddFieldArgs extends Omit<FieldInput, 'id'> {
  entityId: string;
  id?: string;
  /** Position among the entity's fields; appended when omitted. */
  index?: number;
}

export interface RenameFieldArgs {
  entityId: string;
  fieldId: string;
  name: string;
}

/** Keys left undefined stay as they are; `default: null` and `references: null` clear. */
export interface UpdateFieldArgs extends Partial<Omit<FieldInput, 'id' | 'name'>> {
  entityId: string;
  fieldId: string;
}

export interface RemoveFieldArgs {
  entityId: string;
  fieldId: string;
}

export interface MoveFieldArgs {
  entityId: string;
  fieldId: string;
  /** The field's position after the move, among the entity's fields. */
  index: number;
}

const FIELD_KEYS = ['type', 'nullable', 'default', 'primaryKey', 'unique', 'references', 'description'] as const;

/** Field names are unique within their entity, compared case-insensitively. */
function checkFieldName(entity: Entity, name: string, id: string, operation: string): void {
  const other = entity.fields.find((field) => field.id !== id && sameName(field.name, name));
  if (other) fail('DUPLICATE_NAME', `${operation}: entity "${entity.name}" already has a field named "${other.name}"`);
}

function checkReference(model: Model, references: FieldReference | null, operation: string): void {
  if (!references) return;
  const target = requireEntity(model, references.entityId);
  if (!target.fields.some((field) => field.id === references.fieldId))
    fail('FIELD_NOT_FOUND', `${operation}: references: entity "${target.name}" has no field with id "${references.fieldId}"`);
}

function locate(doc: Y.Doc, operation: string, args: { entityId: string; fieldId: string }) {
  const entityId = idArg(operation, args, 'entityId');
  const fieldId = idArg(operation, args, 'fieldId');
  const model = toJSON(doc);
  const entity = requireEntity(model, entityId);
  const field = requireItem(entity.fields, fieldId, 'FIELD_NOT_FOUND', `field in entity "${entity.name}"`);
  const entityMap = elementMap(ENTITY_SPEC, sharedTypes(doc).entities, entityId, 'ENTITY_NOT_FOUND');
  return { model, entity, field, entityMap, entityId, fieldId };
}

/** A new field; `primaryKey: true` without `nullable` makes it NOT NULL, as PostgreSQL does. */
export function addField(doc: Y.Doc, args: AddFieldArgs, origin?: unknown): string {
  const operation = 'addField';
  readArgs(operation, args, ['entityId', 'id', 'name', 'index', ...FIELD_KEYS]);
  const entityId = idArg(operation, args, 'entityId');
  const model = toJSON(doc);
  const entity = requireEntity(model, entityId);
  checkLimit(entity.fields.length, MODEL_LIMITS.fieldsPerEntity, 'fields per entity');
  const index = positionArg(operation, args.index, entity.fields.length);
  const id = claimId(model, args.id, ID_PREFIXES.field, operation);
  const field = parseElement(
    fieldSchema,
    {
      id,
      name: args.name,
      type: args.type,
      nullable: args.nullable ?? (args.primaryKey === true ? false : undefined),
      default: args.default,
      primaryKey: args.primaryKey,
      unique: args.unique,
      references: args.references,
      description: args.description,
    },
    operation,
  );
  checkFieldName(entity, field.name, id, operation);
  checkReference(model, field.references, operation);
  const entityMap = elementMap(ENTITY_SPEC, sharedTypes(doc).entities, entityId, 'ENTITY_NOT_FOUND');
  doc.transact(() => {
    const fields = childArray(entityMap, 'fields');
    const at = index === undefined ? fields.length : rawInsertPosition(FIELD_SPEC, fields, entity.fields.map((item) => item.id), index);
    fields.insert(at, [buildElement(FIELD_SPEC, field)]);
  }, origin);
  return id;
}

export function renameField(doc: Y.Doc, args: RenameFieldArgs, origin?: unknown): string {
  const operation = 'renameField';
  readArgs(operation, args, ['entityId', 'fieldId', 'name']);
  const { entity, field, entityMap, fieldId } = locate(doc, operation, args);
  const next: Field = { ...field, name: parseElement(fieldSchema.shape.name, args.name, `${operation}: name`) };
  checkFieldName(entity, next.name, fieldId, operation);
  const map = elementMap(FIELD_SPEC, entityMap.get('fields'), fieldId, 'FIELD_NOT_FOUND');
  doc.transact(() => writeKeys(FIELD_SPEC, map, next, ['name']), origin);
  return fieldId;
}

/** Changes the given keys only; setting `primaryKey: true` without `nullable` also makes the field NOT NULL. */
export function updateField(doc: Y.Doc, args: UpdateFieldArgs, origin?: unknown): string {
  const operation = 'updateField';
  readArgs(operation, args, ['entityId', 'fieldId', ...FIELD_KEYS]);
  const { model, field, entityMap, fieldId } = locate(doc, operation, args);
  const patch = Object.fromEntries(FIELD_KEYS.map((key) => [key, args[key]])) as Partial<Field>;
  if (args.primaryKey === true && args.nullable === undefined) patch.nullable = false;
  const { next, keys } = patched(fieldSchema, field, patch, operation);
  if (keys.includes('references')) checkReference(model, next.references, operation);
  const map = elementMap(FIELD_SPEC, entityMap.get('fields'), fieldId, 'FIELD_NOT_FOUND');
  doc.transact(() => writeKeys(FIELD_SPEC, map, next, keys), origin);
  return fieldId;
}

/**
 * Removes the field like PostgreSQL's `DROP COLUMN … CASCADE`: the entity's indexes and constraints on it
 * and foreign keys to it go, field references to it become null, relationships lose it.
 */
export function removeField(doc: Y.Doc, args: RemoveFieldArgs, origin?: unknown): string {
  const operation = 'removeField';
  readArgs(operation, args, ['entityId', 'fieldId']);
  const { entityMap, entityId, fieldId } = locate(doc, operation, args);
  doc.transact(() => {
    const types = sharedTypes(doc);
    deleteById(entityMap.get('fields'), fieldId);
    cascadeFieldRemoval(types, entityMap, entityId, fieldId);
  }, origin);
  return fieldId;
}

/**
 * Moves a field to `index`. Yjs arrays cannot move an item, so the field's map is re-created at its new
 * place: an edit to that field made concurrently with the move is lost.
 */
export function moveField(doc: Y.Doc, args: MoveFieldArgs, origin?: unknown): string {
  const operation = 'moveField';
  readArgs(operation, args, ['entityId', 'fieldId', 'index']);
  const { entity, field, entityMap, fieldId } = locate(doc, operation, args);
  const index = positionArg(operation, args.index, entity.fields.length - 1);
  if (index === undefined) fail('INVALID_ARGUMENT', `${operation} needs index`);
  if (entity.fields[index].id === fieldId) return fieldId;
  const others = entity.fields.filter((item) => item.id !== fieldId).map((item) => item.id);
  doc.transact(() => {
    const fields = childArray(entityMap, 'fields');
    deleteById(fields, fieldId);
    fields.insert(rawInsertPosition(FIELD_SPEC, fields, others, index), [buildElement(FIELD_SPEC, field)]);
  }, origin);
  return fieldId;
}
