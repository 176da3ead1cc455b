import { STAGES, type Stage } from '@hatch/grader';
import type { InterviewState } from './interviewer.types';

/** Pacing thresholds, relative to the scenario's minutes for the stage (`timePerStage`). */
export interface PacingOptions {
  /** Below this share of the stage's time the stage is "early" (default 0.4). */
  earlyRatio: number;
  /** From this share the stage is "near its end": a good stage moves on (default 0.85). */
  nearEndRatio: number;
  /** From this share the stage moves on whatever its score (default 1.5). */
  hardLimitRatio: number;
  /** A stage score from which the stage is good enough to move on (default 70). */
  goodScore: number;
  /** A stage score from which the stage is strong: early, the interviewer goes deeper (default 85). */
  strongScore: number;
}

export const DEFAULT_PACING: PacingOptions = { earlyRatio: 0.4, nearEndRatio: 0.85, hardLimitRatio: 1.5, goodScore: 70, strongScore: 85 };

export type PacingPhase = 'early' | 'mid' | 'near-end' | 'over' | 'hard-limit';

export interface Pacing {
  stage: Stage;
  elapsedMs: number;
  limitMs: number;
  /** elapsed / limit */
  ratio: number;
  phase: PacingPhase;
  stageScore: number;
  good: boolean;
  strong: boolean;
  /** The stage after this one; null in the last stage. */
  next: Stage | null;
}

export function nextStage(stage: Stage): Stage | null {
  const i = STAGES.indexOf(stage);
  return i >= 0 && i < STAGES.length - 1 ? STAGES[i + 1] : null;
}

/** Where the current stage stands against its time; null before the session starts. */
export function pacingOf(state: InterviewState, options: PacingOptions = DEFAULT_PACING): Pacing | null {
  const { stage, stageStartedAt } = state;
  if (!stage || stageStartedAt === null) return null;
  const limitMs = state.scenario.timePerStage[stage] * 60_000;
  const elapsedMs = Math.max(0, state.now - stageStartedAt);
  const ratio = limitMs > 0 ? elapsedMs / limitMs : 0;
  const phase: PacingPhase =
    ratio >= options.hardLimitRatio ? 'hard-limit' : ratio >= 1 ? 'over' : ratio >= options.nearEndRatio ? 'near-end' : ratio < options.earlyRatio ? 'early' : 'mid';
  const stageScore = state.grade?.stages[stage].score ?? 0;
  return {
    stage,
    elapsedMs,
    limitMs,
    ratio,
    phase,
    stageScore,
    good: stageScore >= options.goodScore,
    strong: stageScore >= options.strongScore,
    next: nextStage(stage),
  };
}

/**
 * When the candidate last made progress: `lastProgressAt`, or the last score sample whose scores
 * differ from the one before; at the latest the stage start (a new stage is a fresh start).
 */
export function progressAt(state: InterviewState): number | null {
  let at = state.lastProgressAt;
  for (let i = state.history.length - 1; i > 0; i--) {
    const [before, after] = [state.history[i - 1], state.history[i]];
    if (after.total !== before.total || STAGES.some((s) => after.stages[s] !== before.stages[s])) {
      at = Math.max(at ?? 0, after.at);
      break;
    }
  }
  const start = state.stageStartedAt ?? state.sessionStartedAt;
  if (start !== null) at = Math.max(at ?? start, start);
  return at;
}
