import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { answerFor } from '@hatch/interviewer';
import { AI_INTERVIEWER_ACTOR } from '@hatch/protocol';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { LiveGradingService } from '../scores/live-grading.service';
import { SessionBroadcaster } from '../session-events/session-broadcaster';
import { SessionEventError } from '../session-events/session-event.error';
import type { SessionEventRecord } from '../session-events/session-event.repository';
import { SessionEventsService } from '../session-events/session-events.service';
import { type LiveInterview, InterviewStore } from './interview-store';
import { InterviewerLeaseRepository } from './interviewer-lease.repository';

/** Stored events that may change what the interviewer should do (by a participant; the AI's own are not triggers). */
const TRIGGERS = new Set(['session:start', 'session:end', 'stage', 'chat', 'followup', 'followup:closed']);

/** An interview of a session with no connection here is forgotten after this long without a trigger. */
const IDLE_MS = 60_000;
const SHUTDOWN_DRAIN_MS = 5000;

/** What was already looked at in a session: answers are checked once per chat message and per grade. */
interface Marks {
  chatsAfter: string | undefined;
  gradeSeq: number;
  suggestions: string | undefined;
  pokedAt: number;
}

/**
 * The AI interviewer's loop. Triggers — a stored event of a participant (start, stage, chat,
 * follow-ups), a live grade, and a tick every INTERVIEWER_TICK_MS (pacing, stalls) — each queue one
 * evaluation of the session (coalesced, one at a time per session). An evaluation brings the interview
 * up to date, closes the open follow-up when a new chat message or grade answers it, then by mode: mock
 * — asks the engine for its next move and carries it out; pair — pushes changed suggestions to the
 * interviewers; practice — nothing (follow-ups on request). With several api processes only the holder
 * of the session's lease (`interviewer_leases`) evaluates; the lease is renewed every tick by a process
 * with connections to the session and lapses after three ticks without.
 */
@Injectable()
export class InterviewerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Interviewer');
  /** This process as a lease holder. */
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly pending = new Set<string>();
  private readonly leases = new Map<string, { held: boolean; checkedAt: number }>();
  private readonly marks = new Map<string, Marks>();
  private ticker: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    private readonly store: InterviewStore,
    private readonly events: SessionEventsService,
    private readonly grading: LiveGradingService,
    private readonly broadcaster: SessionBroadcaster,
    private readonly leaseRepository: InterviewerLeaseRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** How long a lease lasts without renewal: three ticks (at least 1 s). */
  get leaseMs(): number {
    return Math.max(1000, 3 * this.config.interviewer.tickMs);
  }

  onApplicationBootstrap(): void {
    this.events.onStored((sessionId, events) => {
      if (events.some(isTrigger)) this.poke(sessionId);
    });
    // Only for sessions with someone on this process's event channel, which the interviewer speaks over: a
    // session edited with no one listening (an editor-only client, a load test) costs no full grade and no
    // evaluation per grade. Elsewhere the lease holder evaluates on its tick, asking for the grade then.
    this.grading.onGraded(
      (graded) => {
        this.store.rememberGrade(graded);
        this.poke(graded.sessionId);
      },
      (sessionId) => this.broadcaster.hasLocal(sessionId),
    );
    this.ticker = setInterval(() => this.tick(), this.config.interviewer.tickMs);
    this.ticker.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    clearInterval(this.ticker);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.store.drain(), new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_DRAIN_MS)))]);
    clearTimeout(timer);
    await Promise.all([...this.leases.keys()].map((sessionId) => this.drop(sessionId)));
  }

  /** Queues one evaluation of the session, unless one is already waiting. */
  poke(sessionId: string): void {
    if (this.closing) return;
    this.markOf(sessionId).pokedAt = Date.now();
    if (this.pending.has(sessionId)) return;
    this.pending.add(sessionId);
    this.store
      .run(sessionId, () => {
        this.pending.delete(sessionId);
        return this.evaluate(sessionId);
      })
      .catch((error: unknown) => {
        if (error instanceof SessionEventError && (error.code === 'SESSION_ENDED' || error.code === 'SESSION_NOT_STARTED')) return;
        this.logger.warn(`Session ${sessionId}: the interviewer could not act (${(error as Error)?.message ?? String(error)})`);
      });
  }

  /** Resolves once every evaluation queued so far has run (tests). */
  async idle(): Promise<void> {
    await this.store.drain();
  }

  private tick(): void {
    const local = new Set(this.broadcaster.localSessionIds());
    const now = Date.now();
    for (const sessionId of this.store.sessionIds()) {
      if (!local.has(sessionId) && now - this.markOf(sessionId).pokedAt > IDLE_MS) void this.drop(sessionId);
    }
    for (const sessionId of local) this.poke(sessionId);
  }

  private async evaluate(sessionId: string): Promise<void> {
    const live = await this.store.load(sessionId);
    if (!live) return;
    const { interview } = live;
    if (interview.status === 'ended') {
      await this.drop(sessionId);
      return;
    }
    if (interview.status !== 'live' || !(await this.holdLease(sessionId))) return;
    await this.closeAnswered(live);
    if (interview.mode === 'mock') {
      await this.store.act(live, await this.store.nextMove(live));
    } else if (interview.mode === 'pair') {
      this.pushSuggestions(live);
    }
    await this.store.recordUsage(live);
  }

  /** Closes the open follow-up when a new candidate chat message, or a new grade, answers it. */
  private async closeAnswered(live: LiveInterview): Promise<void> {
    const { interview } = live;
    const marks = this.markOf(interview.sessionId);
    const chats = interview.candidateChatsAfter(marks.chatsAfter);
    marks.chatsAfter = interview.lastEventId;
    const open = interview.openFollowUp();
    if (open) {
      const state = interview.state(Date.now());
      for (const chat of chats) {
        const answer = answerFor(state, { kind: 'chat', turn: chat.turn });
        if (!answer) continue;
        if (await this.store.closeFollowUp(live, open, { how: 'chat', answer: answer.answer, chatId: chat.id }, AI_INTERVIEWER_ACTOR)) {
          await this.store.judge(live, [`followup:${open.id}`]);
        }
        break;
      }
    }
    const graded = interview.current;
    if (!graded || graded.seq <= marks.gradeSeq) return;
    marks.gradeSeq = graded.seq;
    const stillOpen = interview.openFollowUp();
    const grade = interview.grade();
    if (!stillOpen || !grade) return;
    if (answerFor(interview.state(Date.now()), { kind: 'grade', grade })) {
      await this.store.closeFollowUp(live, stillOpen, { how: 'model', answer: null, chatId: null }, AI_INTERVIEWER_ACTOR);
    }
  }

  /** Pair mode: the suggestions go to the session's interviewers whenever they change. */
  private pushSuggestions(live: LiveInterview): void {
    const suggestions = this.store.suggestions(live);
    const marks = this.markOf(live.interview.sessionId);
    const key = JSON.stringify(suggestions);
    if (key === marks.suggestions) return;
    marks.suggestions = key;
    this.broadcaster.toInterviewers(live.interview.sessionId, 'suggestions', { sessionId: live.interview.sessionId, suggestions, at: new Date().toISOString() });
  }

  /** Takes or renews the session's lease, at most once a tick; false while another process holds it. */
  private async holdLease(sessionId: string): Promise<boolean> {
    const now = Date.now();
    const known = this.leases.get(sessionId);
    if (known && now - known.checkedAt < this.config.interviewer.tickMs) return known.held;
    const held = await this.leaseRepository.acquire(sessionId, this.holder, this.leaseMs);
    if (known && known.held !== held) this.logger.log(`Session ${sessionId}: ${held ? 'took' : 'lost'} the interviewer lease`);
    this.leases.set(sessionId, { held, checkedAt: now });
    return held;
  }

  private async drop(sessionId: string): Promise<void> {
    this.store.forget(sessionId);
    this.marks.delete(sessionId);
    const lease = this.leases.get(sessionId);
    this.leases.delete(sessionId);
    if (!lease?.held) return;
    await this.leaseRepository.release(sessionId, this.holder).catch((error: unknown) => {
      this.logger.warn(`Session ${sessionId}: could not release the interviewer lease (${(error as Error).message}); it expires by itself`);
    });
  }

  private markOf(sessionId: string): Marks {
    let marks = this.marks.get(sessionId);
    if (!marks) this.marks.set(sessionId, (marks = { chatsAfter: undefined, gradeSeq: -1, suggestions: undefined, pokedAt: Date.now() }));
    return marks;
  }
}

const isTrigger = (event: SessionEventRecord) => TRIGGERS.has(event.type) && event.actorParticipantId !== null;
