import type {
  AckResult,
  ChatSent,
  ClientToServerEvents,
  ConnectErrorData,
  FlowStage,
  FollowUpMarked,
  FollowUpRequested,
  FollowUpSent,
  NoteAdded,
  Role,
  ServerToClientEvents,
  SessionChanged,
  SessionEventFailure,
  StageSet,
  SuggestionsGot,
} from '@hatch/protocol';
import { io, type Socket } from 'socket.io-client';
import { api, ApiError } from '../api/client';
import { sessionRest } from './rest';
import {
  applyFollowUp,
  applyFollowUpClosed,
  applyJudgment,
  applyScore,
  applyStage,
  applyTimeline,
  applyTimer,
  initialState,
  maxId,
  type SessionChannelState,
  upsertById,
} from './session-state';

type SessionSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** After a score event, the full grade is fetched once the scores have been quiet this long. */
const GRADE_DEBOUNCE_MS = 350;
/** An action with no acknowledgement by then is reported as lost. */
const ACK_TIMEOUT_MS = 10_000;

/** Why the server refused the connection (`connect_error` codes, docs/session-events.md), in words. */
export function describeRefusal(data: ConnectErrorData | undefined, fallback: string): string {
  switch (data?.code) {
    case 'TOKEN_EXPIRED':
      return 'Your join link has expired: session events are off. Ask the host for a new link.';
    case 'TOKEN_INVALID':
    case 'TOKEN_MISSING':
      return 'Your join link is not valid for session events.';
    case 'TOKEN_WRONG_SESSION':
      return 'Your join link belongs to another session.';
    case 'SESSION_NOT_FOUND':
      return 'This session does not exist.';
    case 'SESSION_ID_INVALID':
      return 'This session id is malformed.';
    case 'STORAGE_UNAVAILABLE':
      return 'The server cannot reach its database. Reload to try again.';
    default:
      return data?.message ?? fallback;
  }
}

/** A refused action in words: the server's message, the fields at fault, when to retry. */
export function describeFailure(failure: Pick<SessionEventFailure, 'code' | 'message' | 'issues' | 'retryAfterMs'>): string {
  let text = failure.message;
  if (failure.issues?.length) text += ` (${failure.issues.map((i) => `${i.path.replace(/^payload\.?/, '') || 'payload'}: ${i.message}`).join('; ')})`;
  if (failure.code === 'RATE_LIMITED' && failure.retryAfterMs) text += ` Try again in ${Math.ceil(failure.retryAfterMs / 1000)} s.`;
  return text;
}

/**
 * The session's `/session` socket.io channel plus its REST timelines, as one external store:
 * presence, chat, stage, timer (with the server clock offset), status, score samples (read on
 * connect, then live), the current full grade (fetched after each score, debounced), follow-ups,
 * hints, suggestions and private notes. Actions go out with `emitWithAck`; a refusal becomes
 * `state.problem` (shown to the user) and is returned to the caller.
 */
export class SessionStore {
  private state: SessionChannelState;
  private readonly listeners = new Set<() => void>();
  private socket: SessionSocket | null = null;
  private readonly abort = new AbortController();
  /** Cursors of what the REST timelines returned so far (live events never move them: no gaps). */
  private eventsCursor: string | null = null;
  private scoresCursor: string | null = null;
  private gradeTimer: number | undefined;
  private gradeBusy = false;
  private gradeAgain = false;
  private reconnectTimer: number | undefined;
  private problemKey = 0;
  private destroyed = false;

  constructor(
    readonly sessionId: string,
    private readonly token: string,
    readonly role: Role,
  ) {
    this.state = initialState(role);
  }

  getState = (): SessionChannelState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Opens the channel (same origin as the page). */
  connect(url = '/session'): void {
    const socket: SessionSocket = io(url, { auth: { token: this.token, sessionId: this.sessionId }, transports: ['websocket'] });
    this.socket = socket;
    socket.on('connect', () => {
      this.set({ phase: 'connected', connectionMessage: null });
      void this.catchUp();
    });
    socket.on('disconnect', (reason) => {
      if (this.destroyed) return;
      this.set({ phase: 'offline', connectionMessage: reason === 'io server disconnect' ? 'The server closed the connection; reconnecting…' : 'Connection lost; reconnecting…' });
      // socket.io reconnects by itself except after a server-side disconnect
      if (reason === 'io server disconnect') this.reconnectTimer = window.setTimeout(() => socket.connect(), 3000);
    });
    socket.on('connect_error', (error: Error & { data?: ConnectErrorData }) => {
      if (error.data?.code) this.set({ phase: 'refused', connectionMessage: describeRefusal(error.data, error.message) });
      else this.set({ phase: 'offline', connectionMessage: 'Cannot reach the server; retrying…' });
    });
    socket.on('presence', (p) => this.set({ presence: p.participants }));
    socket.on('session', (session) => this.set({ session }));
    socket.on('timer', (timer) => this.update((s) => applyTimer(s, timer)));
    socket.on('stage', (change) => this.update((s) => applyStage(s, change)));
    socket.on('chat', (message) => this.update((s) => ({ ...s, chat: upsertById(s.chat, message) })));
    socket.on('score', (score) => {
      this.update((s) => applyScore(s, score));
      this.scheduleGrade();
    });
    socket.on('followup', (followUp) => this.update((s) => applyFollowUp(s, followUp)));
    socket.on('followup:closed', (closed) => this.update((s) => applyFollowUpClosed(s, closed)));
    socket.on('followup:stream', ({ streamId, delta }) =>
      this.update((s) => {
        const known = s.streams.find((x) => x.streamId === streamId);
        const streams = known ? s.streams.map((x) => (x === known ? { streamId, text: x.text + delta } : x)) : [...s.streams, { streamId, text: delta }];
        return { ...s, streams };
      }),
    );
    socket.on('hint', (hint) => this.update((s) => ({ ...s, hints: upsertById(s.hints, hint), streams: [] })));
    socket.on('judgment', (judgment) => this.update((s) => applyJudgment(s, judgment)));
    socket.on('suggestions', (p) => this.set({ suggestions: p.suggestions, suggestionsAt: p.at }));
    socket.on('note', (note) => this.update((s) => ({ ...s, notes: upsertById(s.notes, note) })));
    socket.on('error', (e) => this.report(e.code, `${e.event === 'connection' ? 'Connection' : e.event}: ${describeFailure(e)}`));
    void this.loadMode();
  }

  destroy(): void {
    this.destroyed = true;
    this.abort.abort();
    window.clearTimeout(this.gradeTimer);
    window.clearTimeout(this.reconnectTimer);
    this.socket?.disconnect();
    this.socket = null;
    this.listeners.clear();
  }

  dismissProblem = (): void => {
    this.set({ problem: null });
  };

  // --- actions -------------------------------------------------------------------------------------

  sendChat(text: string): Promise<AckResult<ChatSent>> {
    return this.request('chat:send', (s) => s.emitWithAck('chat:send', { text }));
  }

  setStage(stage: FlowStage): Promise<AckResult<StageSet>> {
    return this.request('stage:set', (s) => s.emitWithAck('stage:set', { stage }));
  }

  startSession(): Promise<AckResult<SessionChanged>> {
    return this.request('session:start', (s) => s.emitWithAck('session:start', {}));
  }

  endSession(reason?: string): Promise<AckResult<SessionChanged>> {
    return this.request('session:end', (s) => s.emitWithAck('session:end', reason ? { reason } : {}));
  }

  sendFollowUp(question: string, bankId: string | null): Promise<AckResult<FollowUpSent>> {
    return this.request('followup:send', (s) => s.emitWithAck('followup:send', bankId ? { question, bankId } : { question }));
  }

  requestFollowUp(): Promise<AckResult<FollowUpRequested>> {
    return this.request('followup:request', (s) => s.emitWithAck('followup:request', {}));
  }

  markAnswered(followUpId: string, answer?: string): Promise<AckResult<FollowUpMarked>> {
    return this.request('followup:answered', (s) => s.emitWithAck('followup:answered', answer ? { followUpId, answer } : { followUpId }));
  }

  addNote(text: string): Promise<AckResult<NoteAdded>> {
    return this.request('note:add', (s) => s.emitWithAck('note:add', { text }));
  }

  async refreshSuggestions(): Promise<AckResult<SuggestionsGot>> {
    const result = await this.request('suggestions:get', (s) => s.emitWithAck('suggestions:get', {}), { quiet: true });
    if (result.ok) this.set({ suggestions: result.suggestions, suggestionsAt: new Date().toISOString() });
    return result;
  }

  // --- internals -----------------------------------------------------------------------------------

  private async request<T extends object>(
    event: keyof ClientToServerEvents,
    send: (socket: SessionSocket) => Promise<AckResult<T>>,
    options: { quiet?: boolean } = {},
  ): Promise<AckResult<T>> {
    const socket = this.socket;
    let result: AckResult<T>;
    if (!socket?.connected) {
      result = { ok: false, code: 'INTERNAL_ERROR', message: 'Not connected to the session right now; try again in a moment.' };
    } else {
      try {
        result = await send(socket.timeout(ACK_TIMEOUT_MS) as unknown as SessionSocket);
      } catch {
        result = { ok: false, code: 'INTERNAL_ERROR', message: 'The server did not answer in time; try again.' };
      }
    }
    if (!result.ok && !options.quiet) this.report(result.code, describeFailure(result), event);
    return result;
  }

  private report(code: string | null, text: string, event?: string): void {
    if (this.destroyed) return;
    this.set({ problem: { key: ++this.problemKey, code, text: event ? `${actionLabel(event)}: ${text}` : text } });
  }

  private async loadMode(): Promise<void> {
    try {
      const view = await api.session(this.sessionId, this.token);
      if (!this.destroyed) this.set({ mode: view.mode, participantId: view.you.participantId });
    } catch {
      // the room itself reports a session that cannot be read
    }
  }

  /** On every (re)connect: what was stored since the last read, then the full grade and the suggestions. */
  private async catchUp(): Promise<void> {
    const signal = this.abort.signal;
    try {
      const [events, scores] = await Promise.all([
        sessionRest.events(this.sessionId, this.token, this.eventsCursor, signal),
        sessionRest.scores(this.sessionId, this.token, this.scoresCursor, signal),
      ]);
      if (this.destroyed) return;
      this.eventsCursor = maxId([...(this.eventsCursor ? [this.eventsCursor] : []), ...events.map((e) => e.id)]);
      this.scoresCursor = maxId([...(this.scoresCursor ? [this.scoresCursor] : []), ...scores.map((s) => s.id)]);
      this.update((s) => {
        let next = applyTimeline(s, events);
        for (const score of scores) next = applyScore(next, score);
        return { ...next, historyLoaded: true };
      });
    } catch (error) {
      if (signal.aborted) return;
      this.report(error instanceof ApiError ? error.code : null, `Could not load the session history: ${(error as Error).message}`);
    }
    void this.fetchGrade();
    if (this.role === 'interviewer') void this.refreshSuggestions();
  }

  private scheduleGrade(): void {
    window.clearTimeout(this.gradeTimer);
    this.gradeTimer = window.setTimeout(() => void this.fetchGrade(), GRADE_DEBOUNCE_MS);
  }

  /** One grade request at a time; a score arriving meanwhile asks once more afterwards. Older answers never replace newer. */
  private async fetchGrade(): Promise<void> {
    if (this.gradeBusy) {
      this.gradeAgain = true;
      return;
    }
    this.gradeBusy = true;
    try {
      const response = await sessionRest.grade(this.sessionId, this.token, this.abort.signal);
      if (this.destroyed) return;
      this.update((s) => (s.grade && s.grade.seq > response.seq ? s : { ...s, grade: response, gradeError: null }));
    } catch (error) {
      if (this.abort.signal.aborted) return;
      const text = error instanceof ApiError && error.code === 'SCENARIO_NOT_FOUND' ? 'This session’s scenario is no longer in the library: no checks to show.' : (error as Error).message;
      this.set({ gradeError: text });
    } finally {
      this.gradeBusy = false;
    }
    if (this.gradeAgain && !this.destroyed) {
      this.gradeAgain = false;
      void this.fetchGrade();
    }
    if (this.role === 'interviewer' && this.state.mode !== 'pair' && !this.destroyed) void this.refreshSuggestions();
  }

  private set(patch: Partial<SessionChannelState>): void {
    this.update((s) => ({ ...s, ...patch }));
  }

  private update(change: (state: SessionChannelState) => SessionChannelState): void {
    if (this.destroyed) return;
    const next = change(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

const ACTION_LABELS: Record<string, string> = {
  'chat:send': 'Chat not sent',
  'stage:set': 'Stage not changed',
  'session:start': 'Session not started',
  'session:end': 'Session not ended',
  'followup:send': 'Follow-up not sent',
  'followup:request': 'No follow-up',
  'followup:answered': 'Follow-up not updated',
  'note:add': 'Note not saved',
  'suggestions:get': 'No suggestions',
};

function actionLabel(event: string): string {
  return ACTION_LABELS[event] ?? event;
}
