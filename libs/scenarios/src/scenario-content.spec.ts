import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Entity, type Model, validateModel } from '@hatch/model';
import { parseScenario } from './scenario-parser';
import { sqlNames } from './sql-names';
import type { Scenario } from './scenario.types';

/**
 * Contract suite run over every file in scenarios/: rules an answer key must follow beyond what
 * the loader enforces. Test names cite the rule ([SCn]) so a failure points at the convention.
 */
const SCENARIOS_DIR = join(__dirname, '../../../scenarios');
const files = readdirSync(SCENARIOS_DIR).filter((name) => /\.ya?ml$/.test(name));

const fieldsById = (model: Model) => new Map(model.entities.flatMap((entity) => entity.fields.map((field) => [field.id, { entity, field }] as const)));

/** Every foreign key of an entity, column-level and composite, as column ids → target. */
function foreignKeys(entity: Entity) {
  const keys = entity.fields.flatMap((field) =>
    field.references ? [{ fieldIds: [field.id], entityId: field.references.entityId, targetIds: [field.references.fieldId], onDelete: field.references.onDelete }] : [],
  );
  for (const constraint of entity.constraints) {
    if (constraint.kind === 'foreign_key' && constraint.references) {
      keys.push({ fieldIds: constraint.fieldIds, entityId: constraint.references.entityId, targetIds: constraint.references.fieldIds, onDelete: constraint.references.onDelete });
    }
  }
  return keys;
}

it('there is at least one scenario file', () => {
  expect(files.length).toBeGreaterThan(0);
});

describe.each(files)('%s', (file) => {
  let scenario: Scenario;
  let model: Model;

  beforeAll(() => {
    scenario = parseScenario(readFileSync(join(SCENARIOS_DIR, file), 'utf8'), join('scenarios', file));
    model = scenario.referenceModel;
  });

  it('[SC1] loads, and its reference model passes model validation (schema and referential integrity)', () => {
    expect(validateModel(model)).toEqual({ ok: true, model });
  });

  it('[SC2] stores every timestamp with its time zone', () => {
    const naive = model.entities.flatMap((e) =>
      e.fields.filter((f) => /^timestamp(?!tz)(?!.*with time zone)/i.test(f.type) || /^(date|time)$/i.test(f.type)).map((f) => `${e.name}.${f.name}`),
    );
    expect(naive).toEqual([]);
  });

  it('[SC3] keeps money in integer minor units next to a currency, never in floats', () => {
    const problems: string[] = [];
    const withCurrency = new Set(model.entities.filter((e) => e.fields.some((f) => f.name === 'currency')).map((e) => e.id));
    for (const entity of model.entities) {
      for (const field of entity.fields) {
        if (/^(money|real|float|double)/i.test(field.type)) problems.push(`${entity.name}.${field.name} is ${field.type}`);
        if (field.name.endsWith('_minor') && !/^(bigint|integer|int8|int4|int)$/i.test(field.type)) {
          problems.push(`${entity.name}.${field.name} is ${field.type}`);
        }
      }
      const hasMoney = entity.fields.some((f) => f.name.endsWith('_minor'));
      const currencyReachable = withCurrency.has(entity.id) || foreignKeys(entity).some((fk) => withCurrency.has(fk.entityId));
      if (hasMoney && !currencyReachable) problems.push(`${entity.name} has amounts but no currency`);
    }
    expect(problems).toEqual([]);
  });

  it('[SC4] gives foreign key columns the type of the columns they reference, and an explicit on-delete', () => {
    const fields = fieldsById(model);
    const problems: string[] = [];
    for (const entity of model.entities) {
      for (const fk of foreignKeys(entity)) {
        fk.fieldIds.forEach((id, i) => {
          const from = fields.get(id);
          const to = fields.get(fk.targetIds[i]);
          if (from && to && from.field.type !== to.field.type) {
            problems.push(`${entity.name}.${from.field.name} ${from.field.type} → ${to.entity.name}.${to.field.name} ${to.field.type}`);
          }
        });
        if (fk.onDelete === null) problems.push(`${entity.name}(${fk.fieldIds.join(', ')}) has no on-delete action`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('[SC5] backs every cascading or nulling foreign key with an index that leads with its columns', () => {
    const problems: string[] = [];
    for (const entity of model.entities) {
      const keys = [
        ...entity.indexes.map((index) => index.fieldIds),
        ...entity.constraints.filter((c) => c.kind === 'unique').map((c) => c.fieldIds),
        entity.fields.filter((f) => f.primaryKey).map((f) => f.id),
      ];
      for (const fk of foreignKeys(entity)) {
        if (fk.onDelete !== 'cascade' && fk.onDelete !== 'set null') continue;
        if (!keys.some((key) => fk.fieldIds.every((id, i) => key[i] === id))) problems.push(`${entity.name}(${fk.fieldIds.join(', ')})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('[SC6] multi-tenant: scopes tenant data by tenant_id and never references across tenants', () => {
    if (!scenario.formats.includes('multi-tenant-saas')) return;
    const tenantConcept = scenario.concepts.find((concept) => concept.id === 'tenant');
    expect(tenantConcept).toBeDefined();
    const tenantEntityId = tenantConcept?.entityId;
    const fields = fieldsById(model);
    const scoped = new Set(model.entities.filter((e) => e.fields.some((f) => f.name === 'tenant_id')).map((e) => e.id));
    const problems: string[] = [];
    for (const entity of model.entities) {
      const tenantId = entity.fields.find((f) => f.name === 'tenant_id');
      if (tenantId && (tenantId.nullable || tenantId.references?.entityId !== tenantEntityId)) {
        problems.push(`${entity.name}.tenant_id must be NOT NULL and reference the tenant`);
      }
      for (const fk of foreignKeys(entity)) {
        const names = fk.fieldIds.map((id) => fields.get(id)?.field.name);
        if (scoped.has(entity.id) && scoped.has(fk.entityId) && !names.includes('tenant_id')) {
          problems.push(`${entity.name}(${names.join(', ')}) references tenant data without tenant_id`);
        }
        if (!scoped.has(entity.id) && entity.id !== tenantEntityId && scoped.has(fk.entityId)) {
          problems.push(`global ${entity.name} references tenant data`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('[SC7] keeps append-only entities free of updated_at', () => {
    const appendOnly = model.entities.filter((e) => /append-only/i.test(e.description));
    if (scenario.formats.includes('audit-logs')) expect(appendOnly.length).toBeGreaterThan(0);
    expect(appendOnly.filter((e) => e.fields.some((f) => f.name === 'updated_at')).map((e) => e.name)).toEqual([]);
  });

  it('[SC8] connects every entity through relationships, so questions can reach any concept', () => {
    const neighbours = new Map(model.entities.map((e) => [e.id, new Set<string>()]));
    for (const r of model.relationships) {
      neighbours.get(r.fromEntityId)?.add(r.toEntityId);
      neighbours.get(r.toEntityId)?.add(r.fromEntityId);
    }
    const seen = new Set([model.entities[0].id]);
    const queue = [model.entities[0].id];
    while (queue.length > 0) {
      for (const next of neighbours.get(queue.shift() as string) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    expect(model.entities.filter((e) => !seen.has(e.id)).map((e) => e.name)).toEqual([]);
  });

  it('[SC9] gives every access pattern the key fields its index leads with', () => {
    expect(scenario.accessPatterns.filter((p) => p.keyFields.length === 0).map((p) => p.id)).toEqual([]);
  });

  it('[SC10] writes reference SQL against tables of the reference model only', () => {
    const tables = new Set(model.entities.map((e) => e.name));
    const problems: string[] = [];
    for (const question of scenario.productQuestions) {
      for (const table of sqlNames(question.referenceSql).tables) if (!tables.has(table)) problems.push(`${question.id}: ${table}`);
    }
    expect(problems).toEqual([]);
  });

  it('[SC12] an audit-logs scenario marks its audit log concept with role: audit-log, on an append-only entity', () => {
    const audit = scenario.concepts.filter((concept) => concept.role === 'audit-log');
    if (scenario.formats.includes('audit-logs')) expect(audit.length).toBeGreaterThan(0);
    const entities = audit.map((concept) => model.entities.find((e) => e.id === concept.entityId));
    expect(entities.filter((e) => !e || !/append-only/i.test(e.description) || e.fields.some((f) => f.name === 'updated_at')).map((e) => e?.name)).toEqual([]);
  });

  it('[SC11] covers the FLOW stages with follow-ups and several categories with product questions', () => {
    expect(new Set(scenario.followUps.map((f) => f.stage))).toEqual(new Set(['frame', 'list', 'optimize', 'win']));
    expect(new Set(scenario.productQuestions.map((q) => q.category)).size).toBeGreaterThanOrEqual(4);
    expect(scenario.productQuestions.every((q) => q.referenceSql.trim().length > 0)).toBe(true);
  });
});
