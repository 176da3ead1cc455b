import type { Constraint, Field } from '@hatch/model';
import type { Concept, RubricCheck, Scenario, Stage } from '@hatch/scenarios';
import type { CheckSpec, ExpectedConstraint, KeyRun } from './check-spec.types';
import { getOrCreate } from './collections';
import {
  AUDIT_PART_NAMES,
  auditParts,
  isCurrencyField,
  isIdempotencyField,
  isMoneyField,
  isStatusField,
  isTransitionTimestamp,
  validityRange,
} from './field-roles';
import type { Move } from './grade.types';
import { buildModelFacts, type EntityFacts, isUniqueOver, type ModelFacts } from './model-facts';
import { nameKey, nameTokens, splitWords } from './name-normalizer';
import { terms } from './text-terms';

/**
 * Everything the grader needs from a scenario, computed once per scenario object (WeakMap cache):
 * concept name indexes for matching, the reference model's facts, the tenant boundary, and the
 * rubric checks derived from the scenario's structured data plus the authored ones.
 */

export type MatchWhy = 'exact' | 'alias';

export interface ConceptName {
  text: string;
  key: string;
  tokens: string[];
  why: MatchWhy;
}

export interface ReferenceField {
  field: Field;
  names: ConceptName[];
  /** The concept a single-column (or PK-paired) foreign key of this field points at. */
  targetConcept: string | null;
}

export interface ConceptFacts {
  concept: Concept;
  position: number;
  entity: EntityFacts;
  names: ConceptName[];
  fields: ReferenceField[];
  fieldByName: Map<string, ReferenceField>;
  /** nameKey of a field name or alias → reference field and why. */
  fieldNameIndex: Map<string, { ref: ReferenceField; why: MatchWhy }>;
  /** token → reference fields whose names contain it. */
  fieldTokenIndex: Map<string, ReferenceField[]>;
  /** Name keys of the reference fields that tell this concept apart (not id, created_at, ...). */
  distinctiveFieldKeys: string[];
  /** Frame: stemmed phrases that mention the concept in prose. */
  phrases: string[][];
}

export interface TenantFacts {
  concept: ConceptFacts;
  /** Name keys a tenant column goes by (`tenant_id`, `account_id`, `org_id`, ...). */
  keyNames: Set<string>;
  /** Concepts whose reference entity references the tenant directly. */
  scoped: Set<string>;
}

export interface ReferenceEvent {
  name: string;
  key: string;
  objectKey: string;
  action: string;
  concept: string | null;
}

export interface ScenarioFacts {
  scenario: Scenario;
  reference: ModelFacts;
  concepts: ConceptFacts[];
  conceptById: Map<string, ConceptFacts>;
  conceptByReferenceEntity: Map<string, ConceptFacts>;
  /** nameKey → concepts with that name (exact before alias). */
  nameIndex: Map<string, { concept: ConceptFacts; why: MatchWhy }[]>;
  /** token → concepts whose names contain it. */
  tokenIndex: Map<string, ConceptFacts[]>;
  tenant: TenantFacts | null;
  events: ReferenceEvent[];
  specs: CheckSpec[];
  frame: FrameFacts;
}

export interface FrameFacts {
  actors: { id: string; name: string; phrases: string[][] }[];
  rules: { id: string; text: string; terms: string[] }[];
  accessPatterns: { id: string; description: string; terms: string[]; concepts: string[]; frequency: string; weight: number }[];
  tenancyTerms: string[];
  coreConcepts: string[];
}

const GENERIC_FIELD_KEYS = new Set(['id', 'uuid', 'created_at', 'updated_at', 'deleted_at', 'name', 'description', 'title', 'status', 'type', 'metadata', 'note']);
const TENANT_WORDS = /(tenant|account|organi[sz]ation|org|workspace|company|customer|team)/;

const cache = new WeakMap<Scenario, ScenarioFacts>();

export function scenarioFacts(scenario: Scenario): ScenarioFacts {
  let facts = cache.get(scenario);
  if (!facts) {
    facts = buildScenarioFacts(scenario);
    cache.set(scenario, facts);
  }
  return facts;
}

function conceptName(text: string, why: MatchWhy): ConceptName {
  return { text, key: nameKey(text), tokens: nameTokens(text), why };
}

function buildScenarioFacts(scenario: Scenario): ScenarioFacts {
  const reference = buildModelFacts(scenario.referenceModel);
  const concepts: ConceptFacts[] = [];
  scenario.concepts.forEach((concept, position) => {
    const entity = reference.byId.get(concept.entityId);
    if (!entity) return;
    const names = [conceptName(entity.entity.name, 'exact'), conceptName(concept.id, 'alias'), ...concept.aliases.map((alias) => conceptName(alias, 'alias'))];
    const aliasesOf = new Map(concept.fields.map((field) => [field.name, field.aliases]));
    const fields: ReferenceField[] = entity.entity.fields.map((field) => ({
      field,
      names: [conceptName(field.name, 'exact'), ...(aliasesOf.get(field.name) ?? []).map((alias) => conceptName(alias, 'alias'))],
      targetConcept: null,
    }));
    const fieldNameIndex = new Map<string, { ref: ReferenceField; why: MatchWhy }>();
    const fieldTokenIndex = new Map<string, ReferenceField[]>();
    for (const why of ['exact', 'alias'] as const) {
      for (const ref of fields) {
        for (const name of ref.names) {
          if (name.why === why && !fieldNameIndex.has(name.key)) fieldNameIndex.set(name.key, { ref, why });
        }
      }
    }
    for (const ref of fields) {
      for (const name of ref.names) {
        for (const token of name.tokens) {
          const list = getOrCreate(fieldTokenIndex, token, () => [] as ReferenceField[]);
          if (!list.includes(ref)) list.push(ref);
        }
      }
    }
    const distinctive = new Set<string>();
    for (const ref of fields) {
      for (const name of ref.names) if (!GENERIC_FIELD_KEYS.has(name.key) && !name.key.endsWith('tenant_id')) distinctive.add(name.key);
    }
    const phrases = names.map((name) => terms(splitWords(name.text).join(' '))).filter((phrase) => phrase.length > 0);
    concepts.push({
      concept,
      position,
      entity,
      names,
      fields,
      fieldByName: new Map(fields.map((ref) => [ref.field.name, ref])),
      fieldNameIndex,
      fieldTokenIndex,
      distinctiveFieldKeys: [...distinctive],
      phrases,
    });
  });
  const conceptById = new Map(concepts.map((c) => [c.concept.id, c]));
  const conceptByReferenceEntity = new Map<string, ConceptFacts>();
  for (const c of concepts) if (!conceptByReferenceEntity.has(c.entity.entity.id)) conceptByReferenceEntity.set(c.entity.entity.id, c);

  // Which concept a reference field's foreign key points at (the column paired with the target's primary key).
  for (const c of concepts) {
    for (const key of c.entity.outgoing) {
      const target = conceptByReferenceEntity.get(key.targetEntityId);
      const targetFacts = reference.byId.get(key.targetEntityId);
      if (!target || !targetFacts) continue;
      key.fieldIds.forEach((fieldId, i) => {
        const pairedWithPk = key.fieldIds.length === 1 || targetFacts.primaryKey.includes(key.targetFieldIds[i]);
        const ref = c.fields.find((r) => r.field.id === fieldId);
        if (ref && pairedWithPk && !ref.targetConcept) ref.targetConcept = target.concept.id;
      });
    }
  }

  const nameIndex = new Map<string, { concept: ConceptFacts; why: MatchWhy }[]>();
  const tokenIndex = new Map<string, ConceptFacts[]>();
  for (const why of ['exact', 'alias'] as const) {
    for (const c of concepts) {
      for (const name of c.names) {
        if (name.why !== why) continue;
        const list = getOrCreate(nameIndex, name.key, () => [] as { concept: ConceptFacts; why: MatchWhy }[]);
        if (!list.some((entry) => entry.concept === c)) list.push({ concept: c, why });
      }
    }
  }
  for (const c of concepts) {
    for (const name of c.names) {
      for (const token of name.tokens) {
        const list = getOrCreate(tokenIndex, token, () => [] as ConceptFacts[]);
        if (!list.includes(c)) list.push(c);
      }
    }
  }

  const tenant = findTenant(scenario, reference, concepts, conceptByReferenceEntity);
  const events: ReferenceEvent[] = scenario.referenceModel.events.map((event) => {
    const words = splitWords(event.name);
    return {
      name: event.name,
      key: nameKey(event.name),
      objectKey: words.slice(0, -1).map((w) => nameTokens(w)[0] ?? w).join('_'),
      action: normalizeAction(words[words.length - 1] ?? ''),
      concept: event.entityId ? (conceptByReferenceEntity.get(event.entityId)?.concept.id ?? null) : null,
    };
  });

  const facts: ScenarioFacts = {
    scenario,
    reference,
    concepts,
    conceptById,
    conceptByReferenceEntity,
    nameIndex,
    tokenIndex,
    tenant,
    events,
    specs: [],
    frame: frameFacts(scenario, conceptById),
  };
  facts.specs = [...deriveSpecs(facts), ...authoredSpecs(facts)];
  return facts;
}

/** `cancelled` and `canceled` are one action. */
export function normalizeAction(word: string): string {
  return word.replace(/lled$/, 'led');
}

/**
 * The tenant: with a shared schema, the concept whose reference entity most other entities point at
 * (at least two), preferring tenant-like names. Other strategies have no tenant column to check.
 */
function findTenant(
  scenario: Scenario,
  reference: ModelFacts,
  concepts: ConceptFacts[],
  conceptByReferenceEntity: Map<string, ConceptFacts>,
): TenantFacts | null {
  if (scenario.tenancy.strategy !== 'shared-schema') return null;
  let best: { concept: ConceptFacts; score: number } | null = null;
  for (const c of concepts) {
    const referrers = new Set(c.entity.incoming.map((key) => key.entityId).filter((id) => id !== c.entity.entity.id));
    if (referrers.size < 2) continue;
    const named = c.names.some((name) => TENANT_WORDS.test(name.key)) ? 0.5 : 0;
    const score = referrers.size + named;
    if (!best || score > best.score) best = { concept: c, score };
  }
  if (!best) return null;
  const tenantConcept = best.concept;
  const tenantEntityId = tenantConcept.entity.entity.id;
  const keyNames = new Set<string>(['tenant_id']);
  const scoped = new Set<string>();
  for (const key of reference.foreignKeys) {
    if (key.targetEntityId !== tenantEntityId || key.entityId === tenantEntityId) continue;
    const holder = reference.byId.get(key.entityId);
    const holderConcept = conceptByReferenceEntity.get(key.entityId);
    if (holderConcept) scoped.add(holderConcept.concept.id);
    key.fieldIds.forEach((fieldId, i) => {
      if (!tenantConcept.entity.primaryKey.includes(key.targetFieldIds[i])) return;
      const field = holder?.field(fieldId);
      if (field) keyNames.add(nameKey(field.name));
    });
  }
  // Aliases authors gave the tenant column in any concept (`account_id`, `org_id`), and `<tenant name>_id`.
  for (const c of concepts) {
    for (const ref of c.fields) {
      if (keyNames.has(nameKey(ref.field.name))) for (const name of ref.names) keyNames.add(name.key);
    }
  }
  for (const name of tenantConcept.names) if (name.tokens.length === 1) keyNames.add(`${name.key}_id`);
  return { concept: tenantConcept, keyNames, scoped };
}

function frameFacts(scenario: Scenario, conceptById: Map<string, ConceptFacts>): FrameFacts {
  const weightOf = { high: 3, medium: 2, low: 1 } as const;
  return {
    actors: scenario.actors.map((actor) => ({
      id: actor.id,
      name: actor.name,
      phrases: [actor.name, ...actor.aliases].map((text) => terms(text)).filter((phrase) => phrase.length > 0),
    })),
    rules: scenario.rules.map((rule) => ({ id: rule.id, text: rule.text, terms: terms(rule.text) })),
    accessPatterns: scenario.accessPatterns.map((pattern) => ({
      id: pattern.id,
      description: pattern.description,
      terms: terms(pattern.description),
      concepts: pattern.concepts,
      frequency: pattern.frequency,
      weight: weightOf[pattern.frequency],
    })),
    tenancyTerms: terms(scenario.tenancy.why),
    coreConcepts: scenario.concepts.filter((c) => c.importance === 'core' && conceptById.has(c.id)).map((c) => c.id),
  };
}

// ------------------------------------------------------------------ derived checks

const STAGE_MOVE: Record<RubricCheck['kind'], Move> = {
  'required-concepts': 'entities',
  'required-fields': 'entities',
  relationship: 'relationships',
  constraint: 'keys-and-constraints',
  index: 'access-pattern-indexes',
  'tenant-scoped': 'tenant-boundaries',
  'unique-keys-include-tenant': 'tenant-boundaries',
  'append-only': 'history',
  'validity-range': 'history',
  'state-history': 'history',
  'idempotency-key': 'idempotency',
  money: 'money-and-time',
  answerable: 'answerability',
  event: 'tracking-plan',
  'frame-mentions': 'framing',
};

const entityLabel = (c: ConceptFacts) => c.entity.entity.name;

function deriveSpecs(facts: ScenarioFacts): CheckSpec[] {
  const { scenario, concepts, conceptById, tenant } = facts;
  const specs: CheckSpec[] = [];

  // Frame: the notes against the scenario's actors, rules, access patterns and tenancy.
  specs.push(
    { id: 'frame.domain', stage: 'frame', move: 'framing', weight: 1, kind: 'frame-domain', title: 'Frames the product domain', doc: 'The domain notes name the core concepts of the product.' },
    { id: 'frame.actors', stage: 'frame', move: 'framing', weight: 1.5, kind: 'frame-actors', title: 'Names the actors', doc: 'Who uses or feeds the system: every actor of the scenario.' },
    { id: 'frame.rules', stage: 'frame', move: 'framing', weight: 2, kind: 'frame-rules', title: 'States the rules and invariants', doc: 'The business rules and invariants the model must enforce.' },
    { id: 'frame.access-patterns', stage: 'frame', move: 'framing', weight: 3, kind: 'frame-access-patterns', title: 'Lists the access patterns with their frequency', doc: 'The questions the system must answer fast, and how often.' },
    { id: 'frame.tenancy', stage: 'frame', move: 'framing', weight: 1.5, kind: 'frame-tenancy', title: 'Chooses a tenancy strategy and says why', doc: 'Shared schema, schema or database per tenant, with the reason.' },
  );

  // List: concepts, their key fields, relationships, invariants as constraints, idempotency, money, events.
  for (const c of concepts) {
    const core = c.concept.importance === 'core';
    specs.push({
      id: `concept.${c.concept.id}`,
      stage: 'list',
      move: 'entities',
      weight: core ? 3 : 1.5,
      kind: 'concept',
      concept: c.concept.id,
      title: `Models ${entityLabel(c)}`,
      doc: c.concept.description || `The model has an entity for ${entityLabel(c)} (${core ? 'core' : 'supporting'} concept).`,
    });
  }
  for (const c of concepts) {
    if (c.concept.fields.length === 0) continue;
    specs.push({
      id: `fields.${c.concept.id}`,
      stage: 'list',
      move: 'entities',
      weight: 1,
      kind: 'required-fields',
      concept: c.concept.id,
      fields: c.concept.fields.map((field) => field.name),
      title: `${entityLabel(c)} has its key fields`,
      doc: `Key fields of ${entityLabel(c)}: ${c.concept.fields.map((field) => field.name).join(', ')}.`,
    });
  }
  specs.push(...relationshipSpecs(facts));
  specs.push(...invariantSpecs(facts));

  for (const c of concepts) {
    const key = c.entity.keys.find((k) => k.unique && k.fieldIds.some((id) => isIdempotencyField(c.entity.field(id) as Field)));
    if (!key) continue;
    const field = key.fieldIds.map((id) => c.entity.field(id) as Field).find(isIdempotencyField) as Field;
    specs.push({
      id: `idempotency.${c.concept.id}`,
      stage: 'list',
      move: 'idempotency',
      weight: 3,
      kind: 'idempotency-key',
      concept: c.concept.id,
      field: field.name,
      title: `${entityLabel(c)} are applied once`,
      doc: `A client-supplied ${field.name}, unique${tenant?.scoped.has(c.concept.id) ? ' per tenant' : ''}, so a retry is ignored.`,
    });
  }

  const moneyConcepts = concepts.filter((c) => c.entity.entity.fields.some(isMoneyField));
  for (const c of moneyConcepts) {
    specs.push({
      id: `money.${c.concept.id}`,
      stage: 'list',
      move: 'money-and-time',
      weight: 2,
      kind: 'money',
      concepts: [c.concept.id],
      title: `${entityLabel(c)} store money exactly`,
      doc: 'Amounts in integer minor units (or numeric) next to a currency, never floating point.',
    });
  }

  for (const event of facts.events) {
    const source = scenario.referenceModel.events.find((e) => e.name === event.name);
    specs.push({
      id: `event.${event.key}`,
      stage: 'list',
      move: 'tracking-plan',
      weight: 1,
      kind: 'event',
      name: event.name,
      aliases: [],
      concept: event.concept,
      properties: (source?.properties ?? []).filter((p) => p.required).map((p) => p.name),
      title: `Tracks ${event.name}`,
      doc: source?.description || `The tracking plan has an event for ${event.name}.`,
    });
  }

  // Optimize: indexes for the access patterns, tenant boundaries, history.
  const weightOf = { high: 3, medium: 2, low: 1 } as const;
  for (const pattern of scenario.accessPatterns) {
    if (pattern.keyFields.length === 0) continue;
    const runs: KeyRun[] = [];
    for (const key of pattern.keyFields) {
      const last = runs[runs.length - 1];
      if (last && last.concept === key.concept) last.fields.push(key.field);
      else runs.push({ concept: key.concept, fields: [key.field] });
    }
    specs.push({
      id: `access-pattern.${pattern.id}`,
      stage: 'optimize',
      move: 'access-pattern-indexes',
      weight: weightOf[pattern.frequency],
      kind: 'access-pattern',
      pattern: pattern.id,
      runs,
      title: `Index for: ${pattern.description}`,
      doc: `An index leading with ${runs.map((run) => `${conceptById.get(run.concept)?.entity.entity.name ?? run.concept}(${run.fields.join(', ')})`).join(' and ')} (${pattern.frequency} frequency).`,
    });
  }
  if (tenant) {
    for (const c of concepts) {
      if (!tenant.scoped.has(c.concept.id)) continue;
      specs.push({
        id: `tenant-scoped.${c.concept.id}`,
        stage: 'optimize',
        move: 'tenant-boundaries',
        weight: 1,
        kind: 'tenant-scoped',
        concepts: [c.concept.id],
        title: `${entityLabel(c)} stay inside one tenant`,
        doc: `${entityLabel(c)} carry the tenant id with a foreign key to ${entityLabel(tenant.concept)}.`,
      });
    }
  }
  const appendOnlyRules = scenario.rules.filter((rule) => /append[- ]only/i.test(rule.text));
  for (const c of concepts) {
    if (isAuditLogConcept(c) || appendOnlyRules.some((rule) => rule.concepts.includes(c.concept.id))) {
      const parts = appendOnlyParts(c);
      specs.push({
        id: `append-only.${c.concept.id}`,
        stage: 'optimize',
        move: 'history',
        weight: 3,
        kind: 'append-only',
        concept: c.concept.id,
        parts,
        title: `${entityLabel(c)} is append-only`,
        doc: `Entries record the ${parts.join(', ')} and are never updated (no updated_at).`,
      });
    }
    if (validityRange(c.entity, true)) {
      specs.push({
        id: `validity-range.${c.concept.id}`,
        stage: 'optimize',
        move: 'history',
        weight: 2,
        kind: 'validity-range',
        concept: c.concept.id,
        title: `${entityLabel(c)} keep their history`,
        doc: 'Type-2 history: a validity range (valid_from/valid_to) instead of overwriting rows.',
      });
    }
    const status = c.entity.entity.fields.find(isStatusField);
    if (status && c.entity.entity.fields.filter((f) => f.nullable && isTransitionTimestamp(f)).length >= 2) {
      specs.push({
        id: `state-history.${c.concept.id}`,
        stage: 'optimize',
        move: 'history',
        weight: 2,
        kind: 'state-history',
        concept: c.concept.id,
        field: status.name,
        title: `${entityLabel(c)} keep their state transitions`,
        doc: `A ${status.name} plus the time of each transition (or a status history table).`,
      });
    }
  }

  // Win: every product question must be answerable, and answered.
  for (const question of scenario.productQuestions) {
    specs.push({
      id: `answerable.${question.id}`,
      stage: 'win',
      move: 'answerability',
      weight: 1,
      kind: 'answerable',
      question: question.id,
      maxHops: null,
      title: `The model can answer: ${question.question}`,
      doc: 'The question’s concepts are joined in a few hops to a timestamped fact.',
    });
    specs.push({
      id: `answer.${question.id}`,
      stage: 'win',
      move: 'answerability',
      weight: 1.5,
      kind: 'win-answer',
      question: question.id,
      title: `Explains how to answer: ${question.question}`,
      doc: 'A win answer naming the tables and the join path (ideally SQL that runs).',
    });
  }
  return specs;
}

function relationshipSpecs(facts: ScenarioFacts): CheckSpec[] {
  const { reference, conceptByReferenceEntity, scenario } = facts;
  const specs: CheckSpec[] = [];
  const seen = new Set<string>();
  const add = (from: ConceptFacts, to: ConceptFacts, cardinality: '1:1' | '1:N' | 'N:M', through?: ConceptFacts) => {
    const pair = [from.concept.id, to.concept.id].sort().join('|');
    if (from === to || seen.has(pair)) return;
    seen.add(pair);
    const label = cardinality === 'N:M' ? `${from.entity.entity.name} ↔ ${to.entity.entity.name}${through ? ` through ${through.entity.entity.name}` : ''}` : `${from.entity.entity.name} → ${to.entity.entity.name}`;
    specs.push({
      id: `relationship.${from.concept.id}.${to.concept.id}`,
      stage: 'list',
      move: 'relationships',
      weight: 1,
      kind: 'relationship',
      from: from.concept.id,
      to: to.concept.id,
      cardinality,
      title: `Relates ${label} (${cardinality})`,
      doc:
        cardinality === 'N:M'
          ? `Many ${from.entity.entity.name} relate to many ${to.entity.entity.name}, through a join entity.`
          : `One ${displaySingular(from)} has ${cardinality === '1:1' ? 'one' : 'many'} ${to.entity.entity.name}: a foreign key on ${to.entity.entity.name}.`,
    });
  };
  for (const key of reference.foreignKeys) {
    const from = conceptByReferenceEntity.get(key.targetEntityId);
    const to = conceptByReferenceEntity.get(key.entityId);
    const holder = reference.byId.get(key.entityId);
    if (!from || !to || !holder) continue;
    add(from, to, isUniqueOver(holder, key.fieldIds) ? '1:1' : '1:N');
  }
  for (const relationship of scenario.referenceModel.relationships) {
    if (relationship.cardinality !== 'N:M') continue;
    const from = conceptByReferenceEntity.get(relationship.fromEntityId);
    const to = conceptByReferenceEntity.get(relationship.toEntityId);
    const through = relationship.throughEntityId ? conceptByReferenceEntity.get(relationship.throughEntityId) : undefined;
    if (from && to) add(from, to, 'N:M', through);
  }
  return specs;
}

const displaySingular = (c: ConceptFacts) => splitWords(c.entity.entity.name).map((w) => nameTokens(w)[0] ?? w).join(' ');

/** Terms that say nothing about which invariant a constraint enforces. */
const NEUTRAL_TERMS = new Set(['id', 'at', 'fkey', 'idx', 'check', 'excl', 'minor', 'null', 'not', 'is', 'using', 'gist', 'btree', 'with']);

/** Identifiers of a constraint: its columns, name, description and expression without string literals. */
function constraintTerms(text: string): string[] {
  return terms(text.replace(/'(?:[^']|'')*'/g, ' ')).filter((term) => !NEUTRAL_TERMS.has(term));
}

interface ReferenceConstraint {
  kind: Constraint['kind'];
  fieldIds: string[];
  partial: boolean;
  targetEntityId?: string;
  text: string;
}

/** Unique keys, checks, exclusions and foreign keys of a reference entity, except the primary key and `(tenant, id)` keys. */
function referenceConstraints(c: ConceptFacts, tenant: TenantFacts | null): ReferenceConstraint[] {
  const entity = c.entity;
  const out: ReferenceConstraint[] = [];
  const names = (ids: readonly string[]) => ids.map((id) => entity.field(id)?.name ?? '').join(' ');
  const isTenantIdKey = (ids: readonly string[]) =>
    ids.length === 2 && ids.some((id) => entity.primaryKey.includes(id)) && ids.some((id) => tenant?.keyNames.has(nameKey(entity.field(id)?.name ?? '')));
  for (const key of entity.keys) {
    if (!key.unique || key.kind === 'primary-key' || isTenantIdKey(key.fieldIds)) continue;
    out.push({ kind: 'unique', fieldIds: key.fieldIds, partial: key.where !== '', text: `${names(key.fieldIds)} ${key.kind === 'index' ? key.name : ''} ${key.where}` });
  }
  for (const constraint of entity.entity.constraints) {
    if (constraint.kind === 'check' || constraint.kind === 'exclusion') {
      out.push({ kind: constraint.kind, fieldIds: constraint.fieldIds, partial: false, text: `${names(constraint.fieldIds)} ${constraint.name} ${constraint.description} ${constraint.expression}` });
    }
  }
  for (const key of entity.outgoing) {
    out.push({ kind: 'foreign_key', fieldIds: key.fieldIds, partial: false, targetEntityId: key.targetEntityId, text: `${names(key.fieldIds)}` });
  }
  return out;
}

/**
 * Invariants become expected constraints: the reference constraints on the rule's concepts whose
 * identifiers share at least two terms with the rule (keeping those at least half as relevant as the
 * best), plus, for a rule about the tenant, the composite foreign keys that keep children in their tenant.
 */
function invariantSpecs(facts: ScenarioFacts): CheckSpec[] {
  const { scenario, conceptById, tenant, conceptByReferenceEntity } = facts;
  const specs: CheckSpec[] = [];
  const tenantTerms = new Set(tenant ? tenant.concept.phrases.flat() : []);
  for (const rule of scenario.rules) {
    if (rule.kind !== 'invariant') continue;
    const ruleTerms = new Set(terms(rule.text));
    const aboutTenant = tenant !== null && [...tenantTerms].some((term) => ruleTerms.has(term));
    const scored: { expected: ExpectedConstraint; overlap: number; tenantKey: boolean }[] = [];
    for (const conceptId of rule.concepts) {
      const c = conceptById.get(conceptId);
      if (!c) continue;
      // Constraint names repeat the table name (usage_events_quantity_check): that says nothing about the rule.
      const entityTerms = new Set(terms(splitWords(c.entity.entity.name).join(' ')));
      for (const constraint of referenceConstraints(c, tenant)) {
        const fields = constraint.fieldIds.map((id) => c.entity.field(id)?.name).filter((name): name is string => !!name);
        if (fields.length === 0) continue;
        const target = constraint.targetEntityId ? conceptByReferenceEntity.get(constraint.targetEntityId) : undefined;
        if (constraint.kind === 'foreign_key' && !target) continue;
        const tenantKey =
          aboutTenant &&
          constraint.kind === 'foreign_key' &&
          fields.length >= 2 &&
          fields.some((name) => tenant.keyNames.has(nameKey(name))) &&
          target !== tenant.concept;
        const overlap = constraintTerms(constraint.text).filter((term) => ruleTerms.has(term) && !tenantTerms.has(term) && !entityTerms.has(term)).length;
        const kindLabel = constraint.kind === 'foreign_key' ? 'foreign key' : constraint.partial ? 'partial unique index' : constraint.kind;
        scored.push({
          overlap,
          tenantKey,
          expected: {
            concept: c.concept.id,
            kind: constraint.kind,
            fields,
            partial: constraint.partial,
            targetConcept: target?.concept.id,
            label: `${kindLabel} (${fields.join(', ')}) on ${c.entity.entity.name}${target ? ` → ${target.entity.entity.name}` : ''}`,
          },
        });
      }
    }
    const best = Math.max(0, ...scored.map((s) => s.overlap));
    const threshold = Math.max(2, Math.ceil(best / 2));
    const expected = scored.filter((s) => s.tenantKey || s.overlap >= threshold).map((s) => s.expected);
    if (expected.length === 0) continue;
    specs.push({
      id: `invariant.${rule.id}`,
      stage: 'list',
      move: aboutTenant && expected.every((e) => e.kind === 'foreign_key') ? 'tenant-boundaries' : 'keys-and-constraints',
      weight: 2,
      kind: 'constraints',
      rule: rule.id,
      expected,
      title: `Enforces: ${rule.text}`,
      doc: `The database enforces this invariant: ${expected.map((e) => e.label).join('; ')}.`,
    });
  }
  return specs;
}

// ------------------------------------------------------------------ authored rubric entries

function authoredSpecs(facts: ScenarioFacts): CheckSpec[] {
  const specs: CheckSpec[] = [];
  const stages: Stage[] = ['frame', 'list', 'optimize', 'win'];
  for (const stage of stages) {
    for (const check of facts.scenario.rubric[stage] ?? []) {
      const spec = authoredSpec(facts, stage, check);
      if (spec) specs.push(spec);
    }
  }
  return specs;
}

function authoredSpec(facts: ScenarioFacts, stage: Stage, check: RubricCheck): CheckSpec | null {
  const base = {
    id: `rubric.${check.id}`,
    stage,
    move: check.move ?? STAGE_MOVE[check.kind],
    weight: check.weight,
    title: check.description,
    doc: check.description,
    ...(check.hint ? { hint: check.hint } : {}),
  };
  const allTenantScoped = () => (facts.tenant ? [...facts.tenant.scoped] : []);
  switch (check.kind) {
    case 'required-concepts':
      return { ...base, kind: 'required-concepts', concepts: check.concepts };
    case 'required-fields':
      return { ...base, kind: 'required-fields', concept: check.concept, fields: check.fields };
    case 'relationship':
      return { ...base, kind: 'relationship', from: check.from, to: check.to, cardinality: check.cardinality };
    case 'constraint': {
      const c = facts.conceptById.get(check.concept);
      // The loader resolves a foreign key's `references` to the concept it points at.
      const target = check.constraint === 'foreign_key' && check.references ? facts.conceptById.get(check.references) : undefined;
      const kindLabel = check.constraint === 'foreign_key' ? 'foreign key' : check.constraint;
      return {
        ...base,
        kind: 'constraints',
        rule: check.rule ?? null,
        expected: [
          {
            concept: check.concept,
            kind: check.constraint,
            fields: check.fields,
            partial: false,
            ...(target ? { targetConcept: target.concept.id } : {}),
            label: `${kindLabel} (${check.fields.join(', ')}) on ${c?.entity.entity.name ?? check.concept}${target ? ` → ${target.entity.entity.name}` : ''}`,
          },
        ],
      };
    }
    case 'index':
      return { ...base, kind: 'access-pattern', pattern: check.id, runs: [{ concept: check.concept, fields: check.fields }] };
    case 'tenant-scoped':
      return { ...base, kind: 'tenant-scoped', concepts: check.concepts.length > 0 ? check.concepts : allTenantScoped() };
    case 'unique-keys-include-tenant':
      return {
        ...base,
        kind: 'unique-keys-include-tenant',
        concepts: (check.concepts.length > 0 ? check.concepts : allTenantScoped()).filter((id) => !check.except.includes(id)),
      };
    case 'append-only': {
      const c = facts.conceptById.get(check.concept);
      return { ...base, kind: 'append-only', concept: check.concept, parts: c ? appendOnlyParts(c) : AUDIT_PART_NAMES };
    }
    case 'validity-range':
      return { ...base, kind: 'validity-range', concept: check.concept };
    case 'state-history':
      return { ...base, kind: 'state-history', concept: check.concept, field: check.field };
    case 'idempotency-key':
      return { ...base, kind: 'idempotency-key', concept: check.concept, field: check.field };
    case 'money':
      return { ...base, kind: 'money', concepts: check.concepts };
    case 'answerable':
      return { ...base, kind: 'answerable', question: check.question, maxHops: check.maxHops ?? null };
    case 'event':
      return { ...base, kind: 'event', name: check.name, aliases: check.aliases, concept: check.concept ?? null, properties: check.properties };
    case 'frame-mentions':
      return { ...base, kind: 'frame-mentions', terms: check.terms, min: Math.min(check.min ?? check.terms.length, check.terms.length) };
  }
}

/** An audit log by the scenario's say-so (`role: audit-log`), not by a word in its name: `audit_exports` is not one. */
export const isAuditLogConcept = (c: ConceptFacts) => c.concept.role === 'audit-log';

/** What an append-only entry must record: everything for an audit log, else what the reference entity records. */
function appendOnlyParts(c: ConceptFacts): string[] {
  if (isAuditLogConcept(c)) return AUDIT_PART_NAMES;
  return auditParts(c.entity).present;
}

/** Currency next to money: on the entity or one foreign key away. */
export function currencyNearby(facts: ModelFacts, entity: EntityFacts): Field | null {
  const own = entity.entity.fields.find(isCurrencyField);
  if (own) return own;
  for (const key of entity.outgoing) {
    const target = facts.byId.get(key.targetEntityId);
    const field = target?.entity.fields.find(isCurrencyField);
    if (field) return field;
  }
  return null;
}

