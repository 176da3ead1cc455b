import { isGloballyUniqueValue } from '../field-roles';
import { reachesTenant, tenantColumnsOf } from '../grade-context';
import { displayName } from '../name-normalizer';
import { columnNames, fieldRef, fieldSubject, keyRef, keySubject } from './rule-subjects';
import { type SchemaRule, tables, type Violation } from './schema-rule';

export const tenantFkRule: SchemaRule = {
  id: 'tenant-fk',
  title: 'Tenant tables reach the tenant by foreign key',
  doc: 'Every tenant column references the tenant table, directly or through a composite key into a tenant-scoped parent.',
  stage: 'optimize',
  move: 'tenant-boundaries',
  weight: 3,
  strikes: 2,
  keywords: ['row-level security only', 'enforced by the application'],
  evaluate(ctx) {
    const tenant = ctx.tenant;
    if (!tenant) return { applicable: 0, violations: [] };
    let applicable = 0;
    const violations: Violation[] = [];
    for (const entity of tables(ctx)) {
      if (entity === tenant.entity) continue;
      for (const field of tenantColumnsOf(ctx, entity)) {
        applicable++;
        if (reachesTenant(ctx.facts, entity, field, tenant)) continue;
        violations.push({
          subject: fieldSubject(entity, field),
          evidence: () => fieldRef(entity, field, `no foreign key to ${tenant.entity.entity.name}`),
          hint: () => `${displayName(entity.entity.name)} can point at a tenant that does not exist: ${field.name} needs a foreign key to ${tenant.entity.entity.name}.`,
        });
      }
    }
    return { applicable, violations };
  },
};

export const tenantUniqueKeysRule: SchemaRule = {
  id: 'tenant-unique-keys',
  title: 'Unique keys of tenant tables include the tenant id',
  doc: 'In a tenant table, a unique key without the tenant id makes one tenant’s values collide with another’s (and leaks their existence).',
  stage: 'optimize',
  move: 'tenant-boundaries',
  weight: 3,
  strikes: 2,
  keywords: ['globally unique', 'unique across tenants', 'across all tenants'],
  evaluate(ctx) {
    const tenant = ctx.tenant;
    if (!tenant) return { applicable: 0, violations: [] };
    let applicable = 0;
    const violations: Violation[] = [];
    for (const entity of tables(ctx)) {
      if (entity === tenant.entity) continue;
      const tenantIds = tenantColumnsOf(ctx, entity).map((field) => field.id);
      if (tenantIds.length === 0) continue;
      for (const key of entity.keys) {
        if (!key.unique || key.kind === 'primary-key' || key.fieldIds.length === 0) continue;
        // Secrets' hashes, tokens and provider ids are unique across tenants by nature.
        if (key.fieldIds.some((id) => { const f = entity.field(id); return !!f && isGloballyUniqueValue(f); })) continue;
        applicable++;
        if (key.fieldIds.some((id) => tenantIds.includes(id))) continue;
        const tenantColumn = entity.field(tenantIds[0])?.name ?? 'tenant_id';
        violations.push({
          subject: keySubject(entity, key, key.fieldIds),
          evidence: () => keyRef(entity, key, 'without the tenant id'),
          hint: () => `${displayName(entity.entity.name)} can clash across tenants: lead the unique key (${columnNames(entity, key.fieldIds)}) with ${tenantColumn}.`,
        });
      }
    }
    return { applicable, violations };
  },
};
