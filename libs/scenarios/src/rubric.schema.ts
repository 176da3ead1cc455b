import { cardinalitySchema, constraintKinds } from '@hatch/model';
import { z } from 'zod';

/**
 * Rubric checks a scenario author writes by hand, per FLOW stage. Most checks are derived by the
 * grader from the scenario's concepts, access patterns, rules, tenancy, product questions and
 * reference model; a rubric entry is for something special (a constraint no rule implies, an event
 * a tracking plan must have, a phrase the framing must mention). Each `kind` has its own fields;
 * `scenarios/README.md` documents them with examples.
 */

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const kebabId = z
  .string()
  .min(1, 'an id must not be empty')
  .max(64, 'an id is at most 64 characters')
  .regex(KEBAB, 'an id is kebab-case: lowercase letters and digits separated by "-"');
const conceptId = kebabId;
const fieldName = z.string().trim().min(1, 'a field name must not be empty').max(63);
const fieldNames = z.array(fieldName).min(1, 'name at least one field').max(32);

const base = {
  id: kebabId,
  description: z.string().trim().min(1, 'must not be empty').max(1000),
  weight: z.number().positive().max(100).default(1),
  /** Concepts the check is about (for follow-ups and drills); some kinds read them as their input. */
  concepts: z.array(kebabId).max(64).default(() => []),
  /** What a coach says when the check fails; the grader writes one when empty. */
  hint: z.string().max(1000).default(''),
  /** The weak move a failure counts against (`tenant-boundaries`, `history`, ...); defaults by kind. */
  move: kebabId.optional(),
};

const check = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.strictObject({ ...base, kind: z.literal(kind), ...shape });

/** Every concept in `concepts` is modeled. */
export const requiredConceptsCheckSchema = check('required-concepts', {});
/** The entity matched to `concept` has these reference fields (by name or alias). */
export const requiredFieldsCheckSchema = check('required-fields', { concept: conceptId, fields: fieldNames });
/** A relationship (foreign key or drawn edge) between two concepts, with this cardinality (`1:N`: one `from`, many `to`). */
export const relationshipCheckSchema = check('relationship', { from: conceptId, to: conceptId, cardinality: cardinalitySchema });
/**
 * An invariant enforced by the database: a constraint of this kind over these reference fields.
 * A `foreign_key` names what it points at in `references` (a concept id, or the reference table a
 * concept models); the loader resolves it to the concept id.
 */
export const constraintCheckSchema = check('constraint', {
  concept: conceptId,
  constraint: z.enum(constraintKinds),
  fields: fieldNames,
  references: z.string().trim().min(1, 'must not be empty').max(100).optional(),
  /** The scenario rule the constraint enforces, if any. */
  rule: kebabId.optional(),
});
/** A b-tree index, unique key or primary key whose leading columns are these fields, in order. */
export const indexCheckSchema = check('index', { concept: conceptId, fields: fieldNames });
/** Each concept (every tenant-scoped concept when `concepts` is empty) carries the tenant id with a foreign key. */
export const tenantScopedCheckSchema = check('tenant-scoped', {});
/** Unique keys of these concepts (every tenant-scoped one when empty) include the tenant id. */
export const uniqueKeysIncludeTenantCheckSchema = check('unique-keys-include-tenant', { except: z.array(conceptId).max(64).default(() => []) });
/** An append-only log: actor, action, target, changes, time, and no `updated_at`. */
export const appendOnlyCheckSchema = check('append-only', { concept: conceptId });
/** Type-2 history: a validity range (valid_from/valid_to, effective_from/effective_to, ...). */
export const validityRangeCheckSchema = check('validity-range', { concept: conceptId });
/** State transitions are kept: a status with transition timestamps, or a status history table. */
export const stateHistoryCheckSchema = check('state-history', { concept: conceptId, field: fieldName.default('status') });
/** An idempotency key, unique per tenant, so a retried write is applied once. */
export const idempotencyKeyCheckSchema = check('idempotency-key', { concept: conceptId, field: fieldName });
/** Amounts of these concepts are integer minor units or numeric, next to a currency. */
export const moneyCheckSchema = check('money', {});
/** A product question is answerable: its concepts are joined within `maxHops` relationships to a timestamped fact. */
export const answerableCheckSchema = check('answerable', { question: kebabId, maxHops: z.number().int().min(1).max(6).optional() });
/** The tracking plan has this event (by name or alias), optionally tied to a concept and with these properties. */
export const eventCheckSchema = check('event', {
  name: z.string().trim().min(1).max(200),
  aliases: z.array(z.string().trim().min(1).max(200)).max(50).default(() => []),
  concept: conceptId.optional(),
  properties: z.array(z.string().trim().min(1).max(63)).max(50).default(() => []),
});
/** The frame notes mention at least `min` (default: all) of these terms. */
export const frameMentionsCheckSchema = check('frame-mentions', {
  terms: z.array(z.string().trim().min(1).max(200)).min(1, 'name at least one term').max(50),
  min: z.number().int().min(1).optional(),
});

export const rubricCheckKinds = [
  'required-concepts',
  'required-fields',
  'relationship',
  'constraint',
  'index',
  'tenant-scoped',
  'unique-keys-include-tenant',
  'append-only',
  'validity-range',
  'state-history',
  'idempotency-key',
  'money',
  'answerable',
  'event',
  'frame-mentions',
] as const;

const members = [
  requiredConceptsCheckSchema,
  requiredFieldsCheckSchema,
  relationshipCheckSchema,
  constraintCheckSchema,
  indexCheckSchema,
  tenantScopedCheckSchema,
  uniqueKeysIncludeTenantCheckSchema,
  appendOnlyCheckSchema,
  validityRangeCheckSchema,
  stateHistoryCheckSchema,
  idempotencyKeyCheckSchema,
  moneyCheckSchema,
  answerableCheckSchema,
  eventCheckSchema,
  frameMentionsCheckSchema,
] as const;

/** One rubric entry, told apart by `kind`. */
export const rubricCheckSchema = z.discriminatedUnion('kind', members);

export const rubricSchema = z.strictObject({
  frame: z.array(rubricCheckSchema).max(100).default(() => []),
  list: z.array(rubricCheckSchema).max(100).default(() => []),
  optimize: z.array(rubricCheckSchema).max(100).default(() => []),
  win: z.array(rubricCheckSchema).max(100).default(() => []),
});

export type RubricCheck = z.output<typeof rubricCheckSchema>;
export type RubricCheckKind = RubricCheck['kind'];
export type RubricCheckOf<K extends RubricCheckKind> = Extract<RubricCheck, { kind: K }>;
export type Rubric = z.output<typeof rubricSchema>;
