import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  type ChatMessage,
  type ChatSent,
  type ClientEventName,
  clientEventSchemas,
  type EventActor,
  type FlowStage,
  mayReadStoredEvent,
  privateEventTypes,
  type Role,
  type SessionChanged,
  type SessionSocketData,
  type SessionState,
  type StageChange,
  type StageSet,
  type StoredEventPayloads,
  type TimelineEvent,
  type TimelinePage,
  type TimerPayload,
} from '@hatch/protocol';
import type { z } from 'zod';
import { toFieldErrors } from '../../common/zod-validation.pipe';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { ScenarioCatalog } from '../scenarios/scenario-catalog.service';
import { KeyedSerialQueue } from './keyed-serial-queue';
import { ParticipantAccessService } from './participant-access.service';
import { TokenBucket } from './rate-limiter';
import { SessionBroadcaster } from './session-broadcaster';
import { SessionEventError } from './session-event.error';
import {
  type LockedSessionReader,
  type NewSessionEvent,
  type SessionEventRecord,
  SessionEventRepository,
  type SessionSnapshot,
  type SessionWrite,
  type SessionWriteResult,
} from './session-event.repository';

/** One socket.io connection of a participant. */
export interface SessionClient extends SessionSocketData {
  connectionId: string;
}

const CHAT_ROLES: readonly Role[] = ['candidate', 'interviewer'];
const CONTROL_ROLES: readonly Role[] = ['interviewer'];

/** Per connection: every event, and chat on top. Bursts pass; floods get RATE_LIMITED. */
export const RATE_LIMITS = {
  anyEvent: { capacity: 30, perSecond: 10 },
  chat: { capacity: 10, perSecond: 1 },
} as const;

const SHUTDOWN_DRAIN_MS = 5000;

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

export const actorOf = (client: SessionClient): EventActor => ({
  participantId: client.participantId,
  role: client.role,
  displayName: client.displayName,
});

/**
 * The rules of the session event channel: who may do what, the stage and status transitions, and the
 * order "store, then broadcast". Transport-free: the gateway hands it clients and raw payloads, the
 * broadcaster emits, the repository stores.
 */
@Injectable()
export class SessionEventsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SessionEvents');
  private readonly queue = new KeyedSerialQueue();
  private readonly limits = new Map<string, { anyEvent: TokenBucket; chat: TokenBucket }>();
  private ticker: NodeJS.Timeout | undefined;
  private ticking = false;
  private readonly storedListeners: Array<(sessionId: string, events: SessionEventRecord[]) => void> = [];

  constructor(
    private readonly repository: SessionEventRepository,
    private readonly broadcaster: SessionBroadcaster,
    private readonly access: ParticipantAccessService,
    private readonly scenarios: ScenarioCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.ticker = setInterval(() => void this.tick(), this.config.sessionTimerIntervalSeconds * 1000);
    this.ticker.unref();
  }

  /** Closes this process's connections (their `presence:leave` is stored) and waits for pending writes. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.ticker);
    this.broadcaster.disconnectLocal();
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.queue.drain(), new Promise((resolve) => (timeout = setTimeout(resolve, SHUTDOWN_DRAIN_MS)))]);
    clearTimeout(timeout);
  }

  // --- connections -------------------------------------------------------------------------------

  /**
   * A connection joined: stores `presence:join` (and, for the first candidate of a created session, the
   * start), then tells the room who is here and the newcomer where the session stands.
   */
  join(client: SessionClient): Promise<void> {
    const at = new Date();
    return this.queue.run(client.sessionId, async () => {
      await this.store(() => this.repository.markSeen(client.sessionId, client.participantId, at));
      const result = await this.write(client.sessionId, (snapshot) => {
        const joined = this.presenceEvent('presence:join', client, at);
        if (client.role === 'candidate' && snapshot.session.status === 'created') {
          const start = this.startWrite(actorOf(client), at);
          return { ...start, events: [joined, ...start.events] };
        }
        return { events: [joined] };
      });
      this.broadcaster.toSession(client.sessionId, 'presence', await this.broadcaster.presence(client.sessionId));
      if (result.before.session.status !== result.after.session.status) {
        this.announceStart(result, actorOf(client));
      } else {
        this.broadcaster.toConnection(client.connectionId, 'session', this.stateOf(result.after));
        this.broadcaster.toConnection(client.connectionId, 'timer', this.timerOf(result.after));
      }
    });
  }

  /** A connection left: stores `presence:leave` and tells the room who is still here. */
  leave(client: SessionClient, reason: string): Promise<void> {
    this.limits.delete(client.connectionId);
    const at = new Date();
    return this.queue.run(client.sessionId, async () => {
      await this.store(() => this.repository.markSeen(client.sessionId, client.participantId, at));
      await this.store(() => this.repository.append(client.sessionId, [this.presenceEvent('presence:leave', client, at, reason)]));
      this.broadcaster.toSession(client.sessionId, 'presence', await this.broadcaster.presence(client.sessionId));
    });
  }

  // --- client requests ---------------------------------------------------------------------------

  chat(client: SessionClient, payload: unknown): Promise<ChatSent> {
    this.admit(client, 'chat:send');
    this.requireRole(client, CHAT_ROLES, 'send chat messages');
    const { text } = this.parse('chat:send', payload);
    return this.queue.run(client.sessionId, async () => {
      const at = new Date();
      const stored: StoredEventPayloads['chat'] = {
        author: { participantId: client.participantId, displayName: client.displayName },
        role: client.role,
        text,
      };
      const result = await this.write(client.sessionId, (snapshot) => {
        if (snapshot.session.status === 'ended') throw sessionEnded();
        return { events: [{ type: 'chat', actorParticipantId: client.participantId, payload: stored, occurredAt: at }] };
      });
      const [event] = result.events;
      const message: ChatMessage = { id: event.id, ...stored, at: event.occurredAt.toISOString() };
      this.broadcaster.toSession(client.sessionId, 'chat', message);
      return { message };
    });
  }

  setStage(client: SessionClient, payload: unknown): Promise<StageSet> {
    this.admit(client, 'stage:set');
    this.requireRole(client, CONTROL_ROLES, 'change the stage');
    const { stage } = this.parse('stage:set', payload);
    return this.changeStage(client.sessionId, stage, actorOf(client));
  }

  start(client: SessionClient, payload: unknown): Promise<SessionChanged> {
    this.admit(client, 'session:start');
    this.requireRole(client, CONTROL_ROLES, 'start the session');
    this.parse('session:start', payload);
    return this.startSession(client.sessionId, actorOf(client));
  }

  end(client: SessionClient, payload: unknown): Promise<SessionChanged> {
    this.admit(client, 'session:end');
    this.requireRole(client, CONTROL_ROLES, 'end the session');
    const { reason } = this.parse('session:end', payload);
    return this.endSession(client.sessionId, actorOf(client), reason || null);
  }

  // --- server-side actions (the AI interviewer and the participants' requests above) --------------

  /** Moves the stage, forward or back, while the session is live. Setting the current stage changes nothing. */
  changeStage(sessionId: string, stage: FlowStage, actor: EventActor): Promise<StageSet> {
    return this.queue.run(sessionId, async () => {
      const at = new Date();
      const result = await this.write(sessionId, (snapshot) => {
        if (snapshot.session.status === 'created') throw new SessionEventError('SESSION_NOT_STARTED', 'The session has not started yet');
        if (snapshot.session.status === 'ended') throw sessionEnded();
        const previous = (snapshot.stage?.stage ?? null) as FlowStage | null;
        if (previous === stage) return { events: [] };
        return { events: [this.stageEvent(stage, previous, actor, at)] };
      });
      if (result.events.length > 0) {
        this.broadcaster.toSession(sessionId, 'stage', this.stageChangeOf(result.events[0]));
        this.broadcaster.toSession(sessionId, 'timer', this.timerOf(result.after));
      }
      return { stage, changed: result.events.length > 0 };
    });
  }

  /** created → live, storing `session:start` and the first stage (frame). */
  startSession(sessionId: string, actor: EventActor): Promise<SessionChanged> {
    return this.queue.run(sessionId, async () => {
      const result = await this.write(sessionId, (snapshot) => {
        if (snapshot.session.status === 'ended') throw sessionEnded();
        return snapshot.session.status === 'created' ? this.startWrite(actor, new Date()) : { events: [] };
      });
      const changed = result.events.length > 0;
      if (changed) this.announceStart(result, actor);
      return { session: changed ? this.stateOf(result.after, result.events[0], actor) : this.stateOf(result.after), changed };
    });
  }

  /** created or live → ended, storing `session:end`. Ending an ended session changes nothing. */
  endSession(sessionId: string, actor: EventActor, reason: string | null): Promise<SessionChanged> {
    return this.queue.run(sessionId, async () => {
      const at = new Date();
      const result = await this.write(sessionId, (snapshot) => {
        if (snapshot.session.status === 'ended') return { events: [] };
        const payload: StoredEventPayloads['session:end'] = { by: actor, reason };
        return {
          status: { status: 'ended', endedAt: at },
          events: [{ type: 'session:end', actorParticipantId: actor.participantId, payload, occurredAt: at }],
        };
      });
      if (result.events.length === 0) return { session: this.stateOf(result.after), changed: false };
      const state = this.stateOf(result.after, result.events[0], actor, reason);
      this.broadcaster.toSession(sessionId, 'session', state);
      this.broadcaster.toSession(sessionId, 'timer', this.timerOf(result.after));
      return { session: state, changed: true };
    });
  }

  // --- for other modules (the interviewer) --------------------------------------------------------

  /**
   * The checks every client event passes, in order: rate limit → role → payload. Returns the parsed
   * payload; throws the refusal (RATE_LIMITED, FORBIDDEN_ROLE, INVALID_PAYLOAD).
   */
  accept<E extends ClientEventName>(
    client: SessionClient,
    event: E,
    allowed: readonly Role[],
    action: string,
    payload: unknown,
  ): z.output<(typeof clientEventSchemas)[E]> {
    this.admit(client, event);
    this.requireRole(client, allowed, action);
    return this.parse(event, payload);
  }

  /**
   * A server-side write: `decide` runs under the session's row lock (with a reader for earlier events)
   * and returns the events to store; refusals it throws roll back. Then `announce` broadcasts them. Both
   * run in the session's queue, so ids and broadcasts keep their order with every other event.
   */
  record<T>(
    sessionId: string,
    decide: (snapshot: SessionSnapshot, read: LockedSessionReader) => Promise<NewSessionEvent[]>,
    announce: (result: SessionWriteResult) => T,
  ): Promise<T> {
    return this.queue.run(sessionId, async () => {
      const result = await this.write(sessionId, async (snapshot, read) => ({ events: await decide(snapshot, read) }));
      return announce(result);
    });
  }

  /** Called with the events of every stored write (not presence leaves), after they are stored; must not throw. */
  onStored(listener: (sessionId: string, events: SessionEventRecord[]) => void): void {
    this.storedListeners.push(listener);
  }

  // --- the stored timeline -----------------------------------------------------------------------

  /** The stored timeline, oldest first; private events (notes) only for an interviewer's token. */
  async timeline(sessionId: string, token: string | undefined, page: { after?: string; limit: number }): Promise<TimelinePage> {
    const { participant } = await this.access.authorize(sessionId, token);
    const exceptTypes = privateEventTypes.filter((type) => !mayReadStoredEvent(participant.role, type));
    const rows = await this.repository.list(sessionId, { after: page.after, limit: page.limit + 1, exceptTypes });
    const events = rows.slice(0, page.limit).map(
      (row) =>
        ({
          id: row.id,
          type: row.type,
          actorParticipantId: row.actorParticipantId,
          occurredAt: row.occurredAt.toISOString(),
          payload: row.payload,
        }) as TimelineEvent,
    );
    return { sessionId, events, nextAfter: rows.length > page.limit ? events[events.length - 1].id : null };
  }

  // --- internals ---------------------------------------------------------------------------------

  /** Re-sends `timer` to this process's connections of every live session. */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const snapshot of await this.repository.snapshots(this.broadcaster.localSessionIds())) {
        if (snapshot.session.status === 'live') this.broadcaster.toSessionLocal(snapshot.session.id, 'timer', this.timerOf(snapshot));
      }
    } catch (error) {
      this.logger.warn(`Timer update failed: ${(error as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  private admit(client: SessionClient, event: ClientEventName): void {
    let limits = this.limits.get(client.connectionId);
    if (!limits) {
      limits = {
        anyEvent: new TokenBucket(RATE_LIMITS.anyEvent.capacity, RATE_LIMITS.anyEvent.perSecond),
        chat: new TokenBucket(RATE_LIMITS.chat.capacity, RATE_LIMITS.chat.perSecond),
      };
      this.limits.set(client.connectionId, limits);
    }
    const wait = limits.anyEvent.take() || (event === 'chat:send' ? limits.chat.take() : 0);
    if (wait > 0) {
      throw new SessionEventError('RATE_LIMITED', `Too many ${event === 'chat:send' ? 'chat messages' : 'events'}; retry in ${wait} ms`, {
        retryAfterMs: wait,
      });
    }
  }

  private requireRole(client: SessionClient, allowed: readonly Role[], action: string): void {
    if (!allowed.includes(client.role)) {
      throw new SessionEventError('FORBIDDEN_ROLE', `The ${client.role} may not ${action} (allowed: ${allowed.join(', ')})`);
    }
  }

  private parse<E extends ClientEventName>(event: E, payload: unknown): z.output<(typeof clientEventSchemas)[E]> {
    const result = (clientEventSchemas[event] as z.ZodType).safeParse(payload);
    if (result.success) return result.data as z.output<(typeof clientEventSchemas)[E]>;
    const issues = toFieldErrors(result.error, 'payload');
    throw new SessionEventError('INVALID_PAYLOAD', `Invalid ${event} payload: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, {
      issues,
    });
  }

  /** Runs a repository call; a failure that is not a refusal means the event could not be stored. */
  private async store<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof SessionEventError) throw error;
      this.logger.error(`Storing a session event failed: ${(error as Error).message}`, (error as Error).stack);
      throw new SessionEventError('STORAGE_UNAVAILABLE', 'The event could not be stored, so it was not sent; try again');
    }
  }

  private async write(
    sessionId: string,
    decide: (snapshot: SessionSnapshot, read: LockedSessionReader) => SessionWrite | Promise<SessionWrite>,
  ): Promise<SessionWriteResult> {
    const result = await this.store(() => this.repository.writeLocked(sessionId, decide));
    if (!result) throw new SessionEventError('INTERNAL_ERROR', 'The session no longer exists');
    if (result.events.length > 0) {
      for (const listener of this.storedListeners) listener(sessionId, result.events);
    }
    return result;
  }

  private startWrite(actor: EventActor, at: Date): SessionWrite {
    const payload: StoredEventPayloads['session:start'] = { by: actor };
    return {
      status: { status: 'live', startedAt: at },
      events: [
        { type: 'session:start', actorParticipantId: actor.participantId, payload, occurredAt: at },
        this.stageEvent('frame', null, actor, at),
      ],
    };
  }

  /** After a start: the new state, the first stage and the timer, to the whole room. */
  private announceStart(result: SessionWriteResult, actor: EventActor): void {
    const sessionId = result.after.session.id;
    const start = result.events.find((e) => e.type === 'session:start');
    const stage = result.events.find((e) => e.type === 'stage');
    this.broadcaster.toSession(sessionId, 'session', this.stateOf(result.after, start, actor));
    if (stage) this.broadcaster.toSession(sessionId, 'stage', this.stageChangeOf(stage));
    this.broadcaster.toSession(sessionId, 'timer', this.timerOf(result.after));
  }

  private stageEvent(stage: FlowStage, previous: FlowStage | null, actor: EventActor, at: Date): NewSessionEvent {
    const payload: StoredEventPayloads['stage'] = { stage, previous, changedBy: actor };
    return { type: 'stage', actorParticipantId: actor.participantId, payload, occurredAt: at };
  }

  private presenceEvent(type: 'presence:join' | 'presence:leave', client: SessionClient, at: Date, reason?: string): NewSessionEvent {
    const payload: StoredEventPayloads['presence:join'] = {
      participantId: client.participantId,
      displayName: client.displayName,
      role: client.role,
      connectionId: client.connectionId,
    };
    return { type, actorParticipantId: client.participantId, payload: reason === undefined ? payload : { ...payload, reason }, occurredAt: at };
  }

  private stageChangeOf(event: SessionEventRecord): StageChange {
    const payload = event.payload as unknown as StoredEventPayloads['stage'];
    return { id: event.id, ...payload, at: event.occurredAt.toISOString() };
  }

  private stateOf(snapshot: SessionSnapshot, event?: SessionEventRecord, by?: EventActor, reason: string | null = null): SessionState {
    return {
      id: event?.id ?? null,
      status: snapshot.session.status,
      startedAt: iso(snapshot.session.startedAt),
      endedAt: iso(snapshot.session.endedAt),
      by: event ? (by ?? null) : null,
      reason,
    };
  }

  private timerOf(snapshot: SessionSnapshot): TimerPayload {
    const scenario = this.scenarios.find(snapshot.session.scenarioId);
    return {
      status: snapshot.session.status,
      sessionStartedAt: iso(snapshot.session.startedAt),
      sessionEndedAt: iso(snapshot.session.endedAt),
      stage: (snapshot.stage?.stage ?? null) as FlowStage | null,
      stageStartedAt: iso(snapshot.stage?.since ?? null),
      minutesPerStage: scenario ? { ...scenario.timePerStage } : null,
      serverNow: new Date().toISOString(),
    };
  }
}

const sessionEnded = () => new SessionEventError('SESSION_ENDED', 'The session has ended');
