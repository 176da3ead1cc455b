import { MOVE_SUMMARIES, type Move } from '@hatch/grader';
import { checkLoss, stageWeakMoves } from './grade-view';
import { followUpMove, isRelevant, rankFollowUps } from './follow-up-selection';
import type { AskedFollowUp, Interviewer, InterviewerMove, InterviewState } from './interviewer.types';
import { DEFAULT_PACING, type Pacing, pacingOf, type PacingOptions, progressAt } from './pacing';
import { clip, minutes, normalizeQuestion, stageLabel } from './text';

export interface OfflineInterviewerOptions {
  /** No meaningful change for this long is a stall (default 3 min). */
  stallAfterMs?: number;
  /** The least time between two interviewer moves in a mock interview, so it does not pester (default 45 s). */
  quietMs?: number;
  /** An open follow-up with no answer and no progress for this long gets one hint (default 4 min). */
  openHintAfterMs?: number;
  /** Pacing thresholds relative to the scenario's `timePerStage`. */
  pacing?: Partial<PacingOptions>;
}

interface Config {
  stallAfterMs: number;
  quietMs: number;
  openHintAfterMs: number;
  pacing: PacingOptions;
}

export const OFFLINE_DEFAULTS = { stallAfterMs: 180_000, quietMs: 45_000, openHintAfterMs: 240_000 } as const;

type Hint = Extract<InterviewerMove, { kind: 'hint' }>;

const latest = (...times: (number | null)[]): number | null => times.reduce<number | null>((max, t) => (t === null ? max : max === null ? t : Math.max(max, t)), null);

const silence = (why: string): InterviewerMove => ({ kind: 'silence', why });

const INTERVIEWERS = new Set(['interviewer', 'ai-interviewer']);

export const openFollowUp = (state: InterviewState): AskedFollowUp | null => state.followUps.find((f) => f.closed === null) ?? null;

function resolveOptions(options: OfflineInterviewerOptions): Config {
  const positive = (name: string, value: number | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number of milliseconds ≥ 0, got ${value}`);
    return value;
  };
  return {
    stallAfterMs: positive('stallAfterMs', options.stallAfterMs, OFFLINE_DEFAULTS.stallAfterMs),
    quietMs: positive('quietMs', options.quietMs, OFFLINE_DEFAULTS.quietMs),
    openHintAfterMs: positive('openHintAfterMs', options.openHintAfterMs, OFFLINE_DEFAULTS.openHintAfterMs),
    pacing: { ...DEFAULT_PACING, ...options.pacing },
  };
}

/**
 * The deterministic interviewer: follow-ups from the scenario's bank aimed at the grader's weak
 * moves, pacing from the scenario's time per stage, stall detection. Time comes only from
 * `state.now`. README.md spells out the order of its decisions.
 */
export function createOfflineInterviewer(options: OfflineInterviewerOptions = {}): Interviewer {
  const config = resolveOptions(options);
  return {
    kind: 'offline',
    next: async (state) => decideNext(state, config),
    suggest: (state, limit) => suggestFollowUps(state, limit),
  };
}

function decideNext(state: InterviewState, config: Config): InterviewerMove {
  if (state.mode === 'pair') return silence('A person interviews in pair mode; the engine only suggests follow-ups.');
  const pace = pacingOf(state, config.pacing);
  if (!pace) return silence('The session has not started.');
  if (!state.grade) return silence('There is no grade to aim a follow-up at yet.');
  const onDemand = state.mode === 'practice';
  const progress = progressAt(state);
  const sinceProgress = progress === null ? 0 : state.now - progress;
  // The quiet period runs from the interviewer's last move or the last answer, whichever is later,
  // so an answered question leaves the candidate time to act on it.
  const quietFrom = latest(state.lastInterviewerMoveAt, ...state.followUps.map((f) => f.closed?.at ?? null));
  const quiet = quietFrom !== null && state.now - quietFrom < config.quietMs;
  // A stall restarts with each interviewer move: one nudge per stalled stretch, not one per quiet period.
  const stallFrom = latest(progress, state.lastInterviewerMoveAt);
  const stalled = stallFrom !== null && state.now - stallFrom >= config.stallAfterMs;

  const open = openFollowUp(state);
  if (open) {
    const waited = state.now - open.askedAt;
    const working = progress !== null && progress > open.askedAt;
    if (onDemand) return openHint(state, open, 'The candidate asked for help while a follow-up is open.');
    if (waited >= config.openHintAfterMs && !working && !hintedAbout(state, open) && !quiet) {
      return openHint(state, open, `No answer and no progress for ${minutes(waited)} since the follow-up was asked.`);
    }
    return silence('A follow-up is open: waiting for the answer (chat or model) before asking another.');
  }
  if (!onDemand && quiet) return silence(`Quiet period: the interviewer spoke or the candidate answered ${Math.round((state.now - (quietFrom ?? 0)) / 1000)} s ago.`);

  const stage = pace.stage;
  if (pace.next && pace.phase === 'hard-limit') {
    return { kind: 'stage', to: pace.next, why: `${stageLabel(stage)} has run ${minutes(pace.elapsedMs)} of its planned ${minutes(pace.limitMs)}: time to move on whatever the score (${pace.stageScore}).` };
  }
  if (pace.next && (pace.phase === 'near-end' || pace.phase === 'over') && pace.good) {
    return { kind: 'stage', to: pace.next, why: `${stageLabel(stage)} scores ${pace.stageScore} and has used ${minutes(pace.elapsedMs)} of ${minutes(pace.limitMs)}: move on to ${stageLabel(pace.next)}.` };
  }
  if ((pace.phase === 'over' || pace.phase === 'hard-limit') && !pace.good && !nudged(state, pace)) {
    const nudge = pacingNudge(state, pace);
    if (nudge) return nudge;
  }

  const ranked = rankFollowUps(state, stage);
  const relevant = ranked.find(isRelevant);
  if (relevant && (onDemand || stalled || pace.phase !== 'early')) {
    const move = followUpMove(state, stage, relevant);
    if (stalled && !onDemand) move.why = `No progress for ${minutes(sinceProgress)}. ${move.why}`;
    return move;
  }
  if (pace.strong && (pace.phase === 'early' || pace.phase === 'mid')) {
    const deeper = ranked.find((c) => c.tier === 0) ?? ranked[0];
    if (deeper) {
      return followUpMove(state, stage, deeper, `${stageLabel(stage)} is strong (${pace.stageScore}) with ${minutes(pace.limitMs - pace.elapsedMs)} to spare: go deeper.`);
    }
  }
  if (stalled || onDemand) {
    const hint = coachingHint(state, pace, stalled && !onDemand ? `No progress for ${minutes(sinceProgress)} and no follow-up left to ask.` : 'The candidate asked for help.');
    if (hint) return hint;
  }
  if (onDemand && pace.next && pace.good) return { kind: 'stage', to: pace.next, why: `${stageLabel(stage)} scores ${pace.stageScore}: nothing left to ask here, so move on to ${stageLabel(pace.next)}.` };
  if (pace.phase === 'early') return silence(`Early in ${stageLabel(stage)} (${minutes(pace.elapsedMs)} of ${minutes(pace.limitMs)}): let the candidate work.`);
  return silence(`Nothing worth interrupting for in ${stageLabel(stage)} right now.`);
}

function suggestFollowUps(state: InterviewState, limit: number): InterviewerMove[] {
  const count = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
  if (!state.stage || count === 0) return [];
  const stage = state.stage;
  const ranked = rankFollowUps(state, stage);
  const ordered = [...ranked.filter(isRelevant), ...ranked.filter((c) => !isRelevant(c))];
  return ordered.slice(0, count).map((candidate) => followUpMove(state, stage, candidate));
}

const saidBefore = (state: InterviewState, text: string) => state.conversation.some((turn) => turn.kind === 'hint' && normalizeQuestion(turn.text) === normalizeQuestion(text));

const hintedAbout = (state: InterviewState, followUp: AskedFollowUp) =>
  state.conversation.some((turn) => turn.kind === 'hint' && turn.followUpId === followUp.id && INTERVIEWERS.has(turn.speaker));

/** A pacing nudge counts once per stage: any interviewer hint since the stage ran over its time. */
const nudged = (state: InterviewState, pace: Pacing) =>
  state.conversation.some((turn) => turn.kind === 'hint' && INTERVIEWERS.has(turn.speaker) && turn.at >= (state.stageStartedAt ?? 0) + pace.limitMs);

/** The coaching line of the probed checks, else of the move. */
function coachingFor(state: InterviewState, move: Move | null, checkIds: readonly string[]): string {
  const checks = state.grade ? Object.values(state.grade.stages).flatMap((s) => s.checks) : [];
  for (const id of checkIds) {
    const hint = checks.find((c) => c.id === id)?.hint;
    if (hint) return hint;
  }
  return (move && MOVE_SUMMARIES[move]) || 'take it one part at a time.';
}

function openHint(state: InterviewState, open: AskedFollowUp, why: string): Hint {
  const line = coachingFor(state, open.probe.move, open.probe.checks);
  return { kind: 'hint', text: `Still on “${clip(open.question, 140)}” — ${line}`, move: open.probe.move, why };
}

function pacingNudge(state: InterviewState, pace: Pacing): Hint | null {
  const weak = state.grade ? stageWeakMoves(state.grade, pace.stage)[0] : undefined;
  const line = weak ? coachingFor(state, weak.move, weak.checks.map((c) => c.id)) : '';
  const then = pace.next ? `then let's move on to ${stageLabel(pace.next)}` : "then let's wrap up";
  const text = `We're past the ${minutes(pace.limitMs)} planned for ${stageLabel(pace.stage)}. ${line ? `${line} — ${then}.` : `Finish what you're on, ${then}.`}`;
  if (saidBefore(state, text)) return null;
  return { kind: 'hint', text, move: weak?.move ?? null, why: `${stageLabel(pace.stage)} is over its time (${minutes(pace.elapsedMs)}) and scores ${pace.stageScore}.` };
}

/** The hint of the costliest failing check of the stage not given before. */
function coachingHint(state: InterviewState, pace: Pacing, why: string): Hint | null {
  const grade = state.grade;
  if (!grade) return null;
  const checks = stageWeakMoves(grade, pace.stage)
    .flatMap((m) => m.checks)
    .sort((a, b) => checkLoss(grade, b) - checkLoss(grade, a));
  const check = checks.find((c) => c.hint && !saidBefore(state, c.hint));
  return check ? { kind: 'hint', text: check.hint, move: check.move, why } : null;
}
