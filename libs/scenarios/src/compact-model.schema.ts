import {
  cardinalitySchema,
  entityKinds,
  eventPropertyTypes,
  idSchema,
  indexSchema,
  onDeleteSchema,
} from '@hatch/model';
import { z } from 'zod';

/**
 * The compact authoring format of a model inside a scenario file (`referenceModel`, a drill's
 * `startModel`). Entities, fields and events are YAML mappings keyed by name; ids may be omitted
 * (the converter derives them from names) and foreign keys, indexes and relationships name
 * entities and columns instead of ids. `scenarios/README.md` documents it with examples.
 */

const text = z.string().max(20000);
const columnName = z.string().trim().min(1, 'a column name must not be empty');
const columnList = z.array(columnName).min(1, 'list at least one column').max(32);

/** `tenants.id` or `invoices(tenant_id, id)`; resolved by the converter. */
const referenceTarget = z.string().trim().min(1, 'name the referenced entity and column, e.g. tenants.id');

/** A YAML shorthand (`name: uuid`, `- [tenant_id, status]`) expands to the object form before validation. */
const shorthand = <T extends z.ZodTypeAny>(expand: (value: unknown) => unknown, schema: T) => z.preprocess(expand, schema);

const expandString = (key: string) => (value: unknown) => (typeof value === 'string' ? { [key]: value } : value);
const expandArray = (key: string) => (value: unknown) => (Array.isArray(value) ? { [key]: value } : value);

export const compactFieldSchema = shorthand(
  expandString('type'),
  z.strictObject(
    {
      id: idSchema.optional(),
      type: z.string().trim().min(1, 'a field needs a type'),
      pk: z.boolean().default(false),
      /** Unlike SQL, compact fields are NOT NULL unless marked nullable. */
      nullable: z.boolean().default(false),
      unique: z.boolean().default(false),
      default: z
        .union([z.string(), z.number(), z.boolean()])
        .transform((value) => String(value))
        .optional(),
      references: referenceTarget.optional(),
      onDelete: onDeleteSchema.optional(),
      /** A CHECK on this column alone, e.g. `status IN ('open', 'paid')`. */
      check: z.string().trim().min(1).optional(),
      description: text.default(''),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'expected a type (e.g. uuid) or a field object' : undefined) },
  ),
);

const namedElement = {
  id: idSchema.optional(),
  name: z.string().trim().min(1).optional(),
  description: text.default(''),
};

export const compactUniqueKeySchema = shorthand(
  expandArray('columns'),
  z.strictObject(
    { ...namedElement, columns: columnList },
    { error: (issue) => (issue.code === 'invalid_type' ? 'expected a column list or { columns: [...] }' : undefined) },
  ),
);

export const compactCheckSchema = shorthand(
  expandString('expression'),
  z.strictObject(
    {
      ...namedElement,
      expression: z.string().trim().min(1, 'a check needs an expression'),
      /** The columns the expression mentions; derived from the expression when omitted. */
      columns: columnList.optional(),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'expected an expression or { expression: ... }' : undefined) },
  ),
);

export const compactForeignKeySchema = z.strictObject({
  ...namedElement,
  columns: columnList,
  references: referenceTarget,
  onDelete: onDeleteSchema.optional(),
});

export const compactExclusionSchema = z.strictObject({
  ...namedElement,
  /** Everything after EXCLUDE, e.g. `USING gist (room_id WITH =, during WITH &&)`. */
  expression: z.string().trim().min(1, 'an exclusion needs an expression'),
  columns: columnList.optional(),
});

export const compactIndexSchema = shorthand(
  expandArray('columns'),
  z.strictObject(
    {
      id: idSchema.optional(),
      name: z.string().trim().min(1).optional(),
      columns: columnList,
      unique: z.boolean().default(false),
      where: z.string().default(''),
      method: indexSchema.shape.method,
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'expected a column list or { columns: [...] }' : undefined) },
  ),
);

export const compactEntitySchema = z.strictObject({
  id: idSchema.optional(),
  kind: z.enum(entityKinds).default('table'),
  description: text.default(''),
  fields: z.record(z.string(), compactFieldSchema).refine((fields) => Object.keys(fields).length > 0, 'an entity needs at least one field'),
  uniqueKeys: z.array(compactUniqueKeySchema).default(() => []),
  checks: z.array(compactCheckSchema).default(() => []),
  foreignKeys: z.array(compactForeignKeySchema).default(() => []),
  exclusions: z.array(compactExclusionSchema).default(() => []),
  indexes: z.array(compactIndexSchema).default(() => []),
});

/** Relationships beyond those derived from foreign keys (N:M through a join entity, named edges). */
export const compactRelationshipSchema = z.strictObject({
  ...namedElement,
  from: z.string().trim().min(1),
  to: z.string().trim().min(1),
  cardinality: cardinalitySchema,
  fromColumns: columnList.optional(),
  toColumns: columnList.optional(),
  through: z.string().trim().min(1).optional(),
  onDelete: onDeleteSchema.optional(),
});

export const compactEventPropertySchema = shorthand(
  expandString('type'),
  z.strictObject(
    {
      id: idSchema.optional(),
      type: z.enum(eventPropertyTypes),
      required: z.boolean().default(false),
      description: text.default(''),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'expected a property type or a property object' : undefined) },
  ),
);

export const compactEventSchema = z.strictObject({
  id: idSchema.optional(),
  description: text.default(''),
  trigger: text.default(''),
  entity: z.string().trim().min(1).optional(),
  properties: z.record(z.string(), compactEventPropertySchema).default(() => ({})),
});

export const compactModelSchema = z.strictObject({
  entities: z.record(z.string(), compactEntitySchema).default(() => ({})),
  relationships: z.array(compactRelationshipSchema).default(() => []),
  events: z.record(z.string(), compactEventSchema).default(() => ({})),
});

export type CompactField = z.output<typeof compactFieldSchema>;
export type CompactEntity = z.output<typeof compactEntitySchema>;
export type CompactRelationship = z.output<typeof compactRelationshipSchema>;
export type CompactEvent = z.output<typeof compactEventSchema>;
export type CompactModel = z.output<typeof compactModelSchema>;
