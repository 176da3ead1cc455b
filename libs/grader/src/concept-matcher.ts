import type { Field, TrackingEvent } from '@hatch/model';
import { assignOneToOne, type ScoredPair } from './assignment';
import { canonicalType } from './column-types';
import type { ElementRef, EntityMatch, EventMatch, FieldMatch, MatchReason } from './grade.types';
import type { EntityFacts, ModelFacts } from './model-facts';
import { nameKey, nameTokens, splitWords, tokenSimilarity } from './name-normalizer';
import { type ConceptFacts, normalizeAction, type ReferenceField, type ScenarioFacts } from './scenario-facts';

/**
 * Maps the candidate's entities, fields and events to the scenario's concepts:
 * 1. names normalized (case, snake/camel/kebab, singular/plural) and compared exactly, then with
 *    the concept's aliases;
 * 2. otherwise token similarity (`invoice_line_items` ~ `invoice_items`) above a threshold;
 * 3. fields a concept should have break ties and rescue a near-miss name (`structure`);
 * 4. one global one-to-one assignment maximizing the total score (not first-come).
 * Anything below the threshold is reported unmatched rather than guessed.
 */

export interface ConceptMatch {
  entityOf: Map<string, EntityFacts>;
  conceptOf: Map<string, ConceptFacts>;
  /** concept id → reference field name → candidate field. */
  fieldOf: Map<string, Map<string, Field>>;
  entities: EntityMatch[];
  fields: FieldMatch[];
  events: EventMatch[];
  /** reference event name → candidate event. */
  eventOf: Map<string, TrackingEvent>;
  unmatchedEntities: ElementRef[];
  unmatchedFields: ElementRef[];
  unmatchedEvents: ElementRef[];
}

interface Candidate {
  score: number;
  confidence: number;
  why: MatchReason;
}

const SCORE = { exact: 1, alias: 0.95 } as const;

export function matchConcepts(facts: ModelFacts, scenario: ScenarioFacts, threshold: number): ConceptMatch {
  const pairs: ScoredPair[] = [];
  const details = new Map<string, Candidate>();
  facts.entities.forEach((entity, row) => {
    const hits = scenario.nameIndex.get(entity.key);
    if (!hits && !entity.tokens.some((token) => scenario.tokenIndex.has(token))) return;
    const candidates = new Map<ConceptFacts, Candidate>();
    for (const hit of hits ?? []) {
      if (!candidates.has(hit.concept)) candidates.set(hit.concept, { score: SCORE[hit.why], confidence: SCORE[hit.why], why: hit.why });
    }
    for (const token of entity.tokens) {
      for (const concept of scenario.tokenIndex.get(token) ?? []) {
        if (candidates.has(concept)) continue;
        let similarity = 0;
        for (const name of concept.names) similarity = Math.max(similarity, tokenSimilarity(entity.tokens, name.tokens));
        if (similarity >= threshold) {
          candidates.set(concept, { score: 0.9 * similarity, confidence: round2(similarity), why: 'similarity' });
        } else if (similarity >= 0.4) {
          const structure = structureScore(entity, concept);
          if (structure >= 0.6) candidates.set(concept, { score: 0.5 + 0.3 * structure, confidence: round2(0.5 + 0.3 * structure), why: 'structure' });
          // Marks the concept as considered for this entity (score below every real candidate).
          else candidates.set(concept, { score: -1, confidence: 0, why: 'similarity' });
        } else {
          candidates.set(concept, { score: -1, confidence: 0, why: 'similarity' });
        }
      }
    }
    for (const [concept, candidate] of candidates) {
      if (candidate.score < 0) continue;
      // Fields the concept should have break ties between equally good names.
      const score = candidate.score + 0.05 * structureScore(entity, concept);
      pairs.push({ row, col: concept.position, score });
      details.set(`${row}:${concept.position}`, candidate);
    }
  });

  const conceptAt = new Map(scenario.concepts.map((c) => [c.position, c]));
  const entityOf = new Map<string, EntityFacts>();
  const conceptOf = new Map<string, ConceptFacts>();
  const entities: EntityMatch[] = [];
  for (const pair of assignOneToOne(pairs)) {
    const entity = facts.entities[pair.row];
    const concept = conceptAt.get(pair.col) as ConceptFacts;
    const detail = details.get(`${pair.row}:${pair.col}`) as Candidate;
    entityOf.set(concept.concept.id, entity);
    conceptOf.set(entity.entity.id, concept);
    entities.push({
      entityId: entity.entity.id,
      name: entity.entity.name,
      concept: concept.concept.id,
      reference: concept.entity.entity.name,
      confidence: detail.confidence,
      why: detail.why,
    });
  }

  const fieldOf = new Map<string, Map<string, Field>>();
  const fields: FieldMatch[] = [];
  const unmatchedFields: ElementRef[] = [];
  for (const match of entities) {
    const concept = scenario.conceptById.get(match.concept) as ConceptFacts;
    const entity = facts.byId.get(match.entityId) as EntityFacts;
    const result = matchFields(entity, concept, conceptOf, facts, threshold);
    fieldOf.set(concept.concept.id, result.byReference);
    fields.push(...result.matches);
    unmatchedFields.push(...result.unmatched);
  }

  const events = matchEvents(facts, scenario, conceptOf);
  const unmatchedEntities = facts.entities.filter((e) => !conceptOf.has(e.entity.id)).map((e) => ({ id: e.entity.id, name: e.entity.name }));
  return {
    entityOf,
    conceptOf,
    fieldOf,
    entities,
    fields,
    events: events.matches,
    eventOf: events.eventOf,
    unmatchedEntities,
    unmatchedFields,
    unmatchedEvents: events.unmatched,
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Share of the concept's distinctive reference fields (by name or alias) the entity has. */
function structureScore(entity: EntityFacts, concept: ConceptFacts): number {
  const keys = concept.distinctiveFieldKeys;
  if (keys.length < 2) return 0;
  let found = 0;
  for (const key of keys) if (entity.fieldByKey.has(key)) found++;
  // Aliases of one field count once at most; cap at the number of distinctive reference fields.
  const distinctFields = new Set(keys.map((key) => concept.fieldNameIndex.get(key)?.ref)).size;
  return Math.min(1, found / Math.max(2, distinctFields));
}

function matchFields(entity: EntityFacts, concept: ConceptFacts, conceptOf: Map<string, ConceptFacts>, facts: ModelFacts, threshold: number) {
  const pairs: ScoredPair[] = [];
  const details = new Map<string, Candidate>();
  const refIndex = new Map(concept.fields.map((ref, i) => [ref, i]));
  entity.entity.fields.forEach((field, row) => {
    const candidates = new Map<ReferenceField, Candidate>();
    const key = nameKey(field.name);
    const hit = concept.fieldNameIndex.get(key);
    if (hit) candidates.set(hit.ref, { score: SCORE[hit.why], confidence: SCORE[hit.why], why: hit.why });
    // A column pointing at the same concept as a reference column is that column (`org_id` → orgs ~ `tenant_id` → tenants).
    const targetConcept = hit?.why === 'exact' ? null : foreignKeyTarget(entity, field, facts, conceptOf);
    if (targetConcept) {
      for (const ref of concept.fields) {
        if (ref.targetConcept === targetConcept && !candidates.has(ref)) candidates.set(ref, { score: 0.9, confidence: 0.9, why: 'structure' });
      }
    }
    // Similar names only when the name is not already the reference's own.
    if (hit?.why !== 'exact') {
      const tokens = nameTokens(field.name);
      const seen = new Set<ReferenceField>(candidates.keys());
      for (const token of tokens) {
        for (const ref of concept.fieldTokenIndex.get(token) ?? []) {
          if (seen.has(ref)) continue;
          seen.add(ref);
          let similarity = 0;
          for (const name of ref.names) similarity = Math.max(similarity, tokenSimilarity(tokens, name.tokens));
          if (similarity >= threshold) candidates.set(ref, { score: 0.8 * similarity, confidence: round2(similarity), why: 'similarity' });
        }
      }
    }
    for (const [ref, candidate] of candidates) {
      const sameType = canonicalType(ref.field.type) === canonicalType(field.type) ? 0.05 : 0;
      const col = refIndex.get(ref) as number;
      pairs.push({ row, col, score: candidate.score + sameType });
      details.set(`${row}:${col}`, candidate);
    }
  });
  const byReference = new Map<string, Field>();
  const matches: FieldMatch[] = [];
  const matchedRows = new Set<number>();
  for (const pair of assignOneToOne(pairs)) {
    const field = entity.entity.fields[pair.row];
    const ref = concept.fields[pair.col];
    const detail = details.get(`${pair.row}:${pair.col}`) as Candidate;
    matchedRows.add(pair.row);
    byReference.set(ref.field.name, field);
    matches.push({
      entityId: entity.entity.id,
      fieldId: field.id,
      name: `${entity.entity.name}.${field.name}`,
      concept: concept.concept.id,
      reference: ref.field.name,
      confidence: detail.confidence,
      why: detail.why,
    });
  }
  const unmatched = entity.entity.fields
    .filter((_, row) => !matchedRows.has(row))
    .map((field) => ({ id: field.id, name: `${entity.entity.name}.${field.name}` }));
  return { byReference, matches, unmatched };
}

/** The concept a candidate column's foreign key points at, if the column is the key's link to the target's primary key. */
function foreignKeyTarget(entity: EntityFacts, field: Field, facts: ModelFacts, conceptOf: Map<string, ConceptFacts>): string | null {
  for (const key of entity.outgoing) {
    const i = key.fieldIds.indexOf(field.id);
    if (i < 0) continue;
    const target = facts.byId.get(key.targetEntityId);
    if (!target) continue;
    if (key.fieldIds.length > 1 && !target.primaryKey.includes(key.targetFieldIds[i])) continue;
    const concept = conceptOf.get(target.entity.id);
    if (concept) return concept.concept.id;
  }
  return null;
}

/** The object and action of an event name: `invoice_paid`, `Invoice Paid`, `invoice.paid` → invoice / paid. */
export function eventParts(name: string): { objectTokens: string[]; action: string } {
  const words = splitWords(name);
  return { objectTokens: words.slice(0, -1).map((w) => nameTokens(w)[0] ?? w), action: normalizeAction(words[words.length - 1] ?? '') };
}

/** Which concept an event's object names: its entity's concept, or a concept name among its words. */
export function eventConcept(event: TrackingEvent, scenario: ScenarioFacts, conceptOf: Map<string, ConceptFacts>): string | null {
  if (event.entityId) {
    const concept = conceptOf.get(event.entityId);
    if (concept) return concept.concept.id;
  }
  const { objectTokens } = eventParts(event.name);
  const hit = scenario.nameIndex.get(objectTokens.join('_'));
  return hit?.[0]?.concept.concept.id ?? null;
}

function matchEvents(facts: ModelFacts, scenario: ScenarioFacts, conceptOf: Map<string, ConceptFacts>) {
  const events = facts.model.events;
  const pairs: ScoredPair[] = [];
  const details = new Map<string, Candidate>();
  const referenceByKey = new Map(scenario.events.map((event, i) => [event.key, i]));
  events.forEach((event, row) => {
    const key = nameKey(event.name);
    const exact = referenceByKey.get(key);
    if (exact !== undefined) {
      pairs.push({ row, col: exact, score: 1 });
      details.set(`${row}:${exact}`, { score: 1, confidence: 1, why: 'exact' });
    }
    const { action } = eventParts(event.name);
    const concept = eventConcept(event, scenario, conceptOf);
    const tokens = nameTokens(event.name);
    scenario.events.forEach((reference, col) => {
      if (col === exact) return;
      if (concept && reference.concept === concept && reference.action === action) {
        pairs.push({ row, col, score: 0.9 });
        details.set(`${row}:${col}`, { score: 0.9, confidence: 0.9, why: 'alias' });
        return;
      }
      const similarity = tokenSimilarity(tokens, nameTokens(reference.name));
      if (similarity >= 0.75 && normalizeAction(tokens[tokens.length - 1] ?? '') === reference.action) {
        pairs.push({ row, col, score: 0.8 * similarity });
        details.set(`${row}:${col}`, { score: 0.8 * similarity, confidence: round2(similarity), why: 'similarity' });
      }
    });
  });
  const matches: EventMatch[] = [];
  const eventOf = new Map<string, TrackingEvent>();
  const matchedRows = new Set<number>();
  for (const pair of assignOneToOne(pairs)) {
    const event = events[pair.row];
    const reference = scenario.events[pair.col];
    const detail = details.get(`${pair.row}:${pair.col}`) as Candidate;
    matchedRows.add(pair.row);
    eventOf.set(reference.name, event);
    matches.push({ eventId: event.id, name: event.name, reference: reference.name, concept: reference.concept, confidence: detail.confidence, why: detail.why });
  }
  const unmatched = events.filter((_, row) => !matchedRows.has(row)).map((event) => ({ id: event.id, name: event.name }));
  return { matches, eventOf, unmatched };
}
