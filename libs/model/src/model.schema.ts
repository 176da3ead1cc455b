import { z } from 'zod';

/**
 * The data model a candidate and an interviewer co-edit. Plain JSON, validated with zod.
 * `docs/model.md` describes each element and how it is laid out in the shared Yjs document.
 */

/** Limits that keep one model small enough to grade, render and sync quickly. */
export const MODEL_LIMITS = {
  entities: 1000,
  fieldsPerEntity: 500,
  relationships: 4000,
  events: 1000,
  propertiesPerEvent: 200,
  listItems: 500,
  nameLength: 63, // PostgreSQL's identifier limit (NAMEDATALEN - 1)
  shortText: 1000,
  longText: 20000,
} as const;

export const idSchema = z
  .string()
  .min(1, 'an id must not be empty')
  .max(64, 'an id is at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'an id uses only letters, digits, "_" and "-"');

const nameSchema = z
  .string()
  .trim()
  .min(1, 'a name must not be empty')
  .max(MODEL_LIMITS.nameLength, `a name is at most ${MODEL_LIMITS.nameLength} characters`);

const shortText = z.string().max(MODEL_LIMITS.shortText);
const longText = z.string().max(MODEL_LIMITS.longText);
const list = <T extends z.ZodTypeAny>(item: T, max: number = MODEL_LIMITS.listItems) => z.array(item).max(max);

export const onDeleteActions = ['cascade', 'restrict', 'set null', 'set default', 'no action'] as const;
export const onDeleteSchema = z.enum(onDeleteActions);

export const cardinalities = ['1:1', '1:N', 'N:M'] as const;
export const cardinalitySchema = z.enum(cardinalities);

/** A column-level foreign key: `REFERENCES entity(field)`. */
export const fieldReferenceSchema = z.object({
  entityId: idSchema,
  fieldId: idSchema,
  onDelete: onDeleteSchema.nullable().default(null),
});

export const fieldSchema = z.object({
  id: idSchema,
  name: nameSchema,
  /** A PostgreSQL type as written in DDL: `bigint`, `text`, `numeric(12,2)`, `timestamptz`, an enum's name. */
  type: z.string().trim().min(1, 'a field needs a type').max(200),
  nullable: z.boolean().default(true),
  /** A default expression as written in DDL (`now()`, `'draft'`, `0`), or null for none. */
  default: z.string().max(MODEL_LIMITS.shortText).nullable().default(null),
  primaryKey: z.boolean().default(false),
  unique: z.boolean().default(false),
  references: fieldReferenceSchema.nullable().default(null),
  description: shortText.default(''),
});

export const constraintKinds = ['unique', 'check', 'foreign_key', 'exclusion'] as const;

export const constraintSchema = z.object({
  id: idSchema,
  name: z.string().max(MODEL_LIMITS.nameLength).default(''),
  kind: z.enum(constraintKinds),
  /** The constrained columns (unique, foreign key) or the columns an exclusion/check mentions. */
  fieldIds: list(idSchema, 32).default([]),
  /** `check`: the boolean expression; `exclusion`: the `EXCLUDE USING …` body. */
  expression: z.string().max(MODEL_LIMITS.shortText).default(''),
  /** `foreign_key`: the referenced entity and its columns, in the same order as `fieldIds`. */
  references: z
    .object({ entityId: idSchema, fieldIds: list(idSchema, 32), onDelete: onDeleteSchema.nullable().default(null) })
    .nullable()
    .default(null),
  description: shortText.default(''),
});

export const indexSchema = z.object({
  id: idSchema,
  name: z.string().max(MODEL_LIMITS.nameLength).default(''),
  /** Ordered key columns; the leading columns decide which access patterns it serves. */
  fieldIds: list(idSchema, 32).min(1, 'an index needs at least one column'),
  unique: z.boolean().default(false),
  /** Partial index predicate (`WHERE …`), empty for a full index. */
  where: z.string().max(MODEL_LIMITS.shortText).default(''),
  method: z.enum(['btree', 'hash', 'gin', 'gist', 'brin']).default('btree'),
});

export const entityKinds = ['table', 'view'] as const;

export const entitySchema = z.object({
  id: idSchema,
  name: nameSchema,
  kind: z.enum(entityKinds).default('table'),
  description: longText.default(''),
  fields: list(fieldSchema, MODEL_LIMITS.fieldsPerEntity).default([]),
  constraints: list(constraintSchema).default([]),
  indexes: list(indexSchema).default([]),
});

/**
 * An edge of the ER diagram. `1:N` reads "one `from` has many `to`": the `to` side holds the
 * foreign key (`toFieldIds` → `fromFieldIds`). `N:M` goes through a join entity (`throughEntityId`).
 */
export const relationshipSchema = z.object({
  id: idSchema,
  name: z.string().max(MODEL_LIMITS.shortText).default(''),
  fromEntityId: idSchema,
  fromFieldIds: list(idSchema, 32).default([]),
  toEntityId: idSchema,
  toFieldIds: list(idSchema, 32).default([]),
  cardinality: cardinalitySchema,
  throughEntityId: idSchema.nullable().default(null),
  onDelete: onDeleteSchema.nullable().default(null),
  description: shortText.default(''),
});

export const eventPropertyTypes = ['string', 'number', 'integer', 'boolean', 'timestamp', 'object', 'array'] as const;

export const eventPropertySchema = z.object({
  id: idSchema,
  name: nameSchema,
  type: z.enum(eventPropertyTypes),
  required: z.boolean().default(false),
  description: shortText.default(''),
});

/** An event of a tracking plan (`invoice_paid`, `Message Sent`). */
export const eventSchema = z.object({
  id: idSchema,
  name: z.string().trim().min(1, 'an event needs a name').max(200),
  description: shortText.default(''),
  /** When it fires, in product terms ("the user presses Send"). */
  trigger: shortText.default(''),
  /** The entity the event is about, if any. */
  entityId: idSchema.nullable().default(null),
  properties: list(eventPropertySchema, MODEL_LIMITS.propertiesPerEvent).default([]),
});

export const actorSchema = z.object({
  id: idSchema,
  name: z.string().trim().min(1, 'an actor needs a name').max(200),
  description: shortText.default(''),
});

export const ruleKinds = ['rule', 'invariant'] as const;

export const ruleSchema = z.object({
  id: idSchema,
  kind: z.enum(ruleKinds).default('rule'),
  text: shortText,
});

export const frequencies = ['high', 'medium', 'low'] as const;

/** A question the system must answer fast, with how often it is asked. */
export const accessPatternSchema = z.object({
  id: idSchema,
  description: shortText,
  frequency: z.enum(frequencies).default('medium'),
  /** Entities the pattern reads or writes, when the candidate names them. */
  entityIds: list(idSchema, 32).default([]),
});

export const tenancyStrategies = ['single-tenant', 'shared-schema', 'schema-per-tenant', 'database-per-tenant'] as const;

export const frameSchema = z.object({
  /** Free prose: the product domain in the candidate's words. */
  domain: longText.default(''),
  actors: list(actorSchema).default([]),
  rules: list(ruleSchema).default([]),
  accessPatterns: list(accessPatternSchema).default([]),
  tenancy: z
    .object({ strategy: z.enum(tenancyStrategies).nullable().default(null), notes: longText.default('') })
    // prefault parses `{}` through the object on each use, so every model gets fresh nested defaults
    // (a `.default(obj)` literal shares its nested objects and arrays between all parsed models).
    .prefault({}),
});

/** How the model answers a future product question, optionally with SQL that runs against it. */
export const winAnswerSchema = z.object({
  id: idSchema,
  /** The scenario's product question id, when the answer addresses one. */
  questionId: z.string().max(64).nullable().default(null),
  question: shortText.default(''),
  answer: longText.default(''),
  sql: longText.default(''),
});

export const winSchema = z.object({ answers: list(winAnswerSchema).default([]) });

export const MODEL_VERSION = 1;

export const modelSchema = z.object({
  version: z.literal(MODEL_VERSION).default(MODEL_VERSION),
  entities: list(entitySchema, MODEL_LIMITS.entities).default([]),
  relationships: list(relationshipSchema, MODEL_LIMITS.relationships).default([]),
  events: list(eventSchema, MODEL_LIMITS.events).default([]),
  frame: frameSchema.prefault({}),
  win: winSchema.prefault({}),
});

export type OnDelete = z.infer<typeof onDeleteSchema>;
export type Cardinality = z.infer<typeof cardinalitySchema>;
export type FieldReference = z.infer<typeof fieldReferenceSchema>;
export type Field = z.infer<typeof fieldSchema>;
export type Constraint = z.infer<typeof constraintSchema>;
export type ConstraintKind = Constraint['kind'];
export type Index = z.infer<typeof indexSchema>;
export type Entity = z.infer<typeof entitySchema>;
export type Relationship = z.infer<typeof relationshipSchema>;
export type EventProperty = z.infer<typeof eventPropertySchema>;
export type TrackingEvent = z.infer<typeof eventSchema>;
export type Actor = z.infer<typeof actorSchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type AccessPattern = z.infer<typeof accessPatternSchema>;
export type Frame = z.infer<typeof frameSchema>;
export type WinAnswer = z.infer<typeof winAnswerSchema>;
export type Win = z.infer<typeof winSchema>;
export type Model = z.infer<typeof modelSchema>;
/** A model as written by hand or sent over the wire: defaults may be omitted. */
export type ModelInput = z.input<typeof modelSchema>;
