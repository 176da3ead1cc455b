import { type Check, type Grade, type Move, pointsLost, STAGES, type Stage } from '@hatch/grader';
import type { Scenario } from '@hatch/scenarios';
import type { Probe } from './interviewer.types';

/**
 * Read-only views of a grade the interviewers decide with: the weak moves of one stage, the
 * concepts the failing checks are about, and the points a probe has lost.
 */

export interface StageWeakMove {
  move: Move;
  /** Points of this stage's score the move's checks lost. */
  pointsLost: number;
  /** Failed or partial checks of the move in this stage, costliest first. */
  checks: Check[];
}

const isOpen = (check: Check) => check.status === 'failed' || check.status === 'partial';

const stageWeight = (grade: Grade, stage: Stage) => grade.stages[stage].checks.reduce((sum, check) => sum + check.weight, 0);

export const allChecks = (grade: Grade): Check[] => STAGES.flatMap((stage) => grade.stages[stage].checks);

/** Points of its stage's score a check lost (0 when passed or justified). */
export function checkLoss(grade: Grade, check: Check): number {
  return pointsLost(check, stageWeight(grade, check.stage));
}

/** The weak moves of one stage, costliest first (ties by move name), as the grader ranks them over all stages. */
export function stageWeakMoves(grade: Grade, stage: Stage): StageWeakMove[] {
  const total = stageWeight(grade, stage);
  const byMove = new Map<Move, StageWeakMove>();
  for (const check of grade.stages[stage].checks) {
    const lost = pointsLost(check, total);
    if (lost <= 0 || !isOpen(check)) continue;
    let entry = byMove.get(check.move);
    if (!entry) byMove.set(check.move, (entry = { move: check.move, pointsLost: 0, checks: [] }));
    entry.pointsLost += lost;
    entry.checks.push(check);
  }
  const moves = [...byMove.values()];
  for (const move of moves) {
    move.checks.sort((a, b) => pointsLost(b, total) - pointsLost(a, total) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    move.pointsLost = Math.round(move.pointsLost * 10) / 10;
  }
  return moves.sort((a, b) => b.pointsLost - a.pointsLost || (a.move < b.move ? -1 : a.move > b.move ? 1 : 0));
}

/**
 * Scenario concept ids a check is about: from its evidence (`concept` names a concept, a product
 * question, an access pattern or a rule) and from the parts of its id (`tenant-scoped.invoice-item`).
 */
export function conceptsOfCheck(scenario: Scenario, check: Check): string[] {
  const concepts = new Set(scenario.concepts.map((c) => c.id));
  const found = new Set<string>();
  const resolve = (name: string) => {
    if (concepts.has(name)) found.add(name);
    const owner = scenario.productQuestions.find((q) => q.id === name) ?? scenario.accessPatterns.find((p) => p.id === name) ?? scenario.rules.find((r) => r.id === name);
    for (const id of owner?.concepts ?? []) found.add(id);
  };
  for (const part of check.id.split('.').slice(1)) resolve(part);
  for (const evidence of check.evidence) if (evidence.concept) resolve(evidence.concept);
  return [...found];
}

/** The points a probe stands for in a grade: its checks' losses, or its move's losses in its stage when it names no checks. */
export function probeLoss(grade: Grade, probe: Probe): number {
  let lost = 0;
  if (probe.checks.length > 0) {
    const wanted = new Set(probe.checks);
    for (const check of allChecks(grade)) if (wanted.has(check.id)) lost += checkLoss(grade, check);
  } else if (probe.move) {
    lost = stageWeakMoves(grade, probe.stage).find((m) => m.move === probe.move)?.pointsLost ?? 0;
  }
  return Math.round(lost * 10) / 10;
}

/** What the api stores with an asked follow-up: the probed points lost and the stage score now. */
export function probeBaseline(grade: Grade, probe: Probe): { stageScore: number; pointsLost: number } {
  return { stageScore: grade.stages[probe.stage].score, pointsLost: probeLoss(grade, probe) };
}

/** The probe of a move in a stage: its failing checks there (or anywhere when none fail in the stage). */
export function probeFor(grade: Grade | null, stage: Stage, move: Move | null): Probe {
  if (!grade || !move) return { stage, move, checks: [] };
  const inStage = grade.stages[stage].checks.filter((c) => c.move === move && isOpen(c)).map((c) => c.id);
  const checks = inStage.length > 0 ? inStage : (grade.weakMoves.find((m) => m.move === move)?.checks ?? []);
  return { stage, move, checks: [...checks] };
}
