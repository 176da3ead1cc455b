import type { Field } from '@hatch/model';
import type { CheckSpec, KeyRun } from './check-spec.types';
import { mean, type Outcome } from './check-result';
import { auditParts, isStatusField, isTransitionTimestamp, isUpdatedAt, validityRange } from './field-roles';
import { type GradeContext, reachesTenant, tenantColumnsOf } from './grade-context';
import type { Evidence } from './grade.types';
import { conceptLabel, entityEvidence, fieldEvidence, mappedField, missingEvidence } from './list-checks';
import type { EntityFacts } from './model-facts';
import { displayName } from './name-normalizer';

type SpecOf<K extends CheckSpec['kind']> = Extract<CheckSpec, { kind: K }>;

/**
 * An index serves a run of key fields when its leading columns are those fields in that order;
 * the same columns in another order, or only the first of them, earn half.
 */
function evaluateRun(ctx: GradeContext, run: KeyRun): { ratio: number; evidence: Evidence; hint: string } {
  const entity = ctx.match.entityOf.get(run.concept);
  const label = conceptLabel(ctx, run.concept);
  if (!entity) return { ratio: 0, evidence: missingEvidence(ctx, run.concept), hint: `${label} (not modeled yet) with an index on (${run.fields.join(', ')})` };
  const fields = run.fields.map((name) => mappedField(ctx, run.concept, name));
  const columns = run.fields.map((name, i) => fields[i]?.name ?? name).join(', ');
  const want = `an index on ${entity.entity.name} (${columns})`;
  if (fields.some((f) => !f)) {
    const missing = run.fields.filter((_, i) => !fields[i]);
    return { ratio: 0, evidence: { kind: 'entity', id: entity.entity.id, name: entity.entity.name, concept: run.concept, note: `no ${missing.join(', ')}` }, hint: `${missing.join(', ')} on ${entity.entity.name}, then ${want}` };
  }
  const ids = (fields as Field[]).map((f) => f.id);
  let best = 0;
  let bestKey = '';
  for (const key of entity.keys) {
    if (key.method !== 'btree' && !(key.method === 'hash' && ids.length === 1)) continue;
    const lead = key.fieldIds.slice(0, ids.length);
    let ratio = 0;
    if (lead.length === ids.length && lead.every((id, i) => id === ids[i])) ratio = 1;
    else if (lead.length === ids.length && lead.every((id) => ids.includes(id))) ratio = 0.5;
    else {
      let prefix = 0;
      while (prefix < key.fieldIds.length && prefix < ids.length && key.fieldIds[prefix] === ids[prefix]) prefix++;
      if (prefix > 0) ratio = (0.5 * prefix) / ids.length;
    }
    if (ratio > best) {
      best = ratio;
      bestKey = key.name;
    }
  }
  const evidence: Evidence = { kind: 'index', name: bestKey || `${entity.entity.name} (${columns})`, concept: run.concept, note: best >= 1 ? 'leads with the key fields' : best > 0 ? 'only partly' : 'no such index' };
  return { ratio: best, evidence, hint: best >= 1 ? '' : `${want}${best > 0 ? `, in that order (${bestKey} does not lead with them)` : ''}` };
}

export function evaluateAccessPattern(ctx: GradeContext, spec: SpecOf<'access-pattern'>): Outcome {
  const runs = spec.runs.map((run) => evaluateRun(ctx, run));
  const pattern = ctx.scenario.scenario.accessPatterns.find((p) => p.id === spec.pattern);
  const missing = runs.filter((run) => run.ratio < 1).map((run) => run.hint);
  const what = pattern ? `“${pattern.description.replace(/\.$/, '')}” needs ` : 'Add ';
  return { ratio: mean(runs.map((run) => run.ratio)), evidence: runs.map((run) => run.evidence), hint: missing.length ? `${what}${missing.join(' and ')}.` : '' };
}

export function evaluateTenantScoped(ctx: GradeContext, spec: SpecOf<'tenant-scoped'>): Outcome {
  const tenantConcept = ctx.scenario.tenant?.concept.concept.id;
  const tenantName = tenantConcept ? conceptLabel(ctx, tenantConcept) : 'tenants';
  const evidence: Evidence[] = [];
  const hints: string[] = [];
  const parts = spec.concepts.map((conceptId) => {
    const entity = ctx.match.entityOf.get(conceptId);
    if (!entity) {
      evidence.push(missingEvidence(ctx, conceptId));
      hints.push(`Model ${conceptLabel(ctx, conceptId)} with a tenant_id referencing ${tenantName}.`);
      return 0;
    }
    if (!ctx.tenant) {
      evidence.push(entityEvidence(entity, conceptId, `no ${tenantName} table`));
      hints.push(`There is no ${tenantName} table for ${entity.entity.name} to belong to: add it and a tenant_id on every tenant table.`);
      return 0;
    }
    const columns = tenantColumnsOf(ctx, entity);
    if (columns.length === 0) {
      evidence.push(entityEvidence(entity, conceptId, 'no tenant column'));
      hints.push(`${displayName(entity.entity.name)} can be read across tenants: add tenant_id with a foreign key to ${ctx.tenant.entity.entity.name}.`);
      return 0;
    }
    const reaching = columns.find((field) => reachesTenant(ctx.facts, entity, field, ctx.tenant as NonNullable<typeof ctx.tenant>));
    if (!reaching) {
      evidence.push(fieldEvidence(entity, columns[0], conceptId, 'no foreign key to the tenant'));
      hints.push(`${entity.entity.name}.${columns[0].name} is not enforced: add a foreign key to ${ctx.tenant.entity.entity.name}.`);
      return 0.5;
    }
    evidence.push(fieldEvidence(entity, reaching, conceptId, 'references the tenant'));
    return 1;
  });
  return { ratio: mean(parts), evidence, hint: hints[0] ?? '' };
}

export function evaluateUniqueKeysIncludeTenant(ctx: GradeContext, spec: SpecOf<'unique-keys-include-tenant'>): Outcome {
  const evidence: Evidence[] = [];
  const hints: string[] = [];
  const parts = spec.concepts.map((conceptId) => {
    const entity = ctx.match.entityOf.get(conceptId);
    if (!entity || !ctx.tenant) {
      evidence.push(missingEvidence(ctx, conceptId));
      return 0;
    }
    const tenantIds = tenantColumnsOf(ctx, entity).map((f) => f.id);
    const keys = entity.keys.filter((key) => key.unique && key.kind !== 'primary-key');
    if (keys.length === 0) return 1;
    const bad = keys.filter((key) => !key.fieldIds.some((id) => tenantIds.includes(id)));
    for (const key of bad) evidence.push({ kind: 'index', id: key.id, name: key.name, concept: conceptId, note: 'without the tenant id' });
    if (bad.length) hints.push(`${displayName(entity.entity.name)} can clash across tenants: lead the unique key ${bad[0].name} with tenant_id.`);
    return 1 - bad.length / keys.length;
  });
  return { ratio: mean(parts), evidence, hint: hints[0] ?? '' };
}

export function evaluateAppendOnly(ctx: GradeContext, spec: SpecOf<'append-only'>): Outcome {
  const entity = ctx.match.entityOf.get(spec.concept);
  if (!entity) {
    return { ratio: 0, evidence: [missingEvidence(ctx, spec.concept)], hint: `Add ${conceptLabel(ctx, spec.concept)}: an append-only log of who did what to which object, with the changes and the time.` };
  }
  const found = auditParts(entity).present;
  const present = spec.parts.filter((part) => found.includes(part));
  const missing = spec.parts.filter((part) => !found.includes(part));
  const mutable = entity.entity.fields.filter(isUpdatedAt);
  const evidence: Evidence[] = [entityEvidence(entity, spec.concept, `has ${present.join(', ') || 'none of the entry columns'}`)];
  for (const field of mutable) evidence.push(fieldEvidence(entity, field, spec.concept, 'rows are meant to change'));
  const ratio = 0.5 * (spec.parts.length === 0 ? 1 : present.length / spec.parts.length) + (mutable.length === 0 ? 0.5 : 0);
  const hints: string[] = [];
  if (mutable.length) hints.push(`${displayName(entity.entity.name)} must be append-only: drop ${mutable[0].name} and grant no UPDATE or DELETE`);
  if (missing.length) hints.push(`${mutable.length ? 'and record' : `${displayName(entity.entity.name)} should record`} the ${missing.join(', ')}`);
  return { ratio, evidence, hint: hints.length ? `${hints.join(', ')}.` : '' };
}

export function evaluateValidityRange(ctx: GradeContext, spec: SpecOf<'validity-range'>): Outcome {
  const entity = ctx.match.entityOf.get(spec.concept);
  if (!entity) return { ratio: 0, evidence: [missingEvidence(ctx, spec.concept)], hint: `Model ${conceptLabel(ctx, spec.concept)} with valid_from and valid_to, so changes keep their history.` };
  const concept = ctx.scenario.conceptById.get(spec.concept);
  const reference = concept ? validityRange(concept.entity, true) : null;
  const mappedFrom = reference ? mappedField(ctx, spec.concept, reference.from.name) : undefined;
  const mappedTo = reference?.to ? mappedField(ctx, spec.concept, reference.to.name) : undefined;
  const found = validityRange(entity) ?? (mappedFrom ? { from: mappedFrom, to: mappedTo ?? null } : null);
  if (!found) {
    return { ratio: 0, evidence: [entityEvidence(entity, spec.concept, 'no validity range')], hint: `A change to ${entity.entity.name} overwrites the past: add valid_from and valid_to and close the old row instead of updating it.` };
  }
  const evidence = [fieldEvidence(entity, found.from, spec.concept, 'valid from'), ...(found.to && found.to !== found.from ? [fieldEvidence(entity, found.to, spec.concept, 'valid to')] : [])];
  if (!found.to) return { ratio: 0.5, evidence, hint: `${entity.entity.name} has ${found.from.name} but no end: add the matching _to column so history is a range.` };
  return { ratio: 1, evidence, hint: '' };
}

export function evaluateStateHistory(ctx: GradeContext, spec: SpecOf<'state-history'>): Outcome {
  const entity = ctx.match.entityOf.get(spec.concept);
  if (!entity) return { ratio: 0, evidence: [missingEvidence(ctx, spec.concept)], hint: `Model ${conceptLabel(ctx, spec.concept)} with its ${spec.field} and when each transition happened.` };
  const history = historyTable(ctx, entity);
  if (history) return { ratio: 1, evidence: [entityEvidence(history, undefined, `history of ${entity.entity.name}`)], hint: '' };
  const status = mappedField(ctx, spec.concept, spec.field) ?? entity.entity.fields.find(isStatusField);
  const concept = ctx.scenario.conceptById.get(spec.concept);
  const referenceTransitions = concept ? concept.entity.entity.fields.filter(isTransitionTimestamp).map((f) => mappedField(ctx, spec.concept, f.name)) : [];
  const transitions = new Set<Field>([...entity.entity.fields.filter((f) => isTransitionTimestamp(f) && f !== status), ...referenceTransitions.filter((f): f is Field => !!f)]);
  const evidence: Evidence[] = [];
  if (status) evidence.push(fieldEvidence(entity, status, spec.concept, 'current state'));
  for (const field of transitions) evidence.push(fieldEvidence(entity, field, spec.concept, 'transition time'));
  const ratio = (status ? 0.5 : 0) + (transitions.size > 0 ? 0.5 : 0);
  const hint =
    ratio >= 1
      ? ''
      : !status
        ? `${displayName(entity.entity.name)} have no ${spec.field}: add it, with a timestamp per transition (e.g. paid_at) or a status history table.`
        : `Only the current ${status.name} of ${entity.entity.name} is kept: add a timestamp per transition or a ${entity.key}_status_history table.`;
  return { ratio, evidence, hint };
}

/** A table that records an entity's changes: a foreign key to it and a history-like name. */
function historyTable(ctx: GradeContext, entity: EntityFacts): EntityFacts | null {
  for (const key of entity.incoming) {
    const holder = ctx.facts.byId.get(key.entityId);
    if (!holder || holder === entity) continue;
    if (holder.tokens.some((token) => ['history', 'transition', 'change', 'version', 'revision'].includes(token))) return holder;
  }
  return null;
}
