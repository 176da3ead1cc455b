import { z } from 'zod';
import type { Role } from './roles';

/**
 * The session event channel: socket.io namespace `/session` (default path `/socket.io`) carrying
 * presence, chat, stage changes, the timer, session start/end, score updates, follow-ups, hints and the
 * interviewer's private notes.
 * These types are shared by the server and every client; docs/session-events.md describes each event.
 */
export const SESSION_EVENTS_NAMESPACE = '/session';

/** The FLOW stages in order: Frame → List → Optimize → Win (the same ids as scenario files). */
export const flowStages = ['frame', 'list', 'optimize', 'win'] as const;
export type FlowStage = (typeof flowStages)[number];

export const sessionStatuses = ['created', 'live', 'ended'] as const;
export type SessionStatus = (typeof sessionStatuses)[number];

/** Longest chat message, in JavaScript string length (UTF-16 code units), after trimming. */
export const CHAT_MAX_LENGTH = 4000;
/** Longest `reason` of `session:end`. */
export const END_REASON_MAX_LENGTH = 500;

// ---------------------------------------------------------------------------------------------
// Handshake

/** `io(url + '/session', { auth: { token, sessionId } })`; the query string (`?token=&sessionId=`) works too. */
export interface SessionEventsAuth {
  token: string;
  sessionId: string;
}

/** Codes a refused connection carries in `connect_error`'s `err.data.code`. */
export const connectErrorCodes = [
  'TOKEN_MISSING',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'TOKEN_WRONG_SESSION',
  'SESSION_ID_INVALID',
  'SESSION_NOT_FOUND',
  'STORAGE_UNAVAILABLE',
] as const;
export type ConnectErrorCode = (typeof connectErrorCodes)[number];

export interface ConnectErrorData {
  code: ConnectErrorCode;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Who did it

/** The built-in AI interviewer acts with the interviewer's rights but without a participant. */
export type ActorRole = Role | 'ai-interviewer';

export interface EventActor {
  /** Null for the AI interviewer. */
  participantId: string | null;
  role: ActorRole;
  displayName: string;
}

export const AI_INTERVIEWER_ACTOR: EventActor = { participantId: null, role: 'ai-interviewer', displayName: 'AI interviewer' };

// ---------------------------------------------------------------------------------------------
// Server → client payloads. `id` is the stored event's id (decimal string, increasing per database),
// `at` its ISO-8601 time: the same values the timeline endpoint returns.

export interface PresenceEntry {
  participantId: string;
  displayName: string;
  role: Role;
  /** ISO time of the oldest of this participant's open connections. */
  connectedSince: string;
  /** Open connections (tabs, devices) of this participant, across every api process. */
  connections: number;
}

export interface PresencePayload {
  sessionId: string;
  /** Ordered by role (candidate, interviewer, observer, reviewer), then by `connectedSince`. */
  participants: PresenceEntry[];
}

export interface ChatMessage {
  id: string;
  author: { participantId: string | null; displayName: string };
  role: ActorRole;
  text: string;
  at: string;
}

export interface StageChange {
  id: string;
  stage: FlowStage;
  /** Null for the first stage, stored when the session starts. */
  previous: FlowStage | null;
  changedBy: EventActor;
  at: string;
}

export interface SessionState {
  /** The stored `session:start`/`session:end` event behind this state; null in the snapshot sent on connect. */
  id: string | null;
  status: SessionStatus;
  startedAt: string | null;
  endedAt: string | null;
  /** Who made the change; null in the snapshot sent on connect. */
  by: EventActor | null;
  /** The reason given to `session:end`, if any. */
  reason: string | null;
}

/**
 * Everything a client needs for countdowns, sent on connect, on every stage change and start/end, and
 * every 15 s: remaining = minutesPerStage[stage] × 60 s − (serverNow − stageStartedAt), with the
 * client's clock offset taken from `serverNow`.
 */
export interface TimerPayload {
  status: SessionStatus;
  sessionStartedAt: string | null;
  sessionEndedAt: string | null;
  /** Null until the session starts. */
  stage: FlowStage | null;
  stageStartedAt: string | null;
  /** The scenario's suggested minutes per stage; null when the scenario is no longer in the library. */
  minutesPerStage: Record<FlowStage, number> | null;
  serverNow: string;
}

/** A weak move of a grade: a named move (e.g. `tenant-boundaries`), the stage points its failed checks cost, their ids. */
export interface ScoreWeakMove {
  move: string;
  pointsLost: number;
  checks: string[];
}

/**
 * A grade sample, pushed live and listed by `GET /api/sessions/:id/scores`. `id` is the `score_samples`
 * row id; `seq` the highest committed update of the document it grades; `at` when it was sampled.
 */
export interface ScoreUpdate {
  id: string;
  seq: number;
  at: string;
  /** The mean of the four stage scores, 0–100. */
  total: number;
  stages: Record<FlowStage, number>;
  /** Costliest first. */
  weakMoves: ScoreWeakMove[];
}

// ---------------------------------------------------------------------------------------------
// Follow-ups, hints, notes and suggestions (the AI interviewer and the human interviewer's console)

/** Longest follow-up question, after trimming. */
export const FOLLOWUP_MAX_LENGTH = 1000;
/** Longest private note, after trimming. */
export const NOTE_MAX_LENGTH = 4000;
/** Longest written answer to a follow-up (`followup:answered`), after trimming. */
export const ANSWER_MAX_LENGTH = CHAT_MAX_LENGTH;

/** What a follow-up probes: a weak move of the grade and the checks behind it (move null and no checks for a free question). */
export interface FollowUpProbe {
  stage: FlowStage;
  move: string | null;
  checks: string[];
}

/**
 * How a follow-up was closed: `chat` the candidate answered in words (a chat message, or
 * `followup:answered` with an answer), `model` a new grade shows the probed move improved, `marked` an
 * interviewer marked it answered, `superseded` a new follow-up was asked while it was still open.
 */
export const followUpClosings = ['chat', 'model', 'marked', 'superseded'] as const;
export type FollowUpClosing = (typeof followUpClosings)[number];

/** Did the model get better where the follow-up probed? The points the probe lost when asked and at the closing grade. */
export interface FollowUpImprovement {
  before: number;
  now: number;
  improved: boolean;
}

export interface FollowUpAnswer {
  how: FollowUpClosing;
  /** The words of the answer (`chat`, or an interviewer's summary when marking); null otherwise. */
  text: string | null;
  improvement: FollowUpImprovement | null;
  by: EventActor;
  at: string;
}

/** A follow-up question put to the candidate. `id` identifies it (the stored `followup` event). */
export interface FollowUp {
  id: string;
  /** The scenario follow-up bank entry it came from; null for a free question (edited or written for this session). */
  bankId: string | null;
  /** The session's stage when it was asked. */
  stage: FlowStage;
  question: string;
  probe: FollowUpProbe;
  /** Why now, in a sentence (the engine's reason); null for a question a person wrote. */
  why: string | null;
  /** The probe's points lost and its stage's score when asked (null before the first grade): what "improved" is measured against. */
  baseline: { stageScore: number; pointsLost: number } | null;
  askedBy: EventActor;
  at: string;
  /** `open` until answered; the `followup` event always says `open`. */
  status: 'open' | 'answered';
  answer: FollowUpAnswer | null;
}

/** `followup:closed`: a follow-up was answered (or superseded). `id` is the stored closure event's id. */
export interface FollowUpClosed {
  id: string;
  /** The follow-up it closes. */
  followUpId: string;
  how: FollowUpClosing;
  answer: string | null;
  /** The chat message that answered it (`how: 'chat'` from chat), else null. */
  chatId: string | null;
  improvement: FollowUpImprovement | null;
  closedBy: EventActor;
  at: string;
}

/** A follow-up the engine suggests to a human interviewer (pair mode): send it as is, or edited. */
export interface FollowUpSuggestion {
  bankId: string | null;
  question: string;
  probe: FollowUpProbe;
  why: string;
}

/** `suggestions`: the engine's best follow-ups for now, best first; interviewers only. */
export interface SuggestionsPayload {
  sessionId: string;
  suggestions: FollowUpSuggestion[];
  at: string;
}

/** A nudge of the AI interviewer (pacing, a stalled model), to the room. */
export interface Hint {
  id: string;
  text: string;
  move: string | null;
  why: string;
  /** The open follow-up it helps with, if any. */
  followUpId: string | null;
  by: EventActor;
  at: string;
}

/** An interviewer's private note: sent to and listed for interviewers only, never to candidates or observers. */
export interface Note {
  id: string;
  text: string;
  author: EventActor;
  at: string;
}

/** Text of a follow-up or hint while the LLM writes it; the `followup` or `hint` event that follows is the record. */
export interface FollowUpStreamDelta {
  streamId: string;
  delta: string;
}

export const judgmentVerdicts = ['met', 'partly', 'missed'] as const;
export type JudgmentVerdict = (typeof judgmentVerdicts)[number];

/**
 * The LLM judge's verdicts on the free text of a session (frame notes, win answers, answers to
 * follow-ups), each with its rationale (stored as `judgment`). A verdict can raise a free-text check
 * in the interviewer's view of the grade, never lower it.
 */
export interface Judgment {
  id: string;
  verdicts: Array<{
    /** A grade check id (`frame.tenancy`, `answer.revenue-per-tenant`) or `followup:<follow-up id>`. */
    target: string;
    verdict: JudgmentVerdict;
    rationale: string;
  }>;
  /** The model that judged. */
  model: string | null;
  at: string;
}

// ---------------------------------------------------------------------------------------------
// Errors and acknowledgements

export const sessionEventErrorCodes = [
  /** The sender's role may not do this (e.g. a candidate moving the stage). */
  'FORBIDDEN_ROLE',
  /** The payload does not match the event's schema; `issues` says where. */
  'INVALID_PAYLOAD',
  /** Too many events from this connection; `retryAfterMs` says when to try again. */
  'RATE_LIMITED',
  /** The event needs a live session and this one has not started. */
  'SESSION_NOT_STARTED',
  /** The session has ended. */
  'SESSION_ENDED',
  /** The event could not be stored (database unreachable); nothing was broadcast. */
  'STORAGE_UNAVAILABLE',
  /** `followup:answered` named no follow-up of this session. */
  'FOLLOWUP_NOT_FOUND',
  /** The event does not apply to this session's mode (e.g. `followup:request` outside practice). */
  'WRONG_MODE',
  /** Anything else; details are in the server log. */
  'INTERNAL_ERROR',
] as const;
export type SessionEventErrorCode = (typeof sessionEventErrorCodes)[number];

export interface PayloadIssue {
  /** Dotted path inside the payload, `payload` for the payload itself (`payload.text`). */
  path: string;
  message: string;
}

export interface SessionEventFailure {
  ok: false;
  code: SessionEventErrorCode;
  message: string;
  issues?: PayloadIssue[];
  retryAfterMs?: number;
}

/** What an acknowledgement callback receives. */
export type AckResult<T extends object> = ({ ok: true } & T) | SessionEventFailure;
export type Ack<T extends object> = (result: AckResult<T>) => void;

/**
 * The `error` event: a refused request from a client that passed no acknowledgement callback, or
 * (`event: 'connection'`) a connection the server could not record, which it then closes.
 */
export interface SessionEventErrorPayload extends Omit<SessionEventFailure, 'ok'> {
  /** The client event it answers. */
  event: ClientEventName | 'connection';
}

export interface ChatSent {
  message: ChatMessage;
}
export interface StageSet {
  stage: FlowStage;
  /** False when the session already was at that stage (nothing stored or broadcast). */
  changed: boolean;
}
export interface SessionChanged {
  session: SessionState;
  /** False when the session already had that status (nothing stored or broadcast). */
  changed: boolean;
}

// ---------------------------------------------------------------------------------------------
// Client → server payloads, validated by the server with these schemas.

/** Events without a payload accept a missing payload as `{}`. */
const emptyAsObject = (value: unknown) => (value === undefined || value === null ? {} : value);

export const chatSendSchema = z.strictObject({
  text: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(CHAT_MAX_LENGTH, `must be at most ${CHAT_MAX_LENGTH} characters`),
});
export const stageSetSchema = z.strictObject({
  stage: z.enum(flowStages, { error: `must be one of ${flowStages.join(', ')}` }),
});
export const sessionStartSchema = z.preprocess(emptyAsObject, z.strictObject({}));
export const sessionEndSchema = z.preprocess(
  emptyAsObject,
  z.strictObject({
    reason: z.string().trim().max(END_REASON_MAX_LENGTH, `must be at most ${END_REASON_MAX_LENGTH} characters`).optional(),
  }),
);

/** Stored event ids are decimal strings. */
const eventIdSchema = z.string().regex(/^\d{1,18}$/, 'must be an event id (a whole number as a string)');

export const followupSendSchema = z.strictObject({
  question: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(FOLLOWUP_MAX_LENGTH, `must be at most ${FOLLOWUP_MAX_LENGTH} characters`),
  /** The suggestion's bank entry, when sending a suggestion (as is or edited). */
  bankId: z.string().min(1).max(100, 'must be at most 100 characters').nullable().optional(),
});
export const followupRequestSchema = z.preprocess(emptyAsObject, z.strictObject({}));
export const followupAnsweredSchema = z.strictObject({
  followUpId: eventIdSchema,
  answer: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(ANSWER_MAX_LENGTH, `must be at most ${ANSWER_MAX_LENGTH} characters`)
    .optional(),
});
export const noteAddSchema = z.strictObject({
  text: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(NOTE_MAX_LENGTH, `must be at most ${NOTE_MAX_LENGTH} characters`),
});
export const suggestionsGetSchema = z.preprocess(emptyAsObject, z.strictObject({}));

export type ChatSendPayload = z.input<typeof chatSendSchema>;
export type StageSetPayload = z.input<typeof stageSetSchema>;
export type SessionStartPayload = Record<string, never>;
export type SessionEndPayload = { reason?: string };
export type FollowupSendPayload = z.input<typeof followupSendSchema>;
export type FollowupRequestPayload = Record<string, never>;
export type FollowupAnsweredPayload = z.input<typeof followupAnsweredSchema>;
export type NoteAddPayload = z.input<typeof noteAddSchema>;
export type SuggestionsGetPayload = Record<string, never>;

export interface FollowUpSent {
  followUp: FollowUp;
}
/** What the engine did on request: asked a follow-up, gave a hint (e.g. about the open follow-up), moved on, or nothing. */
export interface FollowUpRequested {
  kind: 'followup' | 'hint' | 'stage' | 'silence';
  followUp: FollowUp | null;
  hint: Hint | null;
  stage: FlowStage | null;
  /** The engine's reason, in a sentence. */
  why: string;
}
export interface FollowUpMarked {
  followUp: FollowUp;
  /** False when it was already closed (nothing stored or broadcast). */
  changed: boolean;
}
export interface NoteAdded {
  note: Note;
}
export interface SuggestionsGot {
  suggestions: FollowUpSuggestion[];
}

/**
 * Events a client emits. The acknowledgement is typed as required so `emitWithAck` works; a client
 * that sends none gets refusals as an `error` event instead.
 */
export interface ClientToServerEvents {
  /** Any role but observer and reviewer. */
  'chat:send': (payload: ChatSendPayload, ack: Ack<ChatSent>) => void;
  /** Interviewer only; any stage, forward or back, while the session is live. */
  'stage:set': (payload: StageSetPayload, ack: Ack<StageSet>) => void;
  /** Interviewer only: created → live. */
  'session:start': (payload: SessionStartPayload, ack: Ack<SessionChanged>) => void;
  /** Interviewer only: created or live → ended. */
  'session:end': (payload: SessionEndPayload, ack: Ack<SessionChanged>) => void;
  /** Interviewer only: asks a follow-up (a suggestion as is or edited, or a question of their own). */
  'followup:send': (payload: FollowupSendPayload, ack: Ack<FollowUpSent>) => void;
  /** Candidate only, practice sessions: a follow-up on demand. */
  'followup:request': (payload: FollowupRequestPayload, ack: Ack<FollowUpRequested>) => void;
  /** Interviewer (marks it answered) or candidate (answers it in words, `answer` required). */
  'followup:answered': (payload: FollowupAnsweredPayload, ack: Ack<FollowUpMarked>) => void;
  /** Interviewer only: a private note, sent to interviewers only. */
  'note:add': (payload: NoteAddPayload, ack: Ack<NoteAdded>) => void;
  /** Interviewer only: the engine's current suggestions. */
  'suggestions:get': (payload: SuggestionsGetPayload, ack: Ack<SuggestionsGot>) => void;
}

export type ClientEventName = keyof ClientToServerEvents;

export const clientEventSchemas = {
  'chat:send': chatSendSchema,
  'stage:set': stageSetSchema,
  'session:start': sessionStartSchema,
  'session:end': sessionEndSchema,
  'followup:send': followupSendSchema,
  'followup:request': followupRequestSchema,
  'followup:answered': followupAnsweredSchema,
  'note:add': noteAddSchema,
  'suggestions:get': suggestionsGetSchema,
} satisfies Record<ClientEventName, z.ZodType>;

/** Events the server emits. */
export interface ServerToClientEvents {
  presence: (payload: PresencePayload) => void;
  chat: (payload: ChatMessage) => void;
  stage: (payload: StageChange) => void;
  session: (payload: SessionState) => void;
  timer: (payload: TimerPayload) => void;
  score: (payload: ScoreUpdate) => void;
  followup: (payload: FollowUp) => void;
  'followup:closed': (payload: FollowUpClosed) => void;
  'followup:stream': (payload: FollowUpStreamDelta) => void;
  hint: (payload: Hint) => void;
  judgment: (payload: Judgment) => void;
  /** Interviewers only. */
  suggestions: (payload: SuggestionsPayload) => void;
  /** Interviewers only. */
  note: (payload: Note) => void;
  error: (payload: SessionEventErrorPayload) => void;
}

/** Nothing is sent between api processes beyond what the Redis adapter itself does. */
export type InterServerEvents = Record<string, never>;

/** `socket.data` on the server; visible to every process through `fetchSockets()`. */
export interface SessionSocketData {
  sessionId: string;
  participantId: string;
  role: Role;
  displayName: string;
  connectedAt: string;
}

// ---------------------------------------------------------------------------------------------
// The stored timeline (`GET /api/sessions/:id/events`). Each payload is the broadcast payload without
// `id` and `at`, which come from the row: `chat` = { id, at: occurredAt, ...payload }.

export interface StoredEventPayloads {
  'presence:join': { participantId: string; displayName: string; role: Role; connectionId: string };
  'presence:leave': { participantId: string; displayName: string; role: Role; connectionId: string; reason: string };
  chat: Omit<ChatMessage, 'id' | 'at'>;
  stage: Omit<StageChange, 'id' | 'at'>;
  'session:start': { by: EventActor };
  'session:end': { by: EventActor; reason: string | null };
  followup: Omit<FollowUp, 'id' | 'at' | 'status' | 'answer'>;
  'followup:closed': Omit<FollowUpClosed, 'id' | 'at'>;
  hint: Omit<Hint, 'id' | 'at'>;
  judgment: Omit<Judgment, 'id' | 'at'>;
  /** Private: interviewers only (`mayReadStoredEvent`). */
  note: Omit<Note, 'id' | 'at'>;
}

export type StoredEventType = keyof StoredEventPayloads;

export const storedEventTypes = [
  'presence:join',
  'presence:leave',
  'chat',
  'stage',
  'session:start',
  'session:end',
  'followup',
  'followup:closed',
  'hint',
  'judgment',
  'note',
] as const satisfies readonly StoredEventType[];

/** Stored events only interviewers may receive, live or from the timeline. */
export const privateEventTypes = ['note'] as const satisfies readonly StoredEventType[];

export const mayReadStoredEvent = (role: Role, type: string): boolean =>
  role === 'interviewer' || !(privateEventTypes as readonly string[]).includes(type);

export type TimelineEvent = {
  [K in StoredEventType]: {
    id: string;
    type: K;
    actorParticipantId: string | null;
    occurredAt: string;
    payload: StoredEventPayloads[K];
  };
}[StoredEventType];

export interface TimelinePage {
  sessionId: string;
  /** Oldest first (by id). */
  events: TimelineEvent[];
  /** Pass as `?after=` for the next page; null on the last page. */
  nextAfter: string | null;
}

/** Largest page of `GET /api/sessions/:id/events`. */
export const TIMELINE_PAGE_MAX = 500;
export const TIMELINE_PAGE_DEFAULT = 100;

// ---------------------------------------------------------------------------------------------
// Scores over time (`GET /api/sessions/:id/scores`): the stored score samples, the same shape as the
// `score` event.

export interface ScoreTimelinePage {
  sessionId: string;
  /** In the order they were stored (by id); `seq` says which document state each grades. */
  samples: ScoreUpdate[];
  /** Pass as `?after=` for the next page; null on the last page. */
  nextAfter: string | null;
}

/** Largest page of `GET /api/sessions/:id/scores`. */
export const SCORE_PAGE_MAX = 500;
export const SCORE_PAGE_DEFAULT = 100;
