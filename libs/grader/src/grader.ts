import type { Model } from '@hatch/model';
import type { Scenario } from '@hatch/scenarios';
import { matchConcepts } from './concept-matcher';
import { findCandidateTenant, type GradeContext, newMemo } from './grade-context';
import type { Check, Grade, GradeOptions, GradeSummary, Stage, StageGrade } from './grade.types';
import { GradeInputError } from './grader.errors';
import { buildJustificationIndex } from './justification';
import { buildModelFacts } from './model-facts';
import { ruleCheck, SCHEMA_RULES } from './rules';
import { evaluateRubric } from './rubric-evaluator';
import { scenarioFacts } from './scenario-facts';
import { weakMoves } from './weak-moves';

export const STAGES: readonly Stage[] = ['frame', 'list', 'optimize', 'win'];

const DEFAULTS = { maxJoinHops: 3, matchThreshold: 0.6 };

/**
 * Grades a model against a scenario on the four FLOW stages. Pure and deterministic: the same
 * model, scenario and options give the same grade, checks in a stable order. Scenario-side work
 * (concept indexes, derived checks) is cached per scenario object.
 */
export function grade(model: Model, scenario: Scenario, options: GradeOptions = {}): Grade {
  checkInput(model, scenario, options);
  const scenarioSide = scenarioFacts(scenario);
  const facts = buildModelFacts(model);
  const threshold = options.matchThreshold ?? DEFAULTS.matchThreshold;
  const match = matchConcepts(facts, scenarioSide, threshold);
  const ctx: GradeContext = {
    model,
    facts,
    scenario: scenarioSide,
    match,
    tenant: findCandidateTenant(facts, scenarioSide, match),
    justification: buildJustificationIndex(model),
    maxJoinHops: options.maxJoinHops ?? DEFAULTS.maxJoinHops,
    memo: newMemo(),
  };

  const checks: Check[] = evaluateRubric(ctx);
  const disabled = new Set(options.disabledRules ?? []);
  for (const rule of SCHEMA_RULES) {
    if (disabled.has(rule.id)) continue;
    const check = ruleCheck(rule, ctx);
    if (check) checks.push(check);
  }

  const { stages, total, weakMoves } = scoreChecks(checks);
  const missingFields: string[] = [];
  for (const concept of scenarioSide.concepts) {
    if (!match.entityOf.has(concept.concept.id)) continue;
    const mapped = match.fieldOf.get(concept.concept.id);
    for (const field of concept.concept.fields) if (!mapped?.has(field.name)) missingFields.push(`${concept.concept.id}.${field.name}`);
  }
  return {
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    stages,
    total,
    weakMoves,
    mapping: { entities: match.entities, fields: match.fields, events: match.events },
    unmatched: {
      entities: match.unmatchedEntities,
      fields: match.unmatchedFields,
      events: match.unmatchedEvents,
      missing: {
        concepts: scenarioSide.concepts.filter((c) => !match.entityOf.has(c.concept.id)).map((c) => c.concept.id),
        fields: missingFields,
        events: scenarioSide.events.filter((event) => !match.eventOf.has(event.name)).map((event) => event.name),
      },
    },
  };
}

/**
 * Stage scores, total and weak moves from a list of checks: how `grade` scores, exported for
 * callers that adjust checks afterwards (the interviewer's judge raising free-text checks).
 */
export function scoreChecks(checks: readonly Check[]): Pick<Grade, 'stages' | 'total' | 'weakMoves'> {
  const stages = {} as Record<Stage, StageGrade>;
  const exact: number[] = [];
  for (const stage of STAGES) {
    const stageChecks = checks.filter((check) => check.stage === stage);
    const weight = stageChecks.reduce((sum, check) => sum + check.weight, 0);
    const earned = stageChecks.reduce((sum, check) => sum + check.weight * check.ratio, 0);
    const score = weight === 0 ? 0 : (100 * earned) / weight;
    exact.push(score);
    stages[stage] = { score: Math.round(score), checks: stageChecks };
  }
  return { stages, total: Math.round(exact.reduce((a, b) => a + b, 0) / STAGES.length), weakMoves: weakMoves(stages) };
}

/** The compact form stored per score sample: stage scores, total and weak moves, no evidence. */
export function gradeSummary(result: Grade): GradeSummary {
  return {
    scenarioId: result.scenarioId,
    scenarioVersion: result.scenarioVersion,
    stages: { frame: result.stages.frame.score, list: result.stages.list.score, optimize: result.stages.optimize.score, win: result.stages.win.score },
    total: result.total,
    weakMoves: result.weakMoves.map(({ move, pointsLost, checks }) => ({ move, pointsLost, checks })),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Cheap shape checks (the model is usually validated upstream): enough to fail with a clear message instead of a crash. */
function checkInput(model: unknown, scenario: unknown, options: GradeOptions) {
  if (!isObject(model)) throw new GradeInputError('GRADE_INVALID_MODEL', 'the model must be an object (a Hatch model as JSON)');
  for (const key of ['entities', 'relationships', 'events'] as const) {
    if (!Array.isArray(model[key])) throw new GradeInputError('GRADE_INVALID_MODEL', `model.${key} must be a list; parse the model with parseModel() first`);
  }
  if (!isObject(model.frame) || !isObject(model.win)) throw new GradeInputError('GRADE_INVALID_MODEL', 'model.frame and model.win must be objects; parse the model with parseModel() first');
  (model.entities as unknown[]).forEach((entity, i) => {
    if (!isObject(entity) || !Array.isArray(entity.fields) || !Array.isArray(entity.indexes) || !Array.isArray(entity.constraints)) {
      throw new GradeInputError('GRADE_INVALID_MODEL', `model.entities[${i}] needs fields, indexes and constraints lists; parse the model with parseModel() first`);
    }
  });
  if (!isObject(scenario) || !Array.isArray(scenario.concepts) || !isObject(scenario.referenceModel) || !isObject(scenario.rubric)) {
    throw new GradeInputError('GRADE_INVALID_SCENARIO', 'the scenario must be a loaded Scenario (loadScenarioLibrary or parseScenario)');
  }
  if (options.maxJoinHops !== undefined && (!Number.isInteger(options.maxJoinHops) || options.maxJoinHops < 1 || options.maxJoinHops > 8)) {
    throw new GradeInputError('GRADE_INVALID_OPTIONS', 'maxJoinHops must be a whole number from 1 to 8');
  }
  if (options.matchThreshold !== undefined && !(options.matchThreshold > 0 && options.matchThreshold <= 1)) {
    throw new GradeInputError('GRADE_INVALID_OPTIONS', 'matchThreshold must be in (0, 1]');
  }
}
