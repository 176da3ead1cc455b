import { canonicalType } from '../column-types';
import type { GradeContext } from '../grade-context';
import type { EntityFacts, ForeignKeyFact } from '../model-facts';
import { nameKey, nameTokens, splitWords } from '../name-normalizer';
import { columnNames, fieldRef, fieldSubject, foreignKeySubject } from './rule-subjects';
import { type SchemaRule, tables, type Violation } from './schema-rule';

/** The table a `*_id` column names: `plan_id` → plans, `subscription_item_id` → subscription_items, a tenant column → the tenant. */
const prefixCache = new Map<string, string | null>();

/** `plan_id` → `plan`, `subscriptionItemId` → `subscription_item`; null when the name does not end in id. */
function idPrefix(fieldName: string): string | null {
  let prefix = prefixCache.get(fieldName);
  if (prefix === undefined) {
    const words = splitWords(fieldName);
    prefix = words.length < 2 || words[words.length - 1] !== 'id' ? null : words.slice(0, -1).map((w) => nameTokens(w)[0] ?? w).join('_');
    if (prefixCache.size < 50_000) prefixCache.set(fieldName, prefix);
  }
  return prefix;
}

function namedTarget(ctx: GradeContext, byKey: Map<string, EntityFacts>, fieldName: string): EntityFacts | undefined {
  const key = idPrefix(fieldName);
  if (key === null) return undefined;
  const direct = byKey.get(key);
  if (direct) return direct;
  if (ctx.tenant && ctx.tenant.keyNames.has(nameKey(fieldName))) return ctx.tenant.entity;
  return undefined;
}

export const fkDeclaredRule: SchemaRule = {
  id: 'fk-declared',
  title: '*_id columns declare their foreign key',
  doc: 'A column named after a table (plan_id → plans) declares the foreign key, so the database keeps the link valid.',
  stage: 'list',
  move: 'relationships',
  weight: 3,
  strikes: 2,
  keywords: ['no foreign key', 'without a foreign key', 'without foreign key', 'no fk', 'snapshot', 'soft reference', 'polymorphic'],
  evaluate(ctx) {
    const byKey = new Map<string, EntityFacts>();
    for (const entity of ctx.facts.entities) if (!byKey.has(entity.key)) byKey.set(entity.key, entity);
    let applicable = 0;
    const violations: Violation[] = [];
    for (const entity of tables(ctx)) {
      for (const field of entity.entity.fields) {
        const target = namedTarget(ctx, byKey, field.name);
        if (!target || (target === entity && field.primaryKey)) continue;
        applicable++;
        if (entity.outgoing.some((key) => key.fieldIds.includes(field.id))) continue;
        const targetKey = target.primaryKey.length === 1 ? target.field(target.primaryKey[0])?.name : undefined;
        violations.push({
          subject: fieldSubject(entity, field),
          evidence: () => fieldRef(entity, field, `names ${target.entity.name} but has no foreign key`),
          hint: () => `${entity.entity.name}.${field.name} names ${target.entity.name} but nothing enforces it: add REFERENCES ${target.entity.name}(${targetKey ?? 'id'}).`,
        });
      }
    }
    return { applicable, violations };
  },
};

const fkLabel = (ctx: GradeContext, key: ForeignKeyFact) => {
  const holder = ctx.facts.byId.get(key.entityId);
  const target = ctx.facts.byId.get(key.targetEntityId);
  return `${holder?.entity.name}(${holder ? columnNames(holder, key.fieldIds) : ''}) → ${target?.entity.name}(${target ? columnNames(target, key.targetFieldIds) : ''})`;
};

export const fkValidRule: SchemaRule = {
  id: 'fk-valid',
  title: 'Foreign keys point at a key of an existing table, with the same types',
  doc: 'A foreign key targets an existing table’s primary or unique key, and each column has the type of the column it references.',
  stage: 'list',
  move: 'relationships',
  weight: 2,
  strikes: 2,
  keywords: [],
  evaluate(ctx) {
    const violations: Violation[] = [];
    for (const broken of ctx.facts.broken) {
      const entity = ctx.facts.byId.get(broken.entityId);
      const field = entity?.field(broken.fieldIds[0] ?? '');
      violations.push({
        subject: { entity: entity?.entity.name, element: field?.name },
        evidence: () => ({ kind: field ? 'field' : 'constraint', id: broken.id, name: broken.name, note: broken.reason }),
        hint: () => `${broken.name} ${broken.reason}: point it at an existing table's key, or drop it.`,
      });
    }
    for (const key of ctx.facts.foreignKeys) {
      const holder = ctx.facts.byId.get(key.entityId) as EntityFacts;
      const target = ctx.facts.byId.get(key.targetEntityId) as EntityFacts;
      const label = () => fkLabel(ctx, key);
      const targetIsKey = target.keys.some((k) => k.unique && k.where === '' && k.fieldIds.length === key.targetFieldIds.length && k.fieldIds.every((id) => key.targetFieldIds.includes(id)));
      if (!targetIsKey) {
        violations.push({
          subject: () => foreignKeySubject(holder, key.fieldIds),
          evidence: () => ({ kind: 'constraint', id: key.id, name: label(), note: 'target is not a primary or unique key' }),
          hint: () => `${label()} must reference a primary or unique key: make ${target.entity.name}(${columnNames(target, key.targetFieldIds)}) unique or reference the primary key.`,
        });
      }
      key.fieldIds.forEach((fieldId, i) => {
        const from = holder.field(fieldId);
        const to = target.field(key.targetFieldIds[i]);
        if (!from || !to || canonicalType(from.type) === canonicalType(to.type)) return;
        violations.push({
          subject: fieldSubject(holder, from),
          evidence: () => fieldRef(holder, from, `${from.type} references ${target.entity.name}.${to.name} ${to.type}`),
          hint: () => `${holder.entity.name}.${from.name} is ${from.type} but references ${target.entity.name}.${to.name} (${to.type}): use the same type.`,
        });
      });
    }
    return { applicable: ctx.facts.foreignKeys.length + ctx.facts.broken.length, violations };
  },
};

export const onDeleteRule: SchemaRule = {
  id: 'on-delete-explicit',
  title: 'Foreign keys say what happens on delete',
  doc: 'Each foreign key states ON DELETE (restrict, cascade, set null, …) instead of leaving it implicit.',
  stage: 'list',
  move: 'relationships',
  weight: 1,
  strikes: 3,
  keywords: ['on delete'],
  evaluate(ctx) {
    const violations: Violation[] = [];
    for (const key of ctx.facts.foreignKeys) {
      if (key.onDelete !== null) continue;
      const holder = ctx.facts.byId.get(key.entityId) as EntityFacts;
      const target = ctx.facts.byId.get(key.targetEntityId) as EntityFacts;
      violations.push({
        subject: () => foreignKeySubject(holder, key.fieldIds),
        evidence: () => ({ kind: key.source === 'relationship' ? 'relationship' : 'constraint', id: key.id, name: fkLabel(ctx, key), note: 'no on-delete action' }),
        hint: () => `Say what happens to ${holder.entity.name} when their ${target.entity.name} row is deleted: ON DELETE RESTRICT, CASCADE or SET NULL.`,
      });
    }
    return { applicable: ctx.facts.foreignKeys.length, violations };
  },
};
