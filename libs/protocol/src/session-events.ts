import { z } from 'zod';
import type { Role } from './roles';

/**
 * The session event channel: socket.io namespace `/session` (default path `/socket.io`) carrying
 * presence, chat, stage changes, the timer, session start/end, and later score updates and follow-ups.
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

/** A follow-up question put to the candidate (declared now, emitted by the interviewer issue). */
export interface FollowUp {
  id: string;
  /** The scenario follow-up bank entry it came from, if any. */
  followUpId: string | null;
  stage: FlowStage;
  question: string;
  askedBy: EventActor;
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

export type ChatSendPayload = z.input<typeof chatSendSchema>;
export type StageSetPayload = z.input<typeof stageSetSchema>;
export type SessionStartPayload = Record<string, never>;
export type SessionEndPayload = { reason?: string };

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
}

export type ClientEventName = keyof ClientToServerEvents;

export const clientEventSchemas = {
  'chat:send': chatSendSchema,
  'stage:set': stageSetSchema,
  'session:start': sessionStartSchema,
  'session:end': sessionEndSchema,
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
  followup: Omit<FollowUp, 'id' | 'at'>;
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
] as const satisfies readonly StoredEventType[];

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
