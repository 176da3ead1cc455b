import { frequencies, ruleKinds, tenancyStrategies } from '@hatch/model';
import { z } from 'zod';
import { compactModelSchema } from './compact-model.schema';
import { rubricSchema } from './rubric.schema';

/**
 * The scenario file format (YAML), as authored. `scenarios/README.md` documents every field.
 * The loader turns a validated file into a `Scenario` (see scenario.types.ts): the compact
 * reference model becomes a canonical `Model`, concept and key-field names resolve to ids.
 */

/** Bumped only for changes that old files or old loaders cannot read. */
export const SCENARIO_FORMAT_VERSION = 1;

export const scenarioFormats = ['multi-tenant-saas', 'billing-metering', 'audit-logs', 'marketplace', 'event-tracking'] as const;
export const difficulties = ['junior', 'mid', 'senior', 'staff'] as const;
export const stages = ['frame', 'list', 'optimize', 'win'] as const;
export const productQuestionCategories = ['retention', 'monetization', 'fraud', 'usage', 'customer-health', 'operations'] as const;
export const conceptImportances = ['core', 'supporting'] as const;
/** What a concept is for, when the grader checks more than its presence: `audit-log` is held to the audit entry (actor, action, target, changes, time) and append-only. */
export const conceptRoles = ['audit-log'] as const;

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Ids inside a scenario (actors, rules, concepts, ...) and the scenario id itself: kebab-case. */
export const scenarioIdSchema = z
  .string()
  .min(1, 'an id must not be empty')
  .max(64, 'an id is at most 64 characters')
  .regex(KEBAB, 'an id is kebab-case: lowercase letters and digits separated by "-"');

const oneLine = z.string().trim().min(1, 'must not be empty').max(1000);
const prose = z.string().trim().min(1, 'must not be empty').max(20000);
const ids = z.array(scenarioIdSchema).max(64).default(() => []);
const aliases = z.array(z.string().trim().min(1, 'an alias must not be empty').max(100)).max(100).default(() => []);
const minutes = z.number().int('minutes are whole numbers').min(1).max(180);

/** `concept.field`: a field of the reference entity a concept corresponds to. */
const conceptFieldRef = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*\.[^.\s]+$/, 'expected concept-id.field_name, e.g. invoice.tenant_id');

export const actorDefinitionSchema = z.strictObject({
  id: scenarioIdSchema,
  name: oneLine,
  aliases,
  description: z.string().max(1000).default(''),
});

export const ruleDefinitionSchema = z.strictObject({
  id: scenarioIdSchema,
  kind: z.enum(ruleKinds),
  text: oneLine,
  /** Concepts the rule constrains (where a model should enforce it). */
  concepts: ids,
});

export const accessPatternDefinitionSchema = z.strictObject({
  id: scenarioIdSchema,
  description: oneLine,
  frequency: z.enum(frequencies),
  concepts: ids.refine((list) => list.length > 0, 'name at least one concept the pattern touches'),
  /** The columns an index serving the pattern leads with, in order; consecutive fields of one concept form one index key. */
  keyFields: z.array(conceptFieldRef).max(32).default(() => []),
});

export const tenancyDefinitionSchema = z.strictObject({
  strategy: z.enum(tenancyStrategies),
  why: prose,
});

const conceptFieldSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { name: value } : value),
  z.strictObject(
    { name: z.string().trim().min(1), aliases, description: z.string().max(1000).default('') },
    { error: (issue) => (issue.code === 'invalid_type' ? 'expected a field name or { name, aliases }' : undefined) },
  ),
);

export const conceptDefinitionSchema = z.strictObject({
  id: scenarioIdSchema,
  /** The reference model entity (by name) this concept corresponds to. */
  entity: z.string().trim().min(1),
  importance: z.enum(conceptImportances).default('core'),
  role: z.enum(conceptRoles).optional(),
  /** Names a candidate may use for the entity instead of the reference name. */
  aliases,
  description: z.string().max(1000).default(''),
  /** Key fields of the reference entity, with the names candidates use for them. */
  fields: z.array(conceptFieldSchema).max(100).default(() => []),
});

export const productQuestionDefinitionSchema = z.strictObject({
  id: scenarioIdSchema,
  category: z.enum(productQuestionCategories),
  question: oneLine,
  /** Concepts an answer must reach through the relationship graph. */
  concepts: ids.refine((list) => list.length > 0, 'name at least one concept an answer must reach'),
  /** Answer key, hidden from candidates: how the reference model answers it, and a query that runs against it. */
  referenceAnswer: z.string().max(20000).default(''),
  referenceSql: z.string().max(20000).default(''),
});

export const followUpDefinitionSchema = z.strictObject({
  id: scenarioIdSchema,
  /** When in the interview the follow-up is asked. */
  stage: z.enum(stages),
  /** The FLOW move it probes; defaults to `stage`. */
  move: z.enum(stages).optional(),
  /** The grader's weak moves it probes (`tenant-boundaries`, `history`, ...); the grader's contract suite checks the names. */
  probes: z
    .array(scenarioIdSchema)
    .max(8)
    .refine((list) => new Set(list).size === list.length, 'probes must not repeat')
    .default(() => []),
  question: oneLine,
  concepts: ids,
  /** Points a good answer makes, for judging free-text answers. */
  lookFor: z.array(oneLine).max(20).default(() => []),
});

/** Reserved for drills: short exercises on one move that start from a prepared model. */
export const drillDefinitionSchema = z.strictObject({
  id: scenarioIdSchema,
  stage: z.enum(stages),
  title: oneLine,
  task: prose,
  minutes: minutes.default(10),
  concepts: ids,
  startModel: compactModelSchema.optional(),
});

export const scenarioFileSchema = z.strictObject({
  formatVersion: z.literal(SCENARIO_FORMAT_VERSION),
  id: scenarioIdSchema,
  version: z.number().int('version is a whole number').min(1),
  title: oneLine,
  prompt: prose,
  formats: z
    .array(z.enum(scenarioFormats))
    .min(1, 'name at least one format')
    .refine((list) => new Set(list).size === list.length, 'formats must not repeat'),
  difficulty: z.enum(difficulties),
  timePerStage: z.strictObject({ frame: minutes, list: minutes, optimize: minutes, win: minutes }),
  /** The reference framing of the product domain (answer key). */
  domain: z.string().max(20000).default(''),
  actors: z.array(actorDefinitionSchema).min(1, 'name at least one actor').max(100),
  rules: z.array(ruleDefinitionSchema).min(1, 'name at least one rule').max(200),
  accessPatterns: z.array(accessPatternDefinitionSchema).min(1, 'name at least one access pattern').max(200),
  tenancy: tenancyDefinitionSchema,
  referenceModel: compactModelSchema,
  concepts: z.array(conceptDefinitionSchema).min(1, 'name at least one concept').max(500),
  productQuestions: z.array(productQuestionDefinitionSchema).min(1, 'name at least one product question').max(200),
  followUps: z.array(followUpDefinitionSchema).min(1, 'name at least one follow-up').max(500),
  rubric: rubricSchema.optional(),
  drills: z.array(drillDefinitionSchema).max(100).optional(),
});

export type ScenarioFormat = (typeof scenarioFormats)[number];
export type Difficulty = (typeof difficulties)[number];
export type Stage = (typeof stages)[number];
export type ProductQuestionCategory = (typeof productQuestionCategories)[number];
export type ConceptImportance = (typeof conceptImportances)[number];
export type ConceptRole = (typeof conceptRoles)[number];
export type ScenarioFile = z.output<typeof scenarioFileSchema>;
