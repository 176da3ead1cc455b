import * as Y from 'yjs';
import type { z } from 'zod';
import type { Entity, Model } from './model.schema';
import { idSchema } from './model.schema';
import { ModelOperationError, ModelOperationErrorCode } from './model.errors';
import { newId } from './model-ids';
import { formatIssuePath } from './model-validation';
import { buildElement, ElementSpec, findElementIndex, ModelSharedTypes, sharedTypes, storedId, writeKeys } from './yjs-layout';

/** Helpers shared by the typed operations; not part of the public API. */

export function fail(code: ModelOperationErrorCode, message: string): never {
  throw new ModelOperationError(code, message);
}

/** Checks that `args` is an object with only the `allowed` keys; returns it typed. */
export function readArgs<T extends object>(operation: string, args: T, allowed: readonly string[]): T {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) fail('INVALID_ARGUMENT', `${operation} expects an object of arguments`);
  const unknown = Object.keys(args).filter((key) => !allowed.includes(key));
  if (unknown.length) fail('INVALID_ARGUMENT', `${operation} does not take ${unknown.map((key) => `"${key}"`).join(', ')}`);
  return args;
}

/** A required id argument (`entityId`, `fieldId`, …). */
export function idArg(operation: string, args: object, key: string): string {
  const value: unknown = (args as Record<string, unknown>)[key];
  if (typeof value !== 'string' || !value) fail('INVALID_ARGUMENT', `${operation} needs ${key} (a non-empty string)`);
  return value;
}

/** Parses an element (or its patched copy) with its schema; a failure names the offending key. */
export function parseElement<T>(schema: z.ZodType<T>, input: unknown, operation: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = formatIssuePath(issue.path);
  fail('INVALID_ARGUMENT', `${operation}: ${path ? `${path}: ` : ''}${issue.message}`);
}

/** The keys of `patch` whose value is not undefined (undefined means "leave as is"). */
export function definedKeys<T extends object>(patch: T): (keyof T & string)[] {
  return (Object.keys(patch) as (keyof T & string)[]).filter((key) => patch[key] !== undefined);
}

export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Every element id in the model. */
export function allIds(model: Model): Set<string> {
  const ids = new Set<string>();
  for (const entity of model.entities) {
    ids.add(entity.id);
    for (const item of [...entity.fields, ...entity.constraints, ...entity.indexes]) ids.add(item.id);
  }
  for (const item of model.relationships) ids.add(item.id);
  for (const event of model.events) {
    ids.add(event.id);
    for (const property of event.properties) ids.add(property.id);
  }
  for (const item of [...model.frame.actors, ...model.frame.rules, ...model.frame.accessPatterns, ...model.win.answers]) ids.add(item.id);
  return ids;
}

/** The caller's id after checking it is well-formed and unused, or a new one. */
export function claimId(model: Model, given: unknown, prefix: string, operation: string): string {
  const ids = allIds(model);
  if (given === undefined) {
    let id = newId(prefix);
    while (ids.has(id)) id = newId(prefix);
    return id;
  }
  const parsed = idSchema.safeParse(given);
  if (!parsed.success) fail('INVALID_ARGUMENT', `${operation}: id: ${parsed.error.issues[0].message}`);
  if (ids.has(parsed.data)) fail('DUPLICATE_ID', `${operation}: id "${parsed.data}" is already used in the model`);
  return parsed.data;
}

export function checkLimit(count: number, max: number, what: string): void {
  if (count >= max) fail('LIMIT_EXCEEDED', `a model holds at most ${max} ${what}`);
}

export function requireEntity(model: Model, entityId: string): Entity {
  const entity = model.entities.find((item) => item.id === entityId);
  if (!entity) fail('ENTITY_NOT_FOUND', `no entity with id "${entityId}"`);
  return entity;
}

export function requireItem<T extends { id: string }>(items: readonly T[], id: string, code: ModelOperationErrorCode, what: string): T {
  const item = items.find((candidate) => candidate.id === id);
  if (!item) fail(code, `no ${what} with id "${id}"`);
  return item;
}

export const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The Y.Map of an element `toJSON` reads (the model was read from the same document just before). */
export function elementMap(spec: ElementSpec<unknown>, array: unknown, id: string, code: ModelOperationErrorCode): Y.Map<unknown> {
  const index = array instanceof Y.Array ? findElementIndex(spec, array, id) : -1;
  if (index < 0) fail(code, `no ${spec.kind} with id "${id}" in the document`);
  return (array as Y.Array<unknown>).get(index) as Y.Map<unknown>;
}

/** The Y.Array under `key` of an element map, created when a foreign client left it out. */
export function childArray(map: Y.Map<unknown>, key: string): Y.Array<unknown> {
  const existing = map.get(key);
  if (existing instanceof Y.Array) return existing;
  const created = new Y.Array<unknown>();
  map.set(key, created);
  return created;
}

/** Deletes every item of `array` with `id` (a removed element takes its stray copies with it). */
export function deleteById(array: unknown, id: string): void {
  if (!(array instanceof Y.Array)) return;
  const items = array.toArray();
  for (let i = items.length - 1; i >= 0; i--) if (storedId(items[i]) === id) array.delete(i, 1);
}

/** The raw array position where the element at `index` of the readable list would go (`length` appends). */
export function rawInsertPosition(spec: ElementSpec<unknown>, array: Y.Array<unknown>, visibleIds: readonly string[], index: number): number {
  const at = index < visibleIds.length ? findElementIndex(spec, array, visibleIds[index]) : -1;
  return at < 0 ? array.length : at;
}

/** Validates `patch` applied to `current`; returns the result and the keys to write (those the patch sets). */
export function patched<T extends object>(
  schema: z.ZodType<T>,
  current: T,
  patch: Partial<T>,
  operation: string,
): { next: T; keys: (keyof T & string)[] } {
  return { next: parseElement(schema, { ...current, ...definedOnly(patch) }, operation), keys: definedKeys(patch) as (keyof T & string)[] };
}

/** An optional position argument: an integer in [0, max]. */
export function positionArg(operation: string, index: unknown, max: number): number | undefined {
  if (index === undefined) return undefined;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > max)
    fail('INVALID_ARGUMENT', `${operation}: index must be an integer from 0 to ${max}`);
  return index;
}

/** Entity ids listed once each, all existing. */
export function checkEntityIds(model: Model, entityIds: readonly string[], operation: string): void {
  if (new Set(entityIds).size !== entityIds.length) fail('INVALID_ARGUMENT', `${operation}: an entity is listed twice`);
  for (const entityId of entityIds) requireEntity(model, entityId);
}

/** Field ids listed once each, all fields of `entity`. */
export function checkFieldIds(entity: Entity, fieldIds: readonly string[], operation: string, key: string): void {
  if (new Set(fieldIds).size !== fieldIds.length) fail('INVALID_ARGUMENT', `${operation}: ${key} lists a field twice`);
  for (const fieldId of fieldIds)
    if (!entity.fields.some((field) => field.id === fieldId))
      fail('FIELD_NOT_FOUND', `${operation}: ${key}: entity "${entity.name}" has no field with id "${fieldId}"`);
}

/** A list of elements directly under a top-level shared type (relationships, events, actors, …). */
export interface ListDescriptor<T extends { id: string }> {
  spec: ElementSpec<T>;
  schema: z.ZodType<T>;
  /** Singular noun for messages: `relationship`, `access pattern`. */
  what: string;
  max: number;
  notFound: ModelOperationErrorCode;
  array: (types: ModelSharedTypes) => Y.Array<unknown>;
  items: (model: Model) => T[];
}

export function insertElement<T extends { id: string }>(doc: Y.Doc, list: ListDescriptor<T>, model: Model, element: T, origin: unknown): void {
  checkLimit(list.items(model).length, list.max, `${list.what} elements`);
  doc.transact(() => list.array(sharedTypes(doc)).push([buildElement(list.spec, element)]), origin);
}

/** Validates `patch` applied to the element (plus `check` on the result), then writes the patched keys. */
export function updateElement<T extends { id: string }>(
  doc: Y.Doc,
  list: ListDescriptor<T>,
  model: Model,
  id: string,
  patch: Partial<T>,
  operation: string,
  origin: unknown,
  check?: (next: T) => void,
): T {
  const current = requireItem(list.items(model), id, list.notFound, list.what);
  const map = elementMap(list.spec as ElementSpec<unknown>, list.array(sharedTypes(doc)), id, list.notFound);
  const { next, keys } = patched(list.schema, current, patch, operation);
  check?.(next);
  doc.transact(() => writeKeys(list.spec, map, next, keys), origin);
  return next;
}

export function removeElement<T extends { id: string }>(doc: Y.Doc, list: ListDescriptor<T>, model: Model, id: string, origin: unknown): void {
  requireItem(list.items(model), id, list.notFound, list.what);
  doc.transact(() => deleteById(list.array(sharedTypes(doc)), id), origin);
}
