import type {
  ChatMessage,
  FlowStage,
  FollowUp,
  FollowUpAnswer,
  FollowUpClosed,
  FollowUpSuggestion,
  Hint,
  Judgment,
  JudgmentVerdict,
  Note,
  PresenceEntry,
  Role,
  ScoreUpdate,
  SessionState,
  StageChange,
  TimelineEvent,
  TimerPayload,
} from '@hatch/protocol';
import type { GradeResponse } from './grade-view';

export type ChannelPhase = 'connecting' | 'connected' | 'offline' | 'refused';
export type SessionMode = 'mock' | 'pair' | 'practice';

/** A verdict of the LLM judge on one follow-up's answer (`judgment` target `followup:<id>`). */
export interface FollowUpVerdict {
  verdict: JudgmentVerdict;
  rationale: string;
}

/** Text the AI interviewer is still writing (`followup:stream`), until its `followup` or `hint` arrives. */
export interface StreamingText {
  streamId: string;
  text: string;
}

/** A problem to show the user: a refused action (`{ ok: false, code, message }`) or a failed load. */
export interface ChannelProblem {
  key: number;
  code: string | null;
  text: string;
}

/**
 * Everything the side panels show of a session, one immutable snapshot per change
 * (for `useSyncExternalStore`). Built from the `/session` socket.io events and the REST timelines.
 */
export interface SessionChannelState {
  role: Role;
  phase: ChannelPhase;
  /** Why the connection was refused or dropped, in words. */
  connectionMessage: string | null;
  mode: SessionMode | null;
  /** This connection's participant (from `GET /api/sessions/:id`), to tell own messages apart. */
  participantId: string | null;
  presence: PresenceEntry[];
  session: SessionState | null;
  timer: TimerPayload | null;
  /** serverNow − local clock when the last `timer` arrived (ms): add it to `Date.now()` for server time. */
  clockOffsetMs: number;
  stage: FlowStage | null;
  chat: ChatMessage[];
  /** Oldest first, with their closing applied. */
  followUps: FollowUp[];
  /** Closings by follow-up id (applied to `followUps`; kept for a follow-up not read yet). */
  closings: Record<string, FollowUpAnswer>;
  hints: Hint[];
  verdicts: Record<string, FollowUpVerdict>;
  streams: StreamingText[];
  /** Interviewers only: the engine's suggestions (null until first asked). */
  suggestions: FollowUpSuggestion[] | null;
  suggestionsAt: string | null;
  /** Interviewers only. */
  notes: Note[];
  /** Score samples in stored order. */
  scores: ScoreUpdate[];
  grade: GradeResponse | null;
  gradeError: string | null;
  /** The stored timeline has been read once (history shown). */
  historyLoaded: boolean;
  problem: ChannelProblem | null;
}

export function initialState(role: Role): SessionChannelState {
  return {
    role,
    phase: 'connecting',
    connectionMessage: null,
    mode: null,
    participantId: null,
    presence: [],
    session: null,
    timer: null,
    clockOffsetMs: 0,
    stage: null,
    chat: [],
    followUps: [],
    closings: {},
    hints: [],
    verdicts: {},
    streams: [],
    suggestions: null,
    suggestionsAt: null,
    notes: [],
    scores: [],
    grade: null,
    gradeError: null,
    historyLoaded: false,
    problem: null,
  };
}

/** Stored ids are decimal strings of any length: compare as numbers without losing precision. */
export function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** Adds or replaces an item by id, keeping the list in id order (events may arrive twice: live and from the timeline). */
export function upsertById<T extends { id: string }>(list: readonly T[], item: T): T[] {
  const index = list.findIndex((x) => x.id === item.id);
  if (index >= 0) {
    const next = list.slice();
    next[index] = item;
    return next;
  }
  const last = list[list.length - 1];
  if (!last || compareIds(last.id, item.id) < 0) return [...list, item];
  return [...list, item].sort((x, y) => compareIds(x.id, y.id));
}

export function maxId(ids: Iterable<string>): string | null {
  let max: string | null = null;
  for (const id of ids) if (max === null || compareIds(id, max) > 0) max = id;
  return max;
}

export function applyFollowUp(state: SessionChannelState, followUp: FollowUp): SessionChannelState {
  // its closing may be known already (a live closing that overtook the timeline read)
  const answer = state.closings[followUp.id];
  const merged: FollowUp = answer ? { ...followUp, status: 'answered', answer } : followUp;
  // the record replaces whatever was streaming
  return { ...state, followUps: upsertById(state.followUps, merged), streams: [] };
}

export function applyFollowUpClosed(state: SessionChannelState, closed: FollowUpClosed): SessionChannelState {
  const answer: FollowUpAnswer = { how: closed.how, text: closed.answer, improvement: closed.improvement, by: closed.closedBy, at: closed.at };
  return {
    ...state,
    closings: { ...state.closings, [closed.followUpId]: answer },
    followUps: state.followUps.map((f) => (f.id === closed.followUpId ? { ...f, status: 'answered', answer } : f)),
  };
}

export function applyJudgment(state: SessionChannelState, judgment: Judgment): SessionChannelState {
  const verdicts = { ...state.verdicts };
  for (const v of judgment.verdicts) {
    if (v.target.startsWith('followup:')) verdicts[v.target.slice('followup:'.length)] = { verdict: v.verdict, rationale: v.rationale };
  }
  return { ...state, verdicts };
}

export function applyStage(state: SessionChannelState, change: StageChange): SessionChannelState {
  return { ...state, stage: change.stage };
}

export function applyTimer(state: SessionChannelState, timer: TimerPayload, receivedAt = Date.now()): SessionChannelState {
  const serverNow = Date.parse(timer.serverNow);
  return { ...state, timer, stage: timer.stage ?? state.stage, clockOffsetMs: Number.isFinite(serverNow) ? serverNow - receivedAt : state.clockOffsetMs };
}

export function applyScore(state: SessionChannelState, score: ScoreUpdate): SessionChannelState {
  return { ...state, scores: upsertById(state.scores, score) };
}

/** Folds stored timeline events (oldest first) into the state: chat, follow-ups, hints, judgments, notes. */
export function applyTimeline(state: SessionChannelState, events: readonly TimelineEvent[]): SessionChannelState {
  let next = state;
  for (const event of events) {
    const at = event.occurredAt;
    switch (event.type) {
      case 'chat':
        next = { ...next, chat: upsertById(next.chat, { id: event.id, at, ...event.payload }) };
        break;
      case 'followup':
        next = applyFollowUp(next, { id: event.id, at, ...event.payload, status: 'open', answer: null });
        break;
      case 'followup:closed':
        next = applyFollowUpClosed(next, { id: event.id, at, ...event.payload });
        break;
      case 'hint':
        next = { ...next, hints: upsertById(next.hints, { id: event.id, at, ...event.payload }) };
        break;
      case 'judgment':
        next = applyJudgment(next, { id: event.id, at, ...event.payload });
        break;
      case 'note':
        next = { ...next, notes: upsertById(next.notes, { id: event.id, at, ...event.payload }) };
        break;
      case 'stage':
        next = { ...next, stage: event.payload.stage };
        break;
      default:
        break;
    }
  }
  return next;
}
