import * as Y from 'yjs';
import type { z } from 'zod';
import {
  accessPatternSchema,
  actorSchema,
  constraintSchema,
  entitySchema,
  eventPropertySchema,
  eventSchema,
  fieldSchema,
  frameSchema,
  indexSchema,
  MODEL_LIMITS,
  relationshipSchema,
  ruleSchema,
  winAnswerSchema,
} from './model.schema';
import type {
  AccessPattern,
  Actor,
  Constraint,
  Entity,
  EventProperty,
  Field,
  Index,
  Relationship,
  Rule,
  TrackingEvent,
  WinAnswer,
} from './model.schema';
import { setYText, toWellFormed, truncateText } from './yjs-text';

/**
 * Names of the top-level shared types of a model document. Each one is a root type (not nested in a
 * root map), named after its JSON path, so two clients that start editing an empty document at once
 * never create competing containers for the same list.
 */
export const SHARED_TYPE_NAMES = {
  meta: 'meta',
  entities: 'entities',
  relationships: 'relationships',
  events: 'events',
  frameDomain: 'frame.domain',
  frameActors: 'frame.actors',
  frameRules: 'frame.rules',
  frameAccessPatterns: 'frame.accessPatterns',
  frameTenancy: 'frame.tenancy',
  frameTenancyNotes: 'frame.tenancy.notes',
  winAnswers: 'win.answers',
} as const;

/** Written to `meta.layoutVersion`; bump with a migration when the layout changes incompatibly. */
export const LAYOUT_VERSION = 1;

export interface ModelSharedTypes {
  meta: Y.Map<unknown>;
  entities: Y.Array<unknown>;
  relationships: Y.Array<unknown>;
  events: Y.Array<unknown>;
  frameDomain: Y.Text;
  frameActors: Y.Array<unknown>;
  frameRules: Y.Array<unknown>;
  frameAccessPatterns: Y.Array<unknown>;
  /** `strategy`: a tenancy strategy or null. */
  frameTenancy: Y.Map<unknown>;
  frameTenancyNotes: Y.Text;
  winAnswers: Y.Array<unknown>;
}

/** The model's shared types in `doc` (getting a root type creates nothing in the document's history). */
export function sharedTypes(doc: Y.Doc): ModelSharedTypes {
  const n = SHARED_TYPE_NAMES;
  return {
    meta: doc.getMap(n.meta),
    entities: doc.getArray(n.entities),
    relationships: doc.getArray(n.relationships),
    events: doc.getArray(n.events),
    frameDomain: doc.getText(n.frameDomain),
    frameActors: doc.getArray(n.frameActors),
    frameRules: doc.getArray(n.frameRules),
    frameAccessPatterns: doc.getArray(n.frameAccessPatterns),
    frameTenancy: doc.getMap(n.frameTenancy),
    frameTenancyNotes: doc.getText(n.frameTenancyNotes),
    winAnswers: doc.getArray(n.winAnswers),
  };
}

/**
 * How one key of an element's Y.Map is stored:
 * - `value`: a plain JSON value (string, number, boolean, null, array of ids, small object), replaced whole;
 * - `text`: a Y.Text (prose that people type into together);
 * - `list`: a Y.Array of element Y.Maps.
 */
export type KeySpec =
  | { kind: 'value'; schema: z.ZodType }
  | { kind: 'text'; max: number }
  | { kind: 'list'; element: ElementSpec; max: number };

/** How one kind of element (an entity, a field, …) is laid out as a Y.Map; key order is the JSON key order. */
export interface ElementSpec<T = unknown> {
  kind: string;
  keys: { [K in keyof T]-?: KeySpec };
}

const value = (schema: z.ZodType): KeySpec => ({ kind: 'value', schema });
const text = (max: number): KeySpec => ({ kind: 'text', max });
const list = (element: ElementSpec<any>, max: number): KeySpec => ({ kind: 'list', element, max }); // eslint-disable-line @typescript-eslint/no-explicit-any
const SHORT = MODEL_LIMITS.shortText;
const LONG = MODEL_LIMITS.longText;

export const FIELD_SPEC: ElementSpec<Field> = {
  kind: 'field',
  keys: {
    id: value(fieldSchema.shape.id),
    name: value(fieldSchema.shape.name),
    type: value(fieldSchema.shape.type),
    nullable: value(fieldSchema.shape.nullable),
    default: value(fieldSchema.shape.default),
    primaryKey: value(fieldSchema.shape.primaryKey),
    unique: value(fieldSchema.shape.unique),
    references: value(fieldSchema.shape.references),
    description: text(SHORT),
  },
};

export const CONSTRAINT_SPEC: ElementSpec<Constraint> = {
  kind: 'constraint',
  keys: {
    id: value(constraintSchema.shape.id),
    name: value(constraintSchema.shape.name),
    kind: value(constraintSchema.shape.kind),
    fieldIds: value(constraintSchema.shape.fieldIds),
    expression: value(constraintSchema.shape.expression),
    references: value(constraintSchema.shape.references),
    description: text(SHORT),
  },
};

export const INDEX_SPEC: ElementSpec<Index> = {
  kind: 'index',
  keys: {
    id: value(indexSchema.shape.id),
    name: value(indexSchema.shape.name),
    fieldIds: value(indexSchema.shape.fieldIds),
    unique: value(indexSchema.shape.unique),
    where: value(indexSchema.shape.where),
    method: value(indexSchema.shape.method),
  },
};

export const ENTITY_SPEC: ElementSpec<Entity> = {
  kind: 'entity',
  keys: {
    id: value(entitySchema.shape.id),
    name: value(entitySchema.shape.name),
    kind: value(entitySchema.shape.kind),
    description: text(LONG),
    fields: list(FIELD_SPEC, MODEL_LIMITS.fieldsPerEntity),
    constraints: list(CONSTRAINT_SPEC, MODEL_LIMITS.listItems),
    indexes: list(INDEX_SPEC, MODEL_LIMITS.listItems),
  },
};

export const RELATIONSHIP_SPEC: ElementSpec<Relationship> = {
  kind: 'relationship',
  keys: {
    id: value(relationshipSchema.shape.id),
    name: value(relationshipSchema.shape.name),
    fromEntityId: value(relationshipSchema.shape.fromEntityId),
    fromFieldIds: value(relationshipSchema.shape.fromFieldIds),
    toEntityId: value(relationshipSchema.shape.toEntityId),
    toFieldIds: value(relationshipSchema.shape.toFieldIds),
    cardinality: value(relationshipSchema.shape.cardinality),
    throughEntityId: value(relationshipSchema.shape.throughEntityId),
    onDelete: value(relationshipSchema.shape.onDelete),
    description: text(SHORT),
  },
};

export const EVENT_PROPERTY_SPEC: ElementSpec<EventProperty> = {
  kind: 'eventProperty',
  keys: {
    id: value(eventPropertySchema.shape.id),
    name: value(eventPropertySchema.shape.name),
    type: value(eventPropertySchema.shape.type),
    required: value(eventPropertySchema.shape.required),
    description: text(SHORT),
  },
};

export const EVENT_SPEC: ElementSpec<TrackingEvent> = {
  kind: 'event',
  keys: {
    id: value(eventSchema.shape.id),
    name: value(eventSchema.shape.name),
    description: text(SHORT),
    trigger: text(SHORT),
    entityId: value(eventSchema.shape.entityId),
    properties: list(EVENT_PROPERTY_SPEC, MODEL_LIMITS.propertiesPerEvent),
  },
};

export const ACTOR_SPEC: ElementSpec<Actor> = {
  kind: 'actor',
  keys: { id: value(actorSchema.shape.id), name: value(actorSchema.shape.name), description: text(SHORT) },
};

export const RULE_SPEC: ElementSpec<Rule> = {
  kind: 'rule',
  keys: { id: value(ruleSchema.shape.id), kind: value(ruleSchema.shape.kind), text: text(SHORT) },
};

export const ACCESS_PATTERN_SPEC: ElementSpec<AccessPattern> = {
  kind: 'accessPattern',
  keys: {
    id: value(accessPatternSchema.shape.id),
    description: text(SHORT),
    frequency: value(accessPatternSchema.shape.frequency),
    entityIds: value(accessPatternSchema.shape.entityIds),
  },
};

export const WIN_ANSWER_SPEC: ElementSpec<WinAnswer> = {
  kind: 'winAnswer',
  keys: {
    id: value(winAnswerSchema.shape.id),
    questionId: value(winAnswerSchema.shape.questionId),
    question: value(winAnswerSchema.shape.question),
    answer: text(LONG),
    sql: text(LONG),
  },
};

/** `frame.tenancy.strategy`, stored as a plain value in the `frame.tenancy` map. */
export const TENANCY_STRATEGY_SCHEMA: z.ZodType = frameSchema.shape.tenancy.unwrap().shape.strategy;

type Plain = Record<string, unknown>;

/** Reads a plain value with its schema; an invalid one falls back to the schema's default, or `undefined` without one. */
export function readValue(schema: z.ZodType, raw: unknown): { ok: true; value: unknown } | { ok: false } {
  const parsed = schema.safeParse(raw instanceof Y.Text ? raw.toString() : raw instanceof Y.AbstractType ? undefined : raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fallback = schema.safeParse(undefined);
  return fallback.success ? { ok: true, value: fallback.data } : { ok: false };
}

/** The string of a Y.Text key (a plain string from a foreign client is accepted), cut to `max`. */
export function readText(raw: unknown, max: number): string {
  const value = raw instanceof Y.Text ? raw.toString() : typeof raw === 'string' ? raw : '';
  return truncateText(value, max);
}

/**
 * The element stored in `raw`, or undefined when it is not a Y.Map or a required key (id, name, …)
 * is missing or invalid. Other invalid values fall back to their defaults; prose is cut to its limit.
 */
export function readElement<T>(spec: ElementSpec<T>, raw: unknown): T | undefined {
  if (!(raw instanceof Y.Map)) return undefined;
  const out: Plain = {};
  for (const [key, keySpec] of Object.entries<KeySpec>(spec.keys)) {
    const stored: unknown = raw.get(key);
    if (keySpec.kind === 'text') out[key] = readText(stored, keySpec.max);
    else if (keySpec.kind === 'list') out[key] = readList(keySpec.element, stored, keySpec.max);
    else {
      const read = readValue(keySpec.schema, stored);
      if (!read.ok) return undefined;
      out[key] = read.value;
    }
  }
  return out as T;
}

/** The readable elements of a Y.Array, at most `max` (anything else in the array is skipped). */
export function readList<T>(spec: ElementSpec<T>, raw: unknown, max: number): T[] {
  if (!(raw instanceof Y.Array)) return [];
  const out: T[] = [];
  for (const item of raw.toArray()) {
    const element = readElement(spec, item);
    if (element !== undefined) out.push(element);
    if (out.length === max) break;
  }
  return out;
}

/** A new (not yet integrated) Y.Map holding `element`. */
export function buildElement<T>(spec: ElementSpec<T>, element: T): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  const source = element as Plain;
  for (const [key, keySpec] of Object.entries<KeySpec>(spec.keys)) {
    const item = source[key];
    if (keySpec.kind === 'text') map.set(key, new Y.Text(toWellFormed(typeof item === 'string' ? item : '')));
    else if (keySpec.kind === 'list') map.set(key, buildList(keySpec.element, Array.isArray(item) ? item : []));
    else map.set(key, cloneJson(item));
  }
  return map;
}

export function buildList<T>(spec: ElementSpec<T>, elements: readonly T[]): Y.Array<unknown> {
  const array = new Y.Array<unknown>();
  array.push(elements.map((element) => buildElement(spec, element)));
  return array;
}

/** Writes the listed keys of `element` into an integrated Y.Map, touching only what differs. */
export function writeKeys<T>(spec: ElementSpec<T>, map: Y.Map<unknown>, element: T, keys: readonly (keyof T & string)[]): void {
  const source = element as Plain;
  for (const key of keys) {
    const keySpec = (spec.keys as Record<string, KeySpec>)[key];
    const stored = map.get(key);
    const item = source[key];
    if (keySpec.kind === 'text') {
      const next = typeof item === 'string' ? item : '';
      if (stored instanceof Y.Text) setYText(stored, next);
      else map.set(key, new Y.Text(toWellFormed(next)));
    } else if (keySpec.kind === 'list') {
      const next = Array.isArray(item) ? item : [];
      if (stored instanceof Y.Array) reconcileList(keySpec.element, stored, next);
      else map.set(key, buildList(keySpec.element, next));
    } else {
      const next = cloneJson(item);
      if (!jsonEqual(stored, next)) map.set(key, next);
    }
  }
}

/** Makes an integrated Y.Map hold `element`, keeping its nested Y types; keys outside the layout are left alone. */
export function reconcileElement<T>(spec: ElementSpec<T>, map: Y.Map<unknown>, element: T): void {
  writeKeys(spec, map, element, Object.keys(spec.keys) as (keyof T & string)[]);
}

/** The id stored in a raw array item, if it is a Y.Map with a string id. */
export function storedId(item: unknown): string | undefined {
  if (!(item instanceof Y.Map)) return undefined;
  const id: unknown = item.get('id');
  return typeof id === 'string' ? id : undefined;
}

/**
 * The position in `array` of the element with `id` as readers see it: the first readable Y.Map with
 * that id (later copies, e.g. from two concurrent moves, are ignored by `toJSON`).
 */
export function findElementIndex(spec: ElementSpec<unknown>, array: Y.Array<unknown>, id: string): number {
  const items = array.toArray();
  for (let i = 0; i < items.length; i++) {
    if (storedId(items[i]) === id && readElement(spec, items[i]) !== undefined) return i;
  }
  return -1;
}

/**
 * Reconciles a Y.Array of element maps to `desired` by id, in place: an element whose id survives keeps
 * its Y.Map (only differing keys are written, prose as minimal text edits); new ones are inserted; the
 * rest (removed ids, later duplicates, unreadable items) are deleted. Order is restored by moving as few
 * elements as possible (those outside a longest increasing run); Yjs cannot move, so a moved element
 * is re-created from `desired`.
 */
export function reconcileList<T extends { id: string }>(spec: ElementSpec<T>, array: Y.Array<unknown>, desired: readonly T[]): void {
  const wanted = new Map(desired.map((element, i) => [element.id, i]));
  const items = array.toArray();
  const target: number[] = items.map(() => -1);
  const taken = new Set<string>();
  items.forEach((item, i) => {
    const id = storedId(item);
    const position = id === undefined ? undefined : wanted.get(id);
    if (id === undefined || position === undefined || taken.has(id) || readElement(spec as ElementSpec<unknown>, item) === undefined) return;
    taken.add(id);
    target[i] = position;
  });
  const stays = longestIncreasingRun(target);

  for (let end = items.length - 1; end >= 0; ) {
    if (stays.has(end)) {
      end--;
      continue;
    }
    let start = end;
    while (start > 0 && !stays.has(start - 1)) start--;
    array.delete(start, end - start + 1);
    end = start - 1;
  }

  const kept = new Set([...stays].map((i) => target[i]));
  let cursor = 0;
  let pending: Y.Map<unknown>[] = [];
  const flush = () => {
    if (!pending.length) return;
    array.insert(cursor, pending);
    cursor += pending.length;
    pending = [];
  };
  desired.forEach((element, i) => {
    if (!kept.has(i)) {
      pending.push(buildElement(spec, element));
      return;
    }
    flush();
    reconcileElement(spec, array.get(cursor) as Y.Map<unknown>, element);
    cursor++;
  });
  flush();
}

/** Indexes of a longest strictly increasing subsequence of the non-negative entries of `values`. */
function longestIncreasingRun(values: readonly number[]): Set<number> {
  const tails: number[] = []; // tails[k]: index in `values` of the smallest tail of a run of length k + 1
  const previous: number[] = values.map(() => -1);
  values.forEach((value, i) => {
    if (value < 0) return;
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (values[tails[mid]] < value) low = mid + 1;
      else high = mid;
    }
    if (low > 0) previous[i] = tails[low - 1];
    tails[low] = i;
  });
  const run = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = previous[i]) run.add(i);
  return run;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Y.AbstractType || b instanceof Y.AbstractType) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => jsonEqual(item, other[i]));
  }
  const left = a as Plain;
  const right = b as Plain;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => key in right && jsonEqual(left[key], right[key]));
}

/**
 * A deep copy of a JSON value to store in the document: nothing aliases the caller's objects, and strings
 * are well-formed (see `toWellFormed`).
 */
export function cloneJson<T>(item: T): T {
  if (item === undefined) return null as T;
  if (typeof item === 'string') return toWellFormed(item) as T;
  if (item === null || typeof item !== 'object') return item;
  if (Array.isArray(item)) return item.map(cloneJson) as T;
  return Object.fromEntries(Object.entries(item).map(([key, value]) => [key, cloneJson(value)])) as T;
}
