import type { Grade, GradeSummary, Move } from '@hatch/grader';
import type { Model } from '@hatch/model';
import type { Scenario, Stage } from '@hatch/scenarios';

/**
 * One interface for every interviewer (offline, LLM, and the suggestions shown to a human): given
 * what has happened in the session, propose the next move. Interviewers are pure decision makers:
 * they never emit or store anything; the api turns a move into a session event.
 */

/** How a session is run: the AI interviewer drives; a person interviews (the engine only suggests); the candidate alone. */
export type SessionMode = 'mock' | 'pair' | 'practice';

/** Who said something in the conversation. */
export type Speaker = 'candidate' | 'interviewer' | 'ai-interviewer';

export interface ConversationTurn {
  /** Epoch milliseconds. */
  at: number;
  speaker: Speaker;
  kind: 'chat' | 'followup' | 'hint' | 'answer';
  text: string;
  /** For `followup` and `answer`: the asked follow-up's id. */
  followUpId?: string;
}

/** A score sample of the session so far (the stored `score_samples`, oldest first). */
export interface ScorePoint extends Pick<GradeSummary, 'stages' | 'total' | 'weakMoves'> {
  /** Epoch milliseconds. */
  at: number;
  /** The document sequence number the sample grades. */
  seq: number;
}

/** What a follow-up probes: the weak move and the checks behind it, so a later grade shows whether it improved. */
export interface Probe {
  stage: Stage;
  move: Move | null;
  checks: string[];
}

/** A follow-up that has been asked. */
export interface AskedFollowUp {
  /** The stored event's id. */
  id: string;
  /** The scenario follow-up bank entry it came from; null for a free question (an edited or LLM-written one). */
  bankId: string | null;
  question: string;
  probe: Probe;
  /** Epoch milliseconds. */
  askedAt: number;
  /** The probed move's points lost and the stage score when it was asked: the baseline for "did it improve". */
  baseline: { stageScore: number; pointsLost: number } | null;
  closed: { at: number; how: 'chat' | 'model' | 'marked'; answer: string | null } | null;
}

/** Everything an interviewer may look at. Times are epoch milliseconds; `now` comes from the caller's clock. */
export interface InterviewState {
  scenario: Scenario;
  mode: SessionMode;
  now: number;
  /** Null until the session starts. */
  stage: Stage | null;
  sessionStartedAt: number | null;
  stageStartedAt: number | null;
  /** The current full grade, null before the first one. */
  grade: Grade | null;
  /** The current model (for the LLM's compact summary). */
  model: Model | null;
  history: ScorePoint[];
  conversation: ConversationTurn[];
  /** Every follow-up asked so far, oldest first; at most one has `closed === null`. */
  followUps: AskedFollowUp[];
  /** When the model last changed meaningfully (a grade moved, an element was added); null if never. */
  lastProgressAt: number | null;
  /** When the interviewer last spoke (follow-up, hint, stage change); null if never. */
  lastInterviewerMoveAt: number | null;
}

export type InterviewerMove =
  | {
      kind: 'followup';
      /** The bank entry, or null when the question was written for this session. */
      bankId: string | null;
      question: string;
      probe: Probe;
      /** Why now, in a sentence (shown to a human interviewer with the suggestion). */
      why: string;
    }
  | { kind: 'stage'; to: Stage; why: string }
  | { kind: 'hint'; text: string; move: Move | null; why: string }
  | { kind: 'silence'; why: string };

export interface NextMoveOptions {
  signal?: AbortSignal;
  /** Streamed text of a follow-up or hint as the model writes it (LLM interviewer only). */
  onText?: (delta: string) => void;
}

export interface Interviewer {
  readonly kind: 'offline' | 'llm';
  next(state: InterviewState, options?: NextMoveOptions): Promise<InterviewerMove>;
  /** Up to `limit` follow-ups a human interviewer could send now, best first (never ones already asked). */
  suggest(state: InterviewState, limit: number): InterviewerMove[];
}
