import type { CheckSpec } from './check-spec.types';
import type { Check, CheckStatus, Evidence } from './grade.types';

/** What evaluating one check found. */
export interface Outcome {
  ratio: number;
  evidence: Evidence[];
  /** The coach's line when the check is not passed. */
  hint: string;
}

export const clampRatio = (ratio: number) => Math.round(Math.min(1, Math.max(0, ratio)) * 1000) / 1000;

export function statusOf(ratio: number, justified = false): CheckStatus {
  if (ratio >= 1) return justified ? 'justified' : 'passed';
  return ratio <= 0 ? 'failed' : 'partial';
}

/** A rubric check from its spec and outcome; the spec's authored hint wins over the generated one. */
export function rubricCheck(spec: CheckSpec, outcome: Outcome): Check {
  const ratio = clampRatio(outcome.ratio);
  return {
    id: spec.id,
    stage: spec.stage,
    move: spec.move,
    title: spec.title,
    weight: spec.weight,
    status: statusOf(ratio),
    ratio,
    evidence: outcome.evidence,
    hint: ratio >= 1 ? '' : spec.hint || outcome.hint,
    source: 'rubric',
    doc: spec.doc,
  };
}

/** Mean of part ratios; 0 for none. */
export const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
