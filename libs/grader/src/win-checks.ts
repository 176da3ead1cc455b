import type { WinAnswer } from '@hatch/model';
import { sqlNames as readSqlNames, type SqlNames } from '@hatch/scenarios';
import type { CheckSpec } from './check-spec.types';
import type { Outcome } from './check-result';
import { type GradeContext, hopsFromCached } from './grade-context';
import type { Evidence } from './grade.types';
import { conceptLabel } from './list-checks';
import type { EntityFacts } from './model-facts';
import { nameKey } from './name-normalizer';
import { sharedTerms, terms } from './text-terms';

/**
 * Win: whether the model can answer each product question — its concepts joined in a few hops to
 * a timestamped fact — and whether the candidate explained how, naming tables that exist and a
 * join path that exists; SQL, when given, is tokenized and its tables and columns looked up.
 */

type SpecOf<K extends CheckSpec['kind']> = Extract<CheckSpec, { kind: K }>;

export interface JoinHub {
  hub: EntityFacts;
  /** Entities (of the ones asked for) within reach of the hub, with their hop counts. */
  reached: { entity: EntityFacts; hops: number }[];
  timestamped: boolean;
}

/**
 * The best fact table joining a set of entities: the entity within `maxHops` of the most of them,
 * preferring one with a timestamp, then the fewest total hops, then model order.
 */
export function findJoinHub(ctx: GradeContext, entities: readonly EntityFacts[], maxHops: number): JoinHub | null {
  if (entities.length === 0) return null;
  const distances = entities.map((entity) => hopsFromCached(ctx, entity, maxHops));
  let best: { hub: EntityFacts; count: number; timestamped: boolean; total: number } | null = null;
  const all = ctx.facts.entities;
  for (let position = 0; position < all.length; position++) {
    let count = 0;
    let total = 0;
    for (const distance of distances) {
      const hops = distance[position];
      if (hops < 0) continue;
      count++;
      total += hops;
    }
    if (count === 0) continue;
    const hub = all[position];
    const timestamped = hub.timestampFields.length > 0;
    const better =
      !best ||
      count > best.count ||
      (count === best.count && timestamped && !best.timestamped) ||
      (count === best.count && timestamped === best.timestamped && total < best.total);
    if (better) best = { hub, count, timestamped, total };
  }
  if (!best) return null;
  const hub = best.hub;
  const reached = entities.flatMap((entity, i) => {
    const hops = distances[i][hub.position];
    return hops < 0 ? [] : [{ entity, hops }];
  });
  return { hub, reached, timestamped: best.timestamped };
}

export function evaluateAnswerable(ctx: GradeContext, spec: SpecOf<'answerable'>): Outcome {
  const question = ctx.scenario.scenario.productQuestions.find((q) => q.id === spec.question);
  if (!question) return { ratio: 0, evidence: [], hint: `Unknown product question ${spec.question}.` };
  const maxHops = spec.maxHops ?? ctx.maxJoinHops;
  const entities = question.concepts.map((id) => ctx.match.entityOf.get(id));
  const present = entities.filter((e): e is EntityFacts => !!e);
  const missing = question.concepts.filter((_, i) => !entities[i]).map((id) => conceptLabel(ctx, id));
  const hub = findJoinHub(ctx, present, maxHops);
  const evidence: Evidence[] = [];
  if (hub) {
    evidence.push({ kind: 'entity', id: hub.hub.entity.id, name: hub.hub.entity.name, note: hub.timestamped ? 'timestamped fact the answer joins on' : 'join hub without a timestamp' });
    for (const { entity, hops } of hub.reached) if (entity !== hub.hub) evidence.push({ kind: 'entity', id: entity.entity.id, name: entity.entity.name, concept: ctx.match.conceptOf.get(entity.entity.id)?.concept.id, note: `${hops} hop${hops === 1 ? '' : 's'}` });
  }
  const reached = hub?.reached.length ?? 0;
  const ratio = (reached / question.concepts.length) * (hub?.timestamped ? 1 : 0.5);
  let hint = '';
  if (missing.length) hint = `To answer “${question.question}” the model needs ${missing.join(', ')}.`;
  else if (hub && reached < present.length) {
    const far = present.filter((entity) => !hub.reached.some((r) => r.entity === entity)).map((e) => e.entity.name);
    hint = `Nothing joins ${far.join(', ')} to ${hub.hub.entity.name} within ${maxHops} hops: add the relationship that answers “${question.question}”.`;
  } else if (hub && !hub.timestamped) hint = `“${question.question}” needs time: the facts it joins have no timestamp.`;
  return { ratio, evidence, hint };
}

// ------------------------------------------------------------------ win answers

export type { SqlNames } from '@hatch/scenarios';

const sqlCache = new Map<string, SqlNames>();

/**
 * Tables in real table positions (after FROM/JOIN, comma-joined; not CTEs, functions, `EXTRACT(x
 * FROM y)` or `IS DISTINCT FROM`) and qualified column references, read by the same reader as the
 * scenario contract's reference SQL check.
 */
export function sqlNames(sql: string): SqlNames {
  // Answers change rarely between two grades of a session: read each text once.
  const cached = sqlCache.get(sql);
  if (cached) return cached;
  const names = readSqlNames(sql);
  if (sqlCache.size >= 1000) sqlCache.clear();
  sqlCache.set(sql, names);
  return names;
}

/** The answer addressing a question: by question id, else the one whose question text is closest. */
function answerFor(ctx: GradeContext, questionId: string, questionText: string): WinAnswer | undefined {
  const answers = ctx.model.win.answers;
  const byId = answers.find((answer) => answer.questionId === questionId);
  if (byId) return byId;
  const wanted = terms(questionText);
  let best: { answer: WinAnswer; score: number } | undefined;
  for (const answer of answers) {
    if (answer.questionId && ctx.scenario.scenario.productQuestions.some((q) => q.id === answer.questionId)) continue;
    const score = sharedTerms(wanted, new Set(terms(answer.question))).length / Math.max(1, wanted.length);
    if (score >= 0.6 && (!best || score > best.score)) best = { answer, score };
  }
  return best?.answer;
}

export function evaluateWinAnswer(ctx: GradeContext, spec: SpecOf<'win-answer'>): Outcome {
  const question = ctx.scenario.scenario.productQuestions.find((q) => q.id === spec.question);
  if (!question) return { ratio: 0, evidence: [], hint: '' };
  const answer = answerFor(ctx, question.id, question.question);
  if (!answer || (!answer.answer.trim() && !answer.sql.trim())) {
    return { ratio: 0, evidence: [], hint: `Explain how the model answers “${question.question}”: which tables, joined how — ideally with SQL.` };
  }
  const evidence: Evidence[] = [];
  const hints: string[] = [];
  // Names in the prose and the SQL that resolve to the model's tables.
  const mentioned = new Map<string, EntityFacts>();
  const byName = entityLookup(ctx);
  for (const word of answerWords(`${answer.answer} ${answer.sql}`)) {
    const entity = byName.get(word.lower) ?? byName.get(word.key);
    if (entity) mentioned.set(entity.entity.id, entity);
  }
  const conceptEntities = question.concepts.map((id) => ctx.match.entityOf.get(id));
  const covered = question.concepts.filter((_, i) => conceptEntities[i] && mentioned.has((conceptEntities[i] as EntityFacts).entity.id));
  const coverage = covered.length / question.concepts.length;
  const notCovered = question.concepts.filter((id) => !covered.includes(id)).map((id) => conceptLabel(ctx, id));
  if (notCovered.length) hints.push(`name where ${notCovered.join(', ')} come from`);

  const named = [...mentioned.values()].slice(0, 8);
  const hub = findJoinHub(ctx, named, ctx.maxJoinHops);
  const connected = named.length === 0 || !hub ? 0 : (hub.reached.length / named.length) * (hub.timestamped ? 1 : 0.5);
  if (named.length && connected < 1) hints.push(`the tables you name are not joined within ${ctx.maxJoinHops} hops to a timestamped fact`);
  for (const entity of named) evidence.push({ kind: 'answer', id: entity.entity.id, name: entity.entity.name, concept: question.id });

  let sqlScore = 0.5;
  if (answer.sql.trim()) {
    const names = sqlNames(answer.sql);
    const byTable = tableLookup(ctx);
    const unknownTables = names.tables.filter((table) => !byTable.has(table));
    const unknownColumns = names.columns.filter(([table, column]) => byTable.has(table) && !byTable.get(table)?.fieldByName.has(column));
    const knownColumns = names.columns.filter(([table]) => byTable.has(table));
    const total = names.tables.length + knownColumns.length;
    sqlScore = total === 0 ? 0.5 : (total - unknownTables.length - unknownColumns.length) / total;
    for (const table of unknownTables) evidence.push({ kind: 'answer', name: table, concept: question.id, note: 'SQL names a table the model lacks' });
    for (const [table, column] of unknownColumns) evidence.push({ kind: 'answer', name: `${table}.${column}`, concept: question.id, note: 'SQL names a column the model lacks' });
    if (unknownTables.length || unknownColumns.length) {
      hints.push(`the SQL uses ${[...unknownTables, ...unknownColumns.map(([t, c]) => `${t}.${c}`)].slice(0, 3).join(', ')}, which the model does not have`);
    }
  } else {
    hints.push('add the SQL that answers it');
  }
  const ratio = 0.2 + 0.4 * coverage + 0.2 * connected + 0.2 * sqlScore;
  return { ratio, evidence, hint: hints.length ? `For “${question.question}”: ${hints.join('; ')}.` : '' };
}

const wordsCache = new Map<string, { lower: string; key: string }[]>();

/** Distinct identifier-like words of an answer, lower-cased and as name keys (cached per text). */
function answerWords(text: string): { lower: string; key: string }[] {
  let words = wordsCache.get(text);
  if (!words) {
    const seen = new Set<string>();
    words = [];
    for (const word of text.split(/[^A-Za-z0-9_]+/)) {
      if (!word || seen.has(word)) continue;
      seen.add(word);
      words.push({ lower: word.toLowerCase(), key: nameKey(word) });
    }
    if (wordsCache.size >= 1000) wordsCache.clear();
    wordsCache.set(text, words);
  }
  return words;
}

const tables = new WeakMap<GradeContext, Map<string, EntityFacts>>();

/** Entities by lower-case name, as SQL names them. */
function tableLookup(ctx: GradeContext): Map<string, EntityFacts> {
  let map = tables.get(ctx);
  if (!map) {
    map = new Map();
    for (const entity of ctx.facts.entities) if (!map.has(entity.entity.name.toLowerCase())) map.set(entity.entity.name.toLowerCase(), entity);
    tables.set(ctx, map);
  }
  return map;
}

const lookups = new WeakMap<GradeContext, Map<string, EntityFacts>>();

/** Entities by lower-case name and by singular name key. */
function entityLookup(ctx: GradeContext): Map<string, EntityFacts> {
  let map = lookups.get(ctx);
  if (!map) {
    map = new Map();
    for (const entity of ctx.facts.entities) {
      if (!map.has(entity.entity.name.toLowerCase())) map.set(entity.entity.name.toLowerCase(), entity);
      if (!map.has(entity.key)) map.set(entity.key, entity);
    }
    lookups.set(ctx, map);
  }
  return map;
}
