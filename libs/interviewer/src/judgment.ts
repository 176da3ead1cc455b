import { type Check, type Grade, scoreChecks, statusOf } from '@hatch/grader';
import { z } from 'zod';
import { allChecks } from './grade-view';

/**
 * The LLM judge's verdicts on the free-text parts of a session (frame notes, win answers, answers
 * to follow-ups) and how they merge into a grade: a verdict can raise a free-text check, never lower it.
 */

export const verdictValues = ['met', 'partly', 'missed'] as const;
export type VerdictValue = (typeof verdictValues)[number];

export interface Verdict {
  /** A grade check id (`frame.tenancy`, `answer.revenue-per-tenant`) or `followup:<asked follow-up id>`. */
  target: string;
  verdict: VerdictValue;
  /** Why, in a sentence or two; stored with the verdict and added to the check's evidence. */
  rationale: string;
}

export interface Judgment {
  verdicts: Verdict[];
  /** The model that judged, when an LLM did. */
  model?: string;
  /** Epoch milliseconds (`state.now` of the judged state). */
  at?: number;
}

export interface JudgeOutcome {
  judgment: Judgment;
  /** `llm`: the model judged; `none`: nothing was judged (nothing to judge, budget spent, or a failure — see `error`). */
  source: 'llm' | 'none';
  error?: string;
}

export const FOLLOW_UP_TARGET = 'followup:';

/** What the model must answer with (validated; anything else is a malformed judgment). */
export const judgmentReplySchema = z.object({
  verdicts: z
    .array(
      z.object({
        target: z.string().trim().min(1).max(200),
        verdict: z.enum(verdictValues),
        rationale: z.string().trim().min(1).max(1000),
      }),
    )
    .max(200),
});

/** The same shape as a JSON schema, for `response_format: json_schema` (strict mode). */
export const JUDGMENT_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['verdicts'],
  properties: {
    verdicts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['target', 'verdict', 'rationale'],
        properties: {
          target: { type: 'string' },
          verdict: { type: 'string', enum: [...verdictValues] },
          rationale: { type: 'string' },
        },
      },
    },
  },
} as const;

/**
 * Checks about free text, which the judge may raise: the frame checks (`frame.*`, and authored
 * frame rubric entries whose evidence is all frame notes) and the win answers (`answer.*`).
 * Structural checks (`answerable.*`, keys, indexes) are never judged.
 */
export function isJudgedCheck(check: Check): boolean {
  if (check.id.startsWith('frame.') || check.id.startsWith('answer.')) return true;
  return check.source === 'rubric' && check.stage === 'frame' && check.evidence.length > 0 && check.evidence.every((e) => e.kind === 'frame');
}

/** The share of a check's weight a verdict earns at least. */
const VERDICT_RATIO: Record<VerdictValue, number> = { met: 1, partly: 0.5, missed: 0 };

/**
 * A copy of the grade with the judge's verdicts merged: a verdict on a free-text check raises its
 * ratio to the verdict's (met 1, partly 0.5) when that is higher — never below the deterministic
 * result — and adds the rationale to its evidence. Stage scores, total and weak moves are
 * recomputed with the grader's own `scoreChecks`. Verdicts on other targets are ignored.
 */
export function mergeJudgment(grade: Grade, judgment: Judgment): Grade {
  const byTarget = new Map(judgment.verdicts.map((v) => [v.target, v]));
  const copy = structuredClone(grade);
  const checks = allChecks(copy).map((check): Check => {
    const verdict = byTarget.get(check.id);
    if (!verdict || !isJudgedCheck(check)) return check;
    const kind = check.id.startsWith('answer.') ? 'answer' : 'frame';
    const evidence = [...check.evidence, { kind, name: 'judge', note: `${verdict.verdict}: ${verdict.rationale}` } as const];
    const ratio = Math.max(check.ratio, VERDICT_RATIO[verdict.verdict]);
    if (ratio === check.ratio) return { ...check, evidence };
    const status = statusOf(ratio);
    return { ...check, ratio, status, evidence, hint: status === 'passed' ? '' : check.hint };
  });
  return { ...copy, ...scoreChecks(checks) };
}
