import { assignOneToOne, type ScoredPair } from './assignment';
import type { CheckSpec } from './check-spec.types';
import type { Outcome } from './check-result';
import type { GradeContext } from './grade-context';
import type { Evidence } from './grade.types';
import { mentionsPhrase, sharedTerms, terms } from './text-terms';

/**
 * Frame: the candidate's frame notes against the scenario's actors, rules, access patterns and
 * tenancy. Texts are compared as sets of stemmed terms (see text-terms.ts); the evidence lists
 * which reference item each note matched and the terms they share.
 */

type SpecOf<K extends CheckSpec['kind']> = Extract<CheckSpec, { kind: K }>;

/** Share of a rule's terms a note must have to count as stating it. */
const RULE_MATCH = 0.4;
/** Score an access pattern note must reach (terms shared, concepts named). */
const PATTERN_MATCH = 0.35;

const frameText = (ctx: GradeContext) => {
  const frame = ctx.model.frame;
  return [frame.domain, frame.tenancy.notes, ...frame.actors.map((a) => `${a.name} ${a.description}`), ...frame.rules.map((r) => r.text), ...frame.accessPatterns.map((p) => p.description)].join('\n');
};

export function evaluateDomain(ctx: GradeContext, _spec: SpecOf<'frame-domain'>): Outcome {
  const domain = new Set(terms(ctx.model.frame.domain));
  const core = ctx.scenario.frame.coreConcepts;
  const mentioned = core.filter((id) => ctx.scenario.conceptById.get(id)?.phrases.some((phrase) => mentionsPhrase(phrase, domain)));
  const needed = Math.max(1, Math.ceil(core.length * 0.6));
  const missing = core.filter((id) => !mentioned.includes(id)).map((id) => ctx.scenario.conceptById.get(id)?.entity.entity.name ?? id);
  const evidence: Evidence[] = [{ kind: 'frame', name: 'domain', note: `mentions ${mentioned.length} of ${core.length} core concepts (${needed} for full credit)` }];
  return {
    ratio: domain.size === 0 ? 0 : Math.min(1, mentioned.length / needed),
    evidence,
    hint: domain.size === 0 ? 'Start by framing the domain in two or three sentences: who the customer is and what the product records.' : `Frame the domain around its core concepts: ${missing.slice(0, 4).join(', ')} are not mentioned.`,
  };
}

export function evaluateActors(ctx: GradeContext, _spec: SpecOf<'frame-actors'>): Outcome {
  const actors = ctx.scenario.frame.actors;
  const notes = ctx.model.frame.actors.map((actor) => ({ actor, terms: new Set(terms(actor.name)), all: new Set(terms(`${actor.name} ${actor.description}`)) }));
  const pairs: ScoredPair[] = [];
  actors.forEach((reference, col) => {
    notes.forEach((note, row) => {
      let score = 0;
      for (const phrase of reference.phrases) {
        if (mentionsPhrase(phrase, note.terms)) score = Math.max(score, 1);
        else if (mentionsPhrase(phrase, note.all)) score = Math.max(score, 0.8);
        else if (phrase.length > 1) score = Math.max(score, sharedTerms(phrase, note.terms).length / phrase.length >= 0.5 && note.terms.size <= phrase.length + 1 ? 0.6 : 0);
      }
      if (score > 0) pairs.push({ row, col, score });
    });
  });
  const chosen = assignOneToOne(pairs);
  const matched = new Set(chosen.map((pair) => pair.col));
  const evidence: Evidence[] = chosen.map((pair) => ({ kind: 'frame', id: notes[pair.row].actor.id, name: notes[pair.row].actor.name, concept: actors[pair.col].id }));
  const missing = actors.filter((_, i) => !matched.has(i)).map((actor) => actor.name);
  return {
    ratio: actors.length === 0 ? 1 : matched.size / actors.length,
    evidence,
    hint: missing.length ? `Who else touches the system? Not framed yet: ${missing.slice(0, 4).join(', ')}.` : '',
  };
}

export function evaluateRules(ctx: GradeContext, _spec: SpecOf<'frame-rules'>): Outcome {
  const rules = ctx.scenario.frame.rules;
  const notes = ctx.model.frame.rules.map((rule) => ({ rule, terms: new Set(terms(rule.text)) }));
  const pairs: ScoredPair[] = [];
  rules.forEach((reference, col) => {
    notes.forEach((note, row) => {
      const shared = sharedTerms(reference.terms, note.terms).length;
      const score = shared / Math.max(1, reference.terms.length);
      if (shared >= 2 && score >= RULE_MATCH) pairs.push({ row, col, score });
    });
  });
  const chosen = assignOneToOne(pairs);
  const matched = new Set(chosen.map((pair) => pair.col));
  const evidence: Evidence[] = chosen.map((pair) => ({
    kind: 'frame',
    id: notes[pair.row].rule.id,
    name: notes[pair.row].rule.text.slice(0, 80),
    concept: rules[pair.col].id,
    note: `shares ${sharedTerms(rules[pair.col].terms, notes[pair.row].terms).join(', ')}`,
  }));
  const missing = rules.filter((_, i) => !matched.has(i));
  return {
    ratio: rules.length === 0 ? 1 : matched.size / rules.length,
    evidence,
    hint: missing.length ? `Which rules must the model enforce? Not stated yet: “${missing[0].text}”${missing.length > 1 ? ` and ${missing.length - 1} more` : ''}.` : '',
  };
}

export function evaluateAccessPatterns(ctx: GradeContext, _spec: SpecOf<'frame-access-patterns'>): Outcome {
  const patterns = ctx.scenario.frame.accessPatterns;
  const notes = ctx.model.frame.accessPatterns.map((pattern) => ({
    pattern,
    terms: new Set(terms(pattern.description)),
    concepts: new Set(pattern.entityIds.map((id) => ctx.match.conceptOf.get(id)?.concept.id).filter((id): id is string => !!id)),
  }));
  const pairs: ScoredPair[] = [];
  patterns.forEach((reference, col) => {
    notes.forEach((note, row) => {
      const text = sharedTerms(reference.terms, note.terms).length / Math.max(1, reference.terms.length);
      const concepts = note.concepts.size === 0 ? 0 : reference.concepts.filter((id) => note.concepts.has(id)).length / reference.concepts.length;
      const score = note.concepts.size === 0 ? text : 0.6 * text + 0.4 * concepts;
      if (score >= PATTERN_MATCH) pairs.push({ row, col, score });
    });
  });
  const chosen = assignOneToOne(pairs);
  let earned = 0;
  const matched = new Set<number>();
  const evidence: Evidence[] = [];
  let wrongFrequency: string | null = null;
  for (const pair of chosen) {
    const reference = patterns[pair.col];
    const note = notes[pair.row].pattern;
    matched.add(pair.col);
    const frequencyRight = note.frequency === reference.frequency;
    earned += reference.weight * (frequencyRight ? 1 : 0.8);
    if (!frequencyRight && !wrongFrequency) wrongFrequency = `“${note.description}” is ${reference.frequency} frequency, not ${note.frequency}`;
    evidence.push({ kind: 'frame', id: note.id, name: note.description.slice(0, 80), concept: reference.id, note: `${note.frequency} frequency` });
  }
  const total = patterns.reduce((sum, p) => sum + p.weight, 0);
  const missing = patterns.filter((_, i) => !matched.has(i)).sort((a, b) => b.weight - a.weight);
  const hint = missing.length
    ? `Which questions must the system answer fast? Missing: “${missing[0].description}” (${missing[0].frequency} frequency)${missing.length > 1 ? ` and ${missing.length - 1} more` : ''}.`
    : wrongFrequency
      ? `Check the frequencies: ${wrongFrequency}.`
      : '';
  return { ratio: total === 0 ? 1 : earned / total, evidence, hint };
}

export function evaluateTenancy(ctx: GradeContext, _spec: SpecOf<'frame-tenancy'>): Outcome {
  const expected = ctx.scenario.scenario.tenancy.strategy;
  const { strategy, notes } = ctx.model.frame.tenancy;
  const noteTerms = new Set(terms(notes));
  const shared = sharedTerms(ctx.scenario.frame.tenancyTerms, noteTerms);
  const why = Math.min(1, shared.length / 5);
  const ratio = (strategy === expected ? 0.6 : 0) + 0.4 * why;
  const evidence: Evidence[] = [{ kind: 'frame', name: 'tenancy', note: `${strategy ?? 'no strategy'}; shares ${shared.slice(0, 8).join(', ') || 'no key terms'}` }];
  const hint =
    strategy !== expected
      ? strategy
        ? `Reconsider the tenancy: ${expected} fits this product better than ${strategy} — say why.`
        : `Decide where the tenant boundary is (${expected}?) and say why.`
      : why < 1
        ? 'Say how isolation is enforced with that strategy: where the tenant id lives, keys, row-level security.'
        : '';
  return { ratio, evidence, hint };
}

export function evaluateFrameMentions(ctx: GradeContext, spec: SpecOf<'frame-mentions'>): Outcome {
  const text = new Set(terms(frameText(ctx)));
  const found = spec.terms.filter((term) => mentionsPhrase(terms(term), text));
  const missing = spec.terms.filter((term) => !found.includes(term));
  return {
    ratio: Math.min(1, found.length / Math.max(1, spec.min)),
    evidence: [{ kind: 'frame', name: 'frame notes', note: found.length ? `mentions ${found.join(', ')}` : 'mentions none of the terms' }],
    hint: missing.length ? `The framing should cover ${missing.join(', ')}.` : '',
  };
}
