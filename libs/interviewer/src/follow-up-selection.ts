import { type Move, STAGES, type Stage } from '@hatch/grader';
import type { FollowUp } from '@hatch/scenarios';
import { conceptsOfCheck, probeFor, type StageWeakMove, stageWeakMoves } from './grade-view';
import type { InterviewerMove, InterviewState } from './interviewer.types';
import { clip, moveLabel, normalizeQuestion, stageLabel } from './text';

/**
 * Picks follow-ups from the scenario's bank. Ranking, best first:
 * 1. the entry probes one of the stage's weak moves — the costlier that move, the better;
 * 2. the entry belongs to the current stage, then to an earlier stage that probes this one (`move`), then any earlier stage;
 * 3. more of its concepts appear in the failing checks (of that move, else of the stage);
 * 4. bank order.
 * Entries of later stages, and entries already asked (by bank id or by the same normalized text), never qualify.
 */

export interface FollowUpCandidate {
  entry: FollowUp;
  /** The costliest weak move of the stage the entry probes; null when it probes none. */
  move: Move | null;
  weak: StageWeakMove | null;
  tier: number;
  overlap: number;
}

/** Bank ids and normalized texts of every question asked so far (follow-ups and follow-up turns). */
export function askedSoFar(state: InterviewState): { bankIds: Set<string>; texts: Set<string> } {
  const bankIds = new Set<string>();
  const texts = new Set<string>();
  for (const followUp of state.followUps) {
    if (followUp.bankId) bankIds.add(followUp.bankId);
    texts.add(normalizeQuestion(followUp.question));
  }
  for (const turn of state.conversation) if (turn.kind === 'followup') texts.add(normalizeQuestion(turn.text));
  return { bankIds, texts };
}

export function wasAsked(state: InterviewState, question: string, bankId: string | null = null): boolean {
  const asked = askedSoFar(state);
  return (bankId !== null && asked.bankIds.has(bankId)) || asked.texts.has(normalizeQuestion(question));
}

function tierOf(entry: FollowUp, stage: Stage): number | null {
  const at = STAGES.indexOf(stage);
  if (entry.stage === stage) return 0;
  if (entry.move === stage && STAGES.indexOf(entry.stage) < at) return 1;
  if (STAGES.indexOf(entry.stage) < at) return 2;
  return null;
}

/** Every follow-up that may be asked now in `stage`, best first. */
export function rankFollowUps(state: InterviewState, stage: Stage): FollowUpCandidate[] {
  const { scenario, grade } = state;
  const weak = grade ? stageWeakMoves(grade, stage) : [];
  const stageConcepts = new Set(weak.flatMap((m) => m.checks.flatMap((check) => conceptsOfCheck(scenario, check))));
  const asked = askedSoFar(state);
  const candidates: (FollowUpCandidate & { order: number; rank: number })[] = [];
  scenario.followUps.forEach((entry, order) => {
    const tier = tierOf(entry, stage);
    if (tier === null || asked.bankIds.has(entry.id) || asked.texts.has(normalizeQuestion(entry.question))) return;
    const rank = weak.findIndex((m) => entry.probes.includes(m.move));
    const matched = rank >= 0 ? weak[rank] : null;
    const concepts = matched ? new Set(matched.checks.flatMap((check) => conceptsOfCheck(scenario, check))) : stageConcepts;
    const overlap = entry.concepts.filter((id) => concepts.has(id)).length;
    candidates.push({ entry, move: matched?.move ?? null, weak: matched, tier, overlap, order, rank: rank >= 0 ? rank : Infinity });
  });
  candidates.sort((a, b) => a.rank - b.rank || a.tier - b.tier || b.overlap - a.overlap || a.order - b.order);
  return candidates.map(({ entry, move, weak: w, tier, overlap }) => ({ entry, move, weak: w, tier, overlap }));
}

/** Candidates that aim at something weak: a weak move they probe, or concepts of failing checks. */
export const isRelevant = (candidate: FollowUpCandidate) => candidate.move !== null || candidate.overlap > 0;

/** Why a follow-up aimed at a weak move is asked, in one sentence. */
export function weakMoveWhy(weak: StageWeakMove, stage: Stage): string {
  const top = weak.checks[0];
  const cap = moveLabel(weak.move).replace(/^./, (c) => c.toUpperCase());
  return `${cap} lost ${weak.pointsLost} points of ${stageLabel(stage)}${top ? ` (${clip(top.title, 70)})` : ''}, and this question probes it.`;
}

/** The interviewer move for a candidate follow-up; `why` defaults to the weak move it aims at. */
export function followUpMove(state: InterviewState, stage: Stage, candidate: FollowUpCandidate, why?: string): Extract<InterviewerMove, { kind: 'followup' }> {
  const move = candidate.move ?? candidate.entry.probes[0] ?? null;
  const overlapWhy = `It asks about ${candidate.overlap} of the concepts the failing ${stageLabel(stage)} checks are about.`;
  return {
    kind: 'followup',
    bankId: candidate.entry.id,
    question: candidate.entry.question,
    probe: probeFor(state.grade, stage, move),
    why: why ?? (candidate.weak ? weakMoveWhy(candidate.weak, stage) : candidate.overlap > 0 ? overlapWhy : `A ${stageLabel(stage)} question not asked yet.`),
  };
}
