import { join } from 'node:path';
import { type Field, type Model, modelSchema, type ModelInput } from '@hatch/model';
import { compactModelSchema, convertCompactModel, loadScenarioLibrary, parseScenario, type Scenario } from '@hatch/scenarios';
import type { Grade, Stage } from './grade.types';

export const SCENARIOS_DIR = join(__dirname, '../../../scenarios');

let library: Scenario[] | undefined;

/** Every scenario file in scenarios/, loaded once per test file. */
export function allScenarios(): Scenario[] {
  library ??= loadScenarioLibrary(SCENARIOS_DIR).list();
  return library;
}

export const scoresOf = (grade: Grade): Record<Stage, number> => ({
  frame: grade.stages.frame.score,
  list: grade.stages.list.score,
  optimize: grade.stages.optimize.score,
  win: grade.stages.win.score,
});

export const checkOf = (grade: Grade, id: string) => Object.values(grade.stages).flatMap((stage) => stage.checks).find((check) => check.id === id);

/** Ids of the checks that are not passed (failed, partial). */
export const openChecks = (grade: Grade, stage?: Stage) =>
  (stage ? grade.stages[stage].checks : Object.values(grade.stages).flatMap((s) => s.checks)).filter((c) => c.status === 'failed' || c.status === 'partial').map((c) => c.id);

export const clone = <T>(value: T): T => structuredClone(value);

/** A canonical model from the compact scenario format, with optional frame and win notes. */
export function buildModel(compact: unknown, extra: Omit<ModelInput, 'entities' | 'relationships' | 'events'> = {}): Model {
  const { model, problems } = convertCompactModel(compactModelSchema.parse(compact), []);
  if (problems.length) throw new Error(`bad test model: ${problems.map((p) => `${p.path.join('.')}: ${p.reason}`).join('; ')}`);
  return modelSchema.parse({ ...model, frame: extra.frame ?? {}, win: extra.win ?? {} });
}

/** A small scenario, as data to tweak, parsed by the real loader (JSON is valid YAML). */
export function tinyScenarioData() {
  return {
    formatVersion: 1,
    id: 'tiny-saas',
    version: 1,
    title: 'Tiny SaaS',
    prompt: 'Model tenants, their users, invoices and usage.',
    formats: ['multi-tenant-saas'],
    difficulty: 'junior',
    timePerStage: { frame: 5, list: 10, optimize: 5, win: 5 },
    domain: 'Tenants are companies; users belong to tenants; tenants get invoices with line items and report usage.',
    actors: [
      { id: 'admin', name: 'Tenant admin', aliases: ['owner', 'account owner'] },
      { id: 'billing-system', name: 'Billing system', aliases: ['billing run'] },
    ],
    rules: [
      { id: 'scoped', kind: 'invariant', text: 'Every invoice belongs to exactly one tenant and never points at another tenant.', concepts: ['invoice', 'invoice-item'] },
      { id: 'usage-once', kind: 'invariant', text: 'A usage record is counted once per idempotency key in a tenant.', concepts: ['usage-event'] },
    ],
    accessPatterns: [
      { id: 'list-invoices', description: "List a tenant's invoices by status.", frequency: 'high', concepts: ['invoice'], keyFields: ['invoice.tenant_id', 'invoice.status'] },
    ],
    tenancy: { strategy: 'shared-schema', why: 'Many small tenants share tables keyed by tenant_id with foreign keys and row-level security.' },
    referenceModel: {
      entities: {
        tenants: { fields: { id: { type: 'uuid', pk: true }, name: 'text', created_at: 'timestamptz' } },
        users: {
          fields: {
            id: { type: 'uuid', pk: true },
            tenant_id: { type: 'uuid', references: 'tenants.id', onDelete: 'cascade' },
            email: 'text',
            created_at: 'timestamptz',
          },
          uniqueKeys: [['tenant_id', 'email']],
        },
        invoices: {
          fields: {
            id: { type: 'uuid', pk: true },
            tenant_id: { type: 'uuid', references: 'tenants.id', onDelete: 'restrict' },
            status: 'text',
            total_minor: 'bigint',
            currency: 'char(3)',
            issued_at: { type: 'timestamptz', nullable: true },
            created_at: 'timestamptz',
          },
          uniqueKeys: [['tenant_id', 'id']],
          indexes: [['tenant_id', 'status']],
        },
        invoice_items: {
          fields: {
            id: { type: 'uuid', pk: true },
            tenant_id: { type: 'uuid', references: 'tenants.id', onDelete: 'restrict' },
            invoice_id: 'uuid',
            amount_minor: 'bigint',
            created_at: 'timestamptz',
          },
          foreignKeys: [{ columns: ['tenant_id', 'invoice_id'], references: 'invoices(tenant_id, id)', onDelete: 'cascade' }],
          indexes: [['tenant_id', 'invoice_id']],
        },
        usage_events: {
          fields: {
            id: { type: 'uuid', pk: true },
            tenant_id: { type: 'uuid', references: 'tenants.id', onDelete: 'restrict' },
            idempotency_key: 'text',
            quantity: 'bigint',
            occurred_at: 'timestamptz',
          },
          uniqueKeys: [['tenant_id', 'idempotency_key']],
        },
        meters: { fields: { id: { type: 'uuid', pk: true }, code: { type: 'text', unique: true }, unit: 'text', created_at: 'timestamptz' } },
      },
      events: {
        invoice_paid: { entity: 'invoices', properties: { amount_minor: { type: 'integer', required: true, description: 'Amount paid, minor units.' } } },
      },
    },
    concepts: [
      { id: 'tenant', entity: 'tenants', aliases: ['accounts', 'organizations', 'orgs', 'workspaces', 'companies'] },
      { id: 'user', entity: 'users', aliases: ['people', 'members'], fields: [{ name: 'email', aliases: ['email_address'] }] },
      { id: 'invoice', entity: 'invoices', aliases: ['bills'], fields: [{ name: 'tenant_id', aliases: ['account_id', 'org_id'] }, 'status', { name: 'total_minor', aliases: ['total_cents', 'amount'] }] },
      { id: 'invoice-item', entity: 'invoice_items', aliases: ['line_items', 'invoice_lines'], fields: [{ name: 'amount_minor', aliases: ['amount_cents'] }] },
      { id: 'usage-event', entity: 'usage_events', aliases: ['usage_records'], fields: [{ name: 'idempotency_key', aliases: ['dedupe_key'] }] },
      { id: 'meter', entity: 'meters', importance: 'supporting', aliases: ['features', 'metrics'] },
    ],
    productQuestions: [
      {
        id: 'revenue-per-tenant',
        category: 'monetization',
        question: 'How much did each tenant invoice last month?',
        concepts: ['tenant', 'invoice'],
        referenceAnswer: 'Sum invoices.total_minor per tenant for invoices issued last month.',
        referenceSql: 'SELECT t.id, sum(i.total_minor) FROM tenants t JOIN invoices i ON i.tenant_id = t.id GROUP BY t.id;',
      },
    ],
    followUps: [{ id: 'isolation', stage: 'optimize', question: 'How do you keep tenants apart?', concepts: ['tenant'] }],
  };
}

export type TinyScenarioData = ReturnType<typeof tinyScenarioData>;

export function tinyScenario(edit?: (data: TinyScenarioData & Record<string, unknown>) => void): Scenario {
  const data = tinyScenarioData() as TinyScenarioData & Record<string, unknown>;
  edit?.(data);
  return parseScenario(JSON.stringify(data), `${data.id}.yaml`);
}

// ------------------------------------------------------------------ model edits (pure: they return a new model)

/** Removes a field and everything built on it: keys, indexes, constraints, references to it, relationships over it. */
export function removeField(input: Model, fieldId: string): Model {
  const model = clone(input);
  for (const entity of model.entities) {
    entity.fields = entity.fields.filter((field) => field.id !== fieldId);
    for (const field of entity.fields) if (field.references?.fieldId === fieldId) field.references = null;
    entity.indexes = entity.indexes.filter((index) => !index.fieldIds.includes(fieldId));
    entity.constraints = entity.constraints.filter((c) => !c.fieldIds.includes(fieldId) && !c.references?.fieldIds.includes(fieldId));
  }
  model.relationships = model.relationships.filter((r) => !r.fromFieldIds.includes(fieldId) && !r.toFieldIds.includes(fieldId));
  return model;
}

/** Removes an entity, its relationships and every reference to it. */
export function removeEntity(input: Model, entityId: string): Model {
  const model = clone(input);
  model.entities = model.entities.filter((entity) => entity.id !== entityId);
  for (const entity of model.entities) {
    for (const field of entity.fields) if (field.references?.entityId === entityId) field.references = null;
    entity.constraints = entity.constraints.filter((c) => c.references?.entityId !== entityId);
  }
  model.relationships = model.relationships.filter((r) => r.fromEntityId !== entityId && r.toEntityId !== entityId && r.throughEntityId !== entityId);
  for (const event of model.events) if (event.entityId === entityId) event.entityId = null;
  for (const pattern of model.frame.accessPatterns) pattern.entityIds = pattern.entityIds.filter((id) => id !== entityId);
  return model;
}

/** Drops a column-level foreign key and the relationship drawn for it. */
export function dropForeignKey(input: Model, fieldId: string): Model {
  const model = clone(input);
  for (const entity of model.entities) for (const field of entity.fields) if (field.id === fieldId) field.references = null;
  model.relationships = model.relationships.filter((r) => !(r.toFieldIds.length === 1 && r.toFieldIds[0] === fieldId));
  return model;
}

export function addField(input: Model, entityId: string, field: Partial<Field> & Pick<Field, 'id' | 'name' | 'type'>): Model {
  const model = clone(input);
  const entity = model.entities.find((e) => e.id === entityId);
  if (!entity) throw new Error(`no entity ${entityId}`);
  entity.fields.push({ nullable: false, default: null, primaryKey: false, unique: false, references: null, description: '', ...field });
  return model;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Renames an entity the way a refactor would: the table, and its name in the win answers' prose
 * and SQL (plural and singular forms).
 */
export function renameEntity(input: Model, entityId: string, name: string, singularFrom: string, singularTo: string): Model {
  const model = clone(input);
  const entity = model.entities.find((e) => e.id === entityId);
  if (!entity) throw new Error(`no entity ${entityId}`);
  const from = entity.name;
  entity.name = name;
  const replace = (text: string) =>
    text.replace(new RegExp(`\\b${escape(from)}\\b`, 'g'), name).replace(new RegExp(`\\b${escape(singularFrom)}\\b`, 'g'), singularTo);
  for (const answer of model.win.answers) {
    answer.answer = replace(answer.answer);
    answer.sql = replace(answer.sql);
  }
  return model;
}

/** Renames a field, and the same word in the win answers' prose and SQL (use for names no other table has). */
export function renameField(input: Model, fieldId: string, name: string): Model {
  const model = clone(input);
  const field = model.entities.flatMap((e) => e.fields).find((f) => f.id === fieldId);
  if (!field) throw new Error(`no field ${fieldId}`);
  const pattern = new RegExp(`\\b${escape(field.name)}\\b`, 'g');
  field.name = name;
  for (const answer of model.win.answers) {
    answer.answer = answer.answer.replace(pattern, name);
    answer.sql = answer.sql.replace(pattern, name);
  }
  return model;
}
