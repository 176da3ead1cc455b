import type { CheckSpec } from './check-spec.types';
import { type Outcome, rubricCheck } from './check-result';
import { evaluateAccessPatterns, evaluateActors, evaluateDomain, evaluateFrameMentions, evaluateRules, evaluateTenancy } from './frame-checks';
import type { GradeContext } from './grade-context';
import type { Check } from './grade.types';
import {
  evaluateConcept,
  evaluateConstraints,
  evaluateEvent,
  evaluateIdempotency,
  evaluateMoney,
  evaluateRelationship,
  evaluateRequiredConcepts,
  evaluateRequiredFields,
} from './list-checks';
import {
  evaluateAccessPattern,
  evaluateAppendOnly,
  evaluateStateHistory,
  evaluateTenantScoped,
  evaluateUniqueKeysIncludeTenant,
  evaluateValidityRange,
} from './optimize-checks';
import { evaluateAnswerable, evaluateWinAnswer } from './win-checks';

function evaluate(ctx: GradeContext, spec: CheckSpec): Outcome {
  switch (spec.kind) {
    case 'concept':
      return evaluateConcept(ctx, spec);
    case 'required-concepts':
      return evaluateRequiredConcepts(ctx, spec);
    case 'required-fields':
      return evaluateRequiredFields(ctx, spec);
    case 'relationship':
      return evaluateRelationship(ctx, spec);
    case 'constraints':
      return evaluateConstraints(ctx, spec);
    case 'idempotency-key':
      return evaluateIdempotency(ctx, spec);
    case 'money':
      return evaluateMoney(ctx, spec);
    case 'event':
      return evaluateEvent(ctx, spec);
    case 'access-pattern':
      return evaluateAccessPattern(ctx, spec);
    case 'tenant-scoped':
      return evaluateTenantScoped(ctx, spec);
    case 'unique-keys-include-tenant':
      return evaluateUniqueKeysIncludeTenant(ctx, spec);
    case 'append-only':
      return evaluateAppendOnly(ctx, spec);
    case 'validity-range':
      return evaluateValidityRange(ctx, spec);
    case 'state-history':
      return evaluateStateHistory(ctx, spec);
    case 'answerable':
      return evaluateAnswerable(ctx, spec);
    case 'win-answer':
      return evaluateWinAnswer(ctx, spec);
    case 'frame-domain':
      return evaluateDomain(ctx, spec);
    case 'frame-actors':
      return evaluateActors(ctx, spec);
    case 'frame-rules':
      return evaluateRules(ctx, spec);
    case 'frame-access-patterns':
      return evaluateAccessPatterns(ctx, spec);
    case 'frame-tenancy':
      return evaluateTenancy(ctx, spec);
    case 'frame-mentions':
      return evaluateFrameMentions(ctx, spec);
  }
}

/** Evaluates the scenario's rubric checks (derived and authored) in a stable order. */
export function evaluateRubric(ctx: GradeContext): Check[] {
  return ctx.scenario.specs.map((spec) => rubricCheck(spec, evaluate(ctx, spec)));
}
