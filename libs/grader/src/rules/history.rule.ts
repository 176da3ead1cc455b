import { auditParts, isIdempotencyField, isUpdatedAt, looksLikeAuditLog, looksLikeUsageEvents } from '../field-roles';
import type { GradeContext } from '../grade-context';
import { tenantColumnsOf } from '../grade-context';
import type { EntityFacts } from '../model-facts';
import { displayName } from '../name-normalizer';
import { isAuditLogConcept } from '../scenario-facts';
import { entityRef, entitySubject, fieldRef, fieldSubject } from './rule-subjects';
import { type SchemaRule, tables, type Violation } from './schema-rule';

/** Tables playing a role: by name, or matched to a concept the scenario gives that role. */
function tablesFor(ctx: GradeContext, byName: (entity: EntityFacts) => boolean, specKind: 'append-only' | 'idempotency-key'): EntityFacts[] {
  const concepts = new Set(ctx.scenario.specs.filter((spec) => spec.kind === specKind).map((spec) => ('concept' in spec ? spec.concept : '')));
  return tables(ctx).filter((entity) => byName(entity) || concepts.has(ctx.match.conceptOf.get(entity.entity.id)?.concept.id ?? ''));
}

/** An audit log: a table matched to a concept is one when the concept's role says so; an unmatched one, by its name. */
function isAuditLog(ctx: GradeContext, entity: EntityFacts): boolean {
  const concept = ctx.match.conceptOf.get(entity.entity.id);
  return concept ? isAuditLogConcept(concept) : looksLikeAuditLog(entity);
}

export const auditAppendOnlyRule: SchemaRule = {
  id: 'audit-append-only',
  title: 'Audit logs are append-only and complete',
  doc: 'An audit log records actor, action, target, changes and time; it and every other append-only history table are never updated (no updated_at).',
  stage: 'optimize',
  move: 'history',
  weight: 3,
  strikes: 2,
  keywords: [],
  evaluate(ctx) {
    const audits = tablesFor(ctx, (entity) => isAuditLog(ctx, entity), 'append-only');
    const violations: Violation[] = [];
    for (const entity of audits) {
      for (const field of entity.entity.fields.filter(isUpdatedAt)) {
        violations.push({
          subject: { ...fieldSubject(entity, field), description: '' },
          evidence: () => fieldRef(entity, field, 'audit entries must not change'),
          hint: () => `${displayName(entity.entity.name)} must be append-only: drop ${field.name}, and grant no UPDATE or DELETE on it.`,
        });
      }
      // Only an audit log must record all five parts; other append-only tables only must not change.
      const { missing } = isAuditLog(ctx, entity) ? auditParts(entity) : { missing: [] as string[] };
      if (missing.length) {
        violations.push({
          subject: entitySubject(entity),
          evidence: () => entityRef(entity, `no ${missing.join(', ')}`),
          hint: () => `${displayName(entity.entity.name)} cannot say who did what to which object: record the ${missing.join(', ')}.`,
        });
      }
    }
    return { applicable: audits.length, violations };
  },
};

export const usageIdempotencyRule: SchemaRule = {
  id: 'usage-idempotency',
  title: 'Usage events carry an idempotency key, unique per tenant',
  doc: 'Clients retry; a client-supplied idempotency key in a unique key with the tenant id makes a retry a no-op.',
  stage: 'list',
  move: 'idempotency',
  weight: 2,
  strikes: 1,
  keywords: ['exactly once', 'deduplicated upstream'],
  evaluate(ctx) {
    const usage = tablesFor(ctx, looksLikeUsageEvents, 'idempotency-key');
    const violations: Violation[] = [];
    for (const entity of usage) {
      const key = entity.entity.fields.find(isIdempotencyField);
      if (!key) {
        violations.push({
          subject: entitySubject(entity),
          evidence: () => entityRef(entity, 'no idempotency key'),
          hint: () => `A retried request counts ${entity.entity.name} twice: add idempotency_key, unique per tenant, and insert with ON CONFLICT DO NOTHING.`,
        });
        continue;
      }
      const tenantIds = ctx.tenant ? tenantColumnsOf(ctx, entity).map((f) => f.id) : [];
      const unique = entity.keys.filter((k) => k.unique && k.fieldIds.includes(key.id));
      const ok = unique.some((k) => tenantIds.length === 0 || k.fieldIds.some((id) => tenantIds.includes(id)));
      if (ok) continue;
      violations.push({
        subject: fieldSubject(entity, key),
        evidence: () => fieldRef(entity, key, unique.length ? 'unique, but not per tenant' : 'not unique'),
        hint: () => `${entity.entity.name}.${key.name} must be unique${tenantIds.length ? ' per tenant' : ''}: add a unique key (${tenantIds.length ? `${entity.field(tenantIds[0])?.name}, ` : ''}${key.name}).`,
      });
    }
    return { applicable: usage.length, violations };
  },
};
