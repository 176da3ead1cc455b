import type { Stage } from '@hatch/scenarios';
import { clampRatio, statusOf } from '../check-result';
import { type GradeContext, tablesOf } from '../grade-context';
import type { Check, Evidence, Move } from '../grade.types';
import { isJustified, type JustificationSubject } from '../justification';

/** One element breaking a rule. */
export interface Violation {
  /** What may justify it; a function when building it costs (it is read only while strikes remain). */
  subject: JustificationSubject | (() => JustificationSubject);
  /** Built only for the violations a check reports (the first few), so large models stay cheap. */
  evidence: () => Evidence;
  /** What a coach says about this element. */
  hint: () => string;
}

export interface RuleFindings {
  /** How many elements the rule looked at; 0 means it does not apply (no check is reported). */
  applicable: number;
  violations: Violation[];
}

/**
 * A general schema rule. Rules are warnings: each unjustified violation costs `1 / strikes` of the
 * rule's weight, down to zero; a violation the candidate justified (see justification.ts) costs nothing.
 */
export interface SchemaRule {
  id: string;
  /** One line: what the rule asks for. */
  doc: string;
  title: string;
  stage: Stage;
  move: Move;
  weight: number;
  strikes: number;
  /** Phrases that, next to the element's name, justify a violation. */
  keywords: readonly string[];
  evaluate(ctx: GradeContext): RuleFindings;
}

const MAX_EVIDENCE = 25;

export function ruleCheck(rule: SchemaRule, ctx: GradeContext): Check | null {
  const findings = rule.evaluate(ctx);
  if (findings.applicable === 0) return null;
  const evidence: Evidence[] = [];
  const open: Violation[] = [];
  let justified = 0;
  for (const violation of findings.violations) {
    // Once the strikes are used up the ratio is 0 whatever else is justified: skip the text search.
    const subject = open.length < rule.strikes ? (typeof violation.subject === 'function' ? violation.subject() : violation.subject) : null;
    if (subject && isJustified(ctx.justification, rule.id, rule.keywords, subject)) {
      justified++;
      if (evidence.length < MAX_EVIDENCE) {
        const found = violation.evidence();
        evidence.push({ ...found, note: `${found.note ?? ''} (justified)`.trim() });
      }
    } else {
      open.push(violation);
      if (evidence.length < MAX_EVIDENCE) evidence.push(violation.evidence());
    }
  }
  const hidden = findings.violations.length - evidence.length;
  if (hidden > 0) evidence.push({ kind: evidence[0]?.kind ?? 'entity', name: `… ${hidden} more`, note: 'not listed' });
  const ratio = clampRatio(1 - open.length / rule.strikes);
  const hint = open.length === 0 ? '' : open.length === 1 ? open[0].hint() : `${open[0].hint()} (and ${open.length - 1} more like it)`;
  return {
    id: rule.id,
    stage: rule.stage,
    move: rule.move,
    title: rule.title,
    weight: rule.weight,
    status: statusOf(ratio, justified > 0),
    ratio,
    evidence,
    hint,
    source: 'rule',
    doc: rule.doc,
  };
}

/** Tables (not views) of the model. */
export const tables = (ctx: GradeContext) => tablesOf(ctx);
