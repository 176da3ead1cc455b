import type { Field, TrackingEvent } from '@hatch/model';
import type { CheckSpec, ExpectedConstraint } from './check-spec.types';
import { mean, type Outcome } from './check-result';
import { isExactNumericType, isFloatType } from './column-types';
import { eventConcept, eventParts } from './concept-matcher';
import { isMoneyField } from './field-roles';
import { type GradeContext, referrersOf, tenantColumnsOf } from './grade-context';
import type { Evidence } from './grade.types';
import { type EntityFacts, isUniqueOver } from './model-facts';
import { displayName, nameKey } from './name-normalizer';
import { type ConceptFacts, currencyNearby } from './scenario-facts';

type SpecOf<K extends CheckSpec['kind']> = Extract<CheckSpec, { kind: K }>;

export const conceptLabel = (ctx: GradeContext, conceptId: string) => ctx.scenario.conceptById.get(conceptId)?.entity.entity.name ?? conceptId;

export function entityEvidence(entity: EntityFacts, concept?: string, note?: string): Evidence {
  return { kind: 'entity', id: entity.entity.id, name: entity.entity.name, ...(concept ? { concept } : {}), ...(note ? { note } : {}) };
}

export function fieldEvidence(entity: EntityFacts, field: Field, concept?: string, note?: string): Evidence {
  return { kind: 'field', id: field.id, name: `${entity.entity.name}.${field.name}`, ...(concept ? { concept } : {}), ...(note ? { note } : {}) };
}

export const missingEvidence = (ctx: GradeContext, conceptId: string): Evidence => ({ kind: 'entity', name: conceptLabel(ctx, conceptId), concept: conceptId, note: 'not modeled' });

/** The candidate field matched to a reference field of a concept. */
export const mappedField = (ctx: GradeContext, conceptId: string, referenceName: string): Field | undefined => ctx.match.fieldOf.get(conceptId)?.get(referenceName);

function suggestedNames(concept: ConceptFacts): string {
  const names = [concept.entity.entity.name, ...concept.concept.aliases.filter((alias) => /s$/.test(alias)).slice(0, 2)];
  return names.join(', ');
}

export function evaluateConcept(ctx: GradeContext, spec: SpecOf<'concept'>): Outcome {
  const concept = ctx.scenario.conceptById.get(spec.concept) as ConceptFacts;
  const entity = ctx.match.entityOf.get(spec.concept);
  if (!entity) {
    const what = concept.concept.description ? ` — ${concept.concept.description.replace(/\.$/, '').toLowerCase()}` : '';
    return {
      ratio: 0,
      evidence: [missingEvidence(ctx, spec.concept)],
      hint: `Nothing models ${concept.entity.entity.name} yet${what}: add a table (${suggestedNames(concept)}).`,
    };
  }
  const match = ctx.match.entities.find((m) => m.entityId === entity.entity.id);
  return { ratio: 1, evidence: [entityEvidence(entity, spec.concept, match ? `matched by ${match.why} (${match.confidence})` : undefined)], hint: '' };
}

export function evaluateRequiredConcepts(ctx: GradeContext, spec: SpecOf<'required-concepts'>): Outcome {
  const missing = spec.concepts.filter((id) => !ctx.match.entityOf.has(id));
  const evidence = spec.concepts.map((id) => {
    const entity = ctx.match.entityOf.get(id);
    return entity ? entityEvidence(entity, id) : missingEvidence(ctx, id);
  });
  return {
    ratio: spec.concepts.length === 0 ? 1 : 1 - missing.length / spec.concepts.length,
    evidence,
    hint: missing.length ? `Model ${missing.map((id) => conceptLabel(ctx, id)).join(', ')}.` : '',
  };
}

export function evaluateRequiredFields(ctx: GradeContext, spec: SpecOf<'required-fields'>): Outcome {
  const entity = ctx.match.entityOf.get(spec.concept);
  if (!entity) return { ratio: 0, evidence: [missingEvidence(ctx, spec.concept)], hint: `Model ${conceptLabel(ctx, spec.concept)} with ${spec.fields.join(', ')}.` };
  const evidence: Evidence[] = [];
  const missing: string[] = [];
  for (const name of spec.fields) {
    const field = mappedField(ctx, spec.concept, name);
    if (field) evidence.push(fieldEvidence(entity, field, spec.concept, `is ${name}`));
    else {
      missing.push(name);
      evidence.push({ kind: 'field', name: `${entity.entity.name}.${name}`, concept: spec.concept, note: 'missing' });
    }
  }
  return {
    ratio: 1 - missing.length / spec.fields.length,
    evidence,
    hint: missing.length ? `${displayName(entity.entity.name)} ${missing.length === 1 ? 'lacks' : 'lack'} ${missing.join(', ')}: add ${missing.length === 1 ? 'it' : 'them'}.` : '',
  };
}

export function evaluateRelationship(ctx: GradeContext, spec: SpecOf<'relationship'>): Outcome {
  const from = ctx.match.entityOf.get(spec.from);
  const to = ctx.match.entityOf.get(spec.to);
  const fromName = conceptLabel(ctx, spec.from);
  const toName = conceptLabel(ctx, spec.to);
  if (!from || !to) {
    const evidence = [from ? entityEvidence(from, spec.from) : missingEvidence(ctx, spec.from), to ? entityEvidence(to, spec.to) : missingEvidence(ctx, spec.to)];
    return { ratio: 0, evidence, hint: `Model ${!from ? fromName : toName} and relate ${fromName} to ${toName} (${spec.cardinality}).` };
  }
  const found = relationshipBetween(ctx, from, to);
  const evidence: Evidence[] = found.map((r) => ({ kind: 'relationship', id: r.id, name: r.name, concept: `${spec.from}.${spec.to}`, note: r.cardinality }));
  if (found.some((r) => r.cardinality === spec.cardinality)) return { ratio: 1, evidence, hint: '' };
  if (found.length > 0) {
    return {
      ratio: 0.5,
      evidence,
      hint: `${displayName(from.entity.name)} and ${to.entity.name} are related as ${found[0].cardinality}, but the scenario needs ${spec.cardinality}${spec.cardinality === 'N:M' ? ' (a join table)' : ` (a foreign key on ${to.entity.name})`}.`,
    };
  }
  const fix =
    spec.cardinality === 'N:M'
      ? `add a join table with foreign keys to both`
      : `add ${nameKey(from.entity.name)}_id to ${to.entity.name} with a foreign key to ${from.entity.name}`;
  return { ratio: 0, evidence: [entityEvidence(from, spec.from), entityEvidence(to, spec.to)], hint: `${displayName(to.entity.name)} are not linked to ${from.entity.name}: ${fix}.` };
}

interface FoundRelationship {
  id: string;
  name: string;
  cardinality: '1:1' | '1:N' | 'N:1' | 'N:M';
}

/** How two entities are related: foreign keys either way, drawn relationships, or a join entity with keys to both. */
function relationshipBetween(ctx: GradeContext, from: EntityFacts, to: EntityFacts): FoundRelationship[] {
  const out: FoundRelationship[] = [];
  for (const key of to.outgoing) {
    if (key.targetEntityId !== from.entity.id) continue;
    out.push({ id: key.id, name: `${to.entity.name}(${names(to, key.fieldIds)}) → ${from.entity.name}`, cardinality: isUniqueOver(to, key.fieldIds) ? '1:1' : '1:N' });
  }
  for (const key of from.outgoing) {
    if (key.targetEntityId !== to.entity.id) continue;
    out.push({ id: key.id, name: `${from.entity.name}(${names(from, key.fieldIds)}) → ${to.entity.name}`, cardinality: isUniqueOver(from, key.fieldIds) ? '1:1' : 'N:1' });
  }
  for (const relationship of ctx.model.relationships) {
    const forward = relationship.fromEntityId === from.entity.id && relationship.toEntityId === to.entity.id;
    const backward = relationship.fromEntityId === to.entity.id && relationship.toEntityId === from.entity.id;
    if (!forward && !backward) continue;
    if (out.some((r) => r.id === relationship.id)) continue;
    const cardinality = relationship.cardinality === '1:N' && backward ? 'N:1' : relationship.cardinality;
    out.push({ id: relationship.id, name: relationship.name || `${from.entity.name} – ${to.entity.name}`, cardinality });
  }
  // A join entity holding keys to both sides is N:M.
  const fromReferrers = referrersOf(ctx, from);
  for (const key of to.incoming) {
    const join = ctx.facts.byId.get(key.entityId);
    if (!join || join === from || join === to || !fromReferrers.has(join.entity.id)) continue;
    if (!out.some((r) => r.id === join.entity.id)) out.push({ id: join.entity.id, name: `${from.entity.name} ↔ ${to.entity.name} through ${join.entity.name}`, cardinality: 'N:M' });
  }
  return out;
}

const names = (entity: EntityFacts, ids: readonly string[]) => ids.map((id) => entity.field(id)?.name ?? id).join(', ');

export function evaluateConstraints(ctx: GradeContext, spec: SpecOf<'constraints'>): Outcome {
  const parts = spec.expected.map((expected) => evaluateExpectedConstraint(ctx, expected));
  const ratio = mean(parts.map((p) => p.ratio));
  const worst = parts.find((p) => p.ratio < 1);
  return { ratio, evidence: parts.flatMap((p) => p.evidence), hint: worst?.hint ?? '' };
}

function evaluateExpectedConstraint(ctx: GradeContext, expected: ExpectedConstraint): Outcome {
  const entity = ctx.match.entityOf.get(expected.concept);
  const hintFor = (what: string) => `Enforce it in the database: ${what}.`;
  if (!entity) return { ratio: 0, evidence: [missingEvidence(ctx, expected.concept)], hint: hintFor(expected.label) };
  const fields = expected.fields.map((name) => mappedField(ctx, expected.concept, name));
  const known = fields.filter((f): f is Field => !!f);
  const ids = known.map((f) => f.id);
  const label = `${expected.kind.replace('_', ' ')} (${expected.fields.map((name, i) => fields[i]?.name ?? name).join(', ')}) on ${entity.entity.name}`;
  const note = (text: string): Evidence => ({ kind: 'constraint', name: label, concept: expected.concept, note: text });
  if (known.length === 0) return { ratio: 0, evidence: [note('its columns are missing')], hint: `Add ${expected.fields.join(', ')} to ${entity.entity.name} and ${hintFor(label)}` };
  const allMapped = known.length === expected.fields.length;
  switch (expected.kind) {
    case 'unique': {
      const keys = entity.keys.filter((key) => key.unique && key.fieldIds.length > 0 && key.fieldIds.every((id) => ids.includes(id)));
      const exclusion = entity.entity.constraints.some((c) => c.kind === 'exclusion' && c.fieldIds.some((id) => ids.includes(id)));
      if (allMapped && keys.some((key) => !expected.partial || key.where !== '')) return { ratio: 1, evidence: keys.map((key) => ({ kind: 'index' as const, id: key.id, name: key.name, concept: expected.concept })), hint: '' };
      if (allMapped && (keys.length > 0 || (expected.partial && exclusion))) {
        return { ratio: 0.5, evidence: [note('unique, but not only for the rows the rule is about')], hint: hintFor(`a partial unique index (${expected.label})`) };
      }
      return { ratio: 0, evidence: [note('no unique key')], hint: hintFor(`a unique key (${known.map((f) => f.name).join(', ')}${allMapped ? '' : ', …'}) on ${entity.entity.name}`) };
    }
    case 'check': {
      let best = 0;
      for (const constraint of entity.entity.constraints) {
        if (constraint.kind !== 'check') continue;
        const expression = constraint.expression.toLowerCase();
        const covered = known.filter((f) => constraint.fieldIds.includes(f.id) || new RegExp(`\\b${f.name.toLowerCase()}\\b`).test(expression)).length;
        best = Math.max(best, covered / expected.fields.length);
      }
      const ratio = best >= 0.5 ? 1 : best > 0 ? 0.5 : 0;
      return { ratio, evidence: [note(ratio === 1 ? 'checked' : 'no CHECK covers it')], hint: ratio < 1 ? hintFor(`a CHECK on ${entity.entity.name} over ${known.map((f) => f.name).join(', ')}`) : '' };
    }
    case 'exclusion': {
      const exclusion = entity.entity.constraints.some((c) => c.kind === 'exclusion' && (c.fieldIds.some((id) => ids.includes(id)) || known.some((f) => c.expression.toLowerCase().includes(f.name.toLowerCase()))));
      if (exclusion) return { ratio: 1, evidence: [note('excluded')], hint: '' };
      const partialUnique = entity.keys.some((key) => key.unique && key.where !== '' && key.fieldIds.some((id) => ids.includes(id)));
      return {
        ratio: partialUnique ? 0.5 : 0,
        evidence: [note('no exclusion constraint')],
        hint: hintFor(`an exclusion constraint on ${entity.entity.name} so ranges over (${known.map((f) => f.name).join(', ')}) never overlap`),
      };
    }
    case 'foreign_key': {
      const target = expected.targetConcept ? ctx.match.entityOf.get(expected.targetConcept) : undefined;
      if (!target) return { ratio: 0, evidence: [note('the referenced table is missing')], hint: hintFor(expected.label) };
      const keys = entity.outgoing.filter((key) => key.targetEntityId === target.entity.id);
      if (allMapped && keys.some((key) => ids.every((id) => key.fieldIds.includes(id)))) return { ratio: 1, evidence: [note('declared')], hint: '' };
      if (keys.length > 0) {
        const tenantFirst = ctx.tenant && ids.length > 1 ? ` (${known.map((f) => f.name).join(', ')}) → ${target.entity.name}` : '';
        return { ratio: 0.5, evidence: [note('a narrower foreign key')], hint: `A row of ${entity.entity.name} can point at another tenant's ${target.entity.name}: make the foreign key composite${tenantFirst}.` };
      }
      return { ratio: 0, evidence: [note('no foreign key')], hint: hintFor(`a foreign key ${entity.entity.name}(${known.map((f) => f.name).join(', ')}) → ${target.entity.name}`) };
    }
  }
}

export function evaluateIdempotency(ctx: GradeContext, spec: SpecOf<'idempotency-key'>): Outcome {
  const entity = ctx.match.entityOf.get(spec.concept);
  const label = conceptLabel(ctx, spec.concept);
  if (!entity) return { ratio: 0, evidence: [missingEvidence(ctx, spec.concept)], hint: `Model ${label} with an idempotency key so retries are counted once.` };
  const field = mappedField(ctx, spec.concept, spec.field) ?? entity.entity.fields.find((f) => /(idempoten|dedup)/i.test(f.name));
  const scoped = ctx.scenario.tenant?.scoped.has(spec.concept) ?? false;
  const tenantIds = ctx.tenant && scoped ? tenantColumnsOf(ctx, entity).map((f) => f.id) : [];
  if (!field) {
    return {
      ratio: 0,
      evidence: [entityEvidence(entity, spec.concept, 'no idempotency key')],
      hint: `A retried request double-counts ${entity.entity.name}: add ${spec.field}${scoped ? ` with a unique key (${tenantIds.length ? 'tenant_id, ' : ''}${spec.field})` : ' with a unique key'}.`,
    };
  }
  const keys = entity.keys.filter((key) => key.unique && key.fieldIds.includes(field.id));
  const perTenant = keys.some((key) => !scoped || key.fieldIds.some((id) => tenantIds.includes(id)));
  const evidence = [fieldEvidence(entity, field, spec.concept, keys.length ? (perTenant ? 'unique per tenant' : 'unique, but not per tenant') : 'not unique')];
  if (keys.length === 0) {
    return { ratio: 0.4, evidence, hint: `${entity.entity.name}.${field.name} does not stop a retry: make (${scoped ? 'tenant_id, ' : ''}${field.name}) unique and insert with ON CONFLICT DO NOTHING.` };
  }
  if (!perTenant) return { ratio: 0.7, evidence, hint: `Scope ${entity.entity.name}.${field.name} to the tenant: unique (tenant_id, ${field.name}), so two tenants' keys never collide.` };
  return { ratio: 1, evidence, hint: '' };
}

export function evaluateMoney(ctx: GradeContext, spec: SpecOf<'money'>): Outcome {
  const evidence: Evidence[] = [];
  const hints: string[] = [];
  const parts = spec.concepts.map((conceptId) => {
    const entity = ctx.match.entityOf.get(conceptId);
    const concept = ctx.scenario.conceptById.get(conceptId);
    if (!entity || !concept) {
      evidence.push(missingEvidence(ctx, conceptId));
      hints.push(`Model ${conceptLabel(ctx, conceptId)} with their amounts in integer minor units and a currency.`);
      return 0;
    }
    const moneyFields = new Set<Field>(entity.entity.fields.filter(isMoneyField));
    for (const ref of concept.fields) {
      if (!isMoneyField(ref.field)) continue;
      const field = mappedField(ctx, conceptId, ref.field.name);
      if (field) moneyFields.add(field);
    }
    if (moneyFields.size === 0) {
      evidence.push(entityEvidence(entity, conceptId, 'no amounts'));
      hints.push(`${displayName(entity.entity.name)} have no amount: add one in integer minor units (e.g. amount_minor bigint) with a currency.`);
      return 0;
    }
    const bad = [...moneyFields].filter((field) => isFloatType(field.type) || !isExactNumericType(field.type));
    const currency = currencyNearby(ctx.facts, entity);
    for (const field of moneyFields) evidence.push(fieldEvidence(entity, field, conceptId, bad.includes(field) ? `${field.type}: inexact` : field.type));
    if (bad.length > 0) hints.push(`${entity.entity.name}.${bad[0].name} is ${bad[0].type}: store money as integer minor units (bigint) or numeric, never floating point.`);
    if (!currency) hints.push(`${displayName(entity.entity.name)} have amounts but no currency: add currency char(3).`);
    return 0.7 * (1 - bad.length / moneyFields.size) + (currency ? 0.3 : 0);
  });
  return { ratio: mean(parts), evidence, hint: hints[0] ?? '' };
}

export function evaluateEvent(ctx: GradeContext, spec: SpecOf<'event'>): Outcome {
  const event = ctx.match.eventOf.get(spec.name) ?? findEvent(ctx, spec);
  if (!event) {
    const about = spec.concept ? ` on ${conceptLabel(ctx, spec.concept)}` : '';
    return { ratio: 0, evidence: [{ kind: 'event', name: spec.name, note: 'not tracked' }], hint: `Track ${spec.name}${about}: name the object and the past-tense action, and type its properties.` };
  }
  let ratio = 0.7;
  const notes: string[] = [];
  if (!spec.concept || eventConcept(event, ctx.scenario, ctx.match.conceptOf) === spec.concept) ratio += 0.15;
  else notes.push(`tie it to ${conceptLabel(ctx, spec.concept)}`);
  const propertyNames = new Set(event.properties.map((p) => nameKey(p.name)));
  const missing = spec.properties.filter((name) => !propertyNames.has(nameKey(name)));
  ratio += spec.properties.length === 0 ? 0.15 : 0.15 * (1 - missing.length / spec.properties.length);
  if (missing.length) notes.push(`add ${missing.join(', ')}`);
  return {
    ratio,
    evidence: [{ kind: 'event', id: event.id, name: event.name, concept: spec.name }],
    hint: notes.length ? `${event.name}: ${notes.join('; ')}.` : '',
  };
}

function findEvent(ctx: GradeContext, spec: SpecOf<'event'>): TrackingEvent | undefined {
  const keys = new Set([spec.name, ...spec.aliases].map(nameKey));
  const wanted = eventParts(spec.name);
  return ctx.model.events.find((event) => {
    if (keys.has(nameKey(event.name))) return true;
    const parts = eventParts(event.name);
    return spec.concept !== null && parts.action === wanted.action && eventConcept(event, ctx.scenario, ctx.match.conceptOf) === spec.concept;
  });
}
