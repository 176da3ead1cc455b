import type { Field, Model } from '@hatch/model';
import type { ConceptMatch } from './concept-matcher';
import type { JustificationIndex } from './justification';
import { type EntityFacts, hopsFrom, type ModelFacts } from './model-facts';
import { nameKey } from './name-normalizer';
import type { ScenarioFacts } from './scenario-facts';

/** Everything one grade run shares between the checks. */
export interface GradeContext {
  model: Model;
  facts: ModelFacts;
  scenario: ScenarioFacts;
  match: ConceptMatch;
  tenant: CandidateTenant | null;
  justification: JustificationIndex;
  maxJoinHops: number;
  /** Per-grade caches of repeated lookups. */
  memo: GradeMemo;
}

export interface GradeMemo {
  hops: Map<string, Int8Array>;
  tenantColumns: Map<EntityFacts, Field[]>;
  tables?: EntityFacts[];
  referrers: Map<EntityFacts, Set<string>>;
}

export const newMemo = (): GradeMemo => ({ hops: new Map(), tenantColumns: new Map(), referrers: new Map() });

/** Entities of kind table (not views), computed once per grade. */
export function tablesOf(ctx: GradeContext): EntityFacts[] {
  ctx.memo.tables ??= ctx.facts.entities.filter((entity) => entity.entity.kind === 'table');
  return ctx.memo.tables;
}

/** Ids of the entities holding a foreign key to this one. */
export function referrersOf(ctx: GradeContext, entity: EntityFacts): Set<string> {
  let referrers = ctx.memo.referrers.get(entity);
  if (!referrers) {
    referrers = new Set(entity.incoming.map((key) => key.entityId));
    ctx.memo.referrers.set(entity, referrers);
  }
  return referrers;
}

/** Hop counts from an entity (by position) over the join graph, computed once per grade. */
export function hopsFromCached(ctx: GradeContext, start: EntityFacts, maxHops: number): Int8Array {
  const key = `${maxHops}:${start.position}`;
  let distances = ctx.memo.hops.get(key);
  if (!distances) {
    distances = hopsFrom(ctx.facts, start.position, maxHops);
    ctx.memo.hops.set(key, distances);
  }
  return distances;
}

/** `tenantColumns` for the grade's tenant, computed once per entity. */
export function tenantColumnsOf(ctx: GradeContext, entity: EntityFacts): Field[] {
  if (!ctx.tenant) return [];
  let columns = ctx.memo.tenantColumns.get(entity);
  if (!columns) {
    columns = tenantColumns(entity, ctx.tenant);
    ctx.memo.tenantColumns.set(entity, columns);
  }
  return columns;
}

/** The candidate's tenant entity and the names its tenant column goes by. */
export interface CandidateTenant {
  entity: EntityFacts;
  keyNames: Set<string>;
}

const TENANT_NAMES = ['tenant', 'account', 'organization', 'organisation', 'org', 'workspace', 'company', 'team', 'customer'];

/**
 * The tenant entity: the one matched to the scenario's tenant concept; without one (a scenario
 * with another tenancy strategy), a tenant-like table name that at least two tables point at.
 */
export function findCandidateTenant(facts: ModelFacts, scenario: ScenarioFacts, match: ConceptMatch): CandidateTenant | null {
  const keyNames = new Set<string>(['tenant_id']);
  if (scenario.tenant) {
    const entity = match.entityOf.get(scenario.tenant.concept.concept.id);
    if (!entity) return null;
    for (const name of scenario.tenant.keyNames) keyNames.add(name);
    keyNames.add(`${entity.key}_id`);
    return { entity, keyNames };
  }
  if (scenario.scenario.tenancy.strategy !== 'shared-schema') return null;
  let best: EntityFacts | null = null;
  let bestReferrers = 1;
  for (const entity of facts.entities) {
    if (!TENANT_NAMES.includes(entity.key)) continue;
    const referrers = new Set(entity.incoming.map((key) => key.entityId)).size;
    if (referrers > bestReferrers) {
      best = entity;
      bestReferrers = referrers;
    }
  }
  if (!best) return null;
  keyNames.add(`${best.key}_id`);
  return { entity: best, keyNames };
}

/** Columns of an entity that hold the tenant id: a foreign key to the tenant, or a tenant column name. */
export function tenantColumns(entity: EntityFacts, tenant: CandidateTenant): Field[] {
  const out: Field[] = [];
  for (const key of entity.outgoing) {
    if (key.targetEntityId !== tenant.entity.entity.id) continue;
    key.fieldIds.forEach((id, i) => {
      if (!tenant.entity.primaryKey.includes(key.targetFieldIds[i]) && key.fieldIds.length > 1) return;
      const field = entity.field(id);
      if (field && !out.includes(field)) out.push(field);
    });
  }
  for (const field of entity.entity.fields) {
    if (!out.includes(field) && tenant.keyNames.has(nameKey(field.name))) out.push(field);
  }
  return out;
}

/**
 * Whether a tenant column reaches the tenant through foreign keys: directly, or as part of a
 * composite key into a parent whose own tenant column does (`(tenant_id, invoice_id)` → invoices).
 */
export function reachesTenant(facts: ModelFacts, entity: EntityFacts, field: Field, tenant: CandidateTenant, depth = 0): boolean {
  if (depth > 4) return false;
  for (const key of entity.outgoing) {
    const i = key.fieldIds.indexOf(field.id);
    if (i < 0) continue;
    if (key.targetEntityId === tenant.entity.entity.id) return true;
    const parent = facts.byId.get(key.targetEntityId);
    const parentField = parent?.field(key.targetFieldIds[i]);
    if (parent && parentField && parent !== entity && reachesTenant(facts, parent, parentField, tenant, depth + 1)) return true;
  }
  return false;
}

/** Whether an entity is tenant data: it holds a tenant column (and is not the tenant itself). */
export function isTenantScoped(entity: EntityFacts, tenant: CandidateTenant): boolean {
  return entity !== tenant.entity && tenantColumns(entity, tenant).length > 0;
}
