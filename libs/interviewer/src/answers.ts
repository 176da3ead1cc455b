import type { Grade } from '@hatch/grader';
import { probeLoss } from './grade-view';
import type { AskedFollowUp, ConversationTurn, InterviewState } from './interviewer.types';
import { openFollowUp } from './offline-interviewer';

/** How an open follow-up was answered: the candidate's chat text, or a model edit that improved what it probes. */
export interface FollowUpAnswer {
  /** The asked follow-up's id (the stored event's id). */
  followUpId: string;
  how: 'chat' | 'model';
  /** Epoch milliseconds: the chat turn's time, or `state.now` for a grade. */
  at: number;
  /** The chat text; null for a model answer. */
  answer: string | null;
  /** For a model answer: the probed points lost before and now. */
  improvement?: Improvement;
}

export interface Improvement {
  /** Points the probe had lost when the follow-up was asked (its baseline). */
  before: number;
  /** Points it loses in the grade given. */
  now: number;
  improved: boolean;
}

/** Something that may answer the open follow-up: a chat turn, or a new grade of the model. */
export type AnswerInput = { kind: 'chat'; turn: ConversationTurn } | { kind: 'grade'; grade: Grade };

/** A chat turn answers when it carries at least this many letters or digits (so "ok" or "?" do not close a question). */
const MIN_ANSWER_CHARS = 3;

/**
 * Does this input answer the open follow-up? Pure. A candidate's chat (or answer) turn after the
 * question closes it with the text; a grade in which the probed checks lost fewer points than at
 * the baseline closes it as answered through the model. Null when nothing is open or it does not answer.
 */
export function answerFor(state: InterviewState, input: AnswerInput): FollowUpAnswer | null {
  const open = openFollowUp(state);
  if (!open) return null;
  if (input.kind === 'chat') {
    const { turn } = input;
    if (turn.speaker !== 'candidate' || (turn.kind !== 'chat' && turn.kind !== 'answer')) return null;
    if (turn.at < open.askedAt || (turn.followUpId && turn.followUpId !== open.id)) return null;
    const text = turn.text.trim();
    if ((text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < MIN_ANSWER_CHARS) return null;
    return { followUpId: open.id, how: 'chat', at: turn.at, answer: text };
  }
  const change = improvement(open, input.grade);
  return change.improved ? { followUpId: open.id, how: 'model', at: state.now, answer: null, improvement: change } : null;
}

/**
 * Whether the probed move improved since the follow-up was asked: the points its probed checks
 * (or, with none named, its move in the probed stage) lose now against the baseline. Without a
 * baseline there is nothing to compare: `before` is taken as `now` and nothing improved.
 */
export function improvement(followUp: AskedFollowUp, grade: Grade): Improvement {
  const now = probeLoss(grade, followUp.probe);
  const before = followUp.baseline ? followUp.baseline.pointsLost : now;
  return { before, now, improved: now < before - 0.05 };
}
