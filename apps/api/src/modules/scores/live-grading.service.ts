import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Room, RoomView } from '@hatch/collab';
import type { Grade, GradeSummary } from '@hatch/grader';
import type { Model } from '@hatch/model';
import type { ScoreUpdate } from '@hatch/protocol';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { CollabService } from '../collab/collab.service';
import { SessionBroadcaster } from '../session-events/session-broadcaster';
import { SessionRepository } from '../sessions/session.repository';
import { GradeScheduler } from './grade-scheduler';
import type { GradeJob } from './grade-worker.protocol';
import { GradeWorkerHost } from './grade-worker-host';
import { type ScoreSampleRecord, ScoreSampleRepository } from './score-sample.repository';

interface TrackedRoom {
  room: Room;
  /** The worker's mirror of the room's document; null while the room is idle (the mirror was dropped). */
  mirror: number | null;
  /** When the mirror was last fed or read. */
  usedAt: number;
}

interface Prepared {
  job: GradeJob;
  meta: { seq: number };
}

/** A live grade of a session, as `onGraded` listeners receive it. */
export interface LiveGrade {
  sessionId: string;
  seq: number;
  grade: Grade;
  model: Model;
  /** The stored sample; null when another process had stored this seq already. */
  sample: ScoreUpdate | null;
}

/** How long shutdown waits for grades already running to be stored. */
const SHUTDOWN_WAIT_MS = 2000;

export const toScoreUpdate = (sample: ScoreSampleRecord): ScoreUpdate => ({
  id: sample.id,
  seq: sample.seq,
  at: sample.sampledAt.toISOString(),
  total: sample.total,
  stages: sample.scores.stages,
  weakMoves: sample.scores.weakMoves,
});

/**
 * Scores over time: plugs into every collab room. `onLoad` seeds the grading worker's mirror of the
 * document and `onChange` feeds it each update (local or from another process), so the main thread
 * never serializes a whole document to grade it. `onSaved` — only this process's own commits — arms a
 * per-session debounce (GRADE_DEBOUNCE_MS, at most GRADE_MAX_WAIT_MS, at least GRADE_MIN_INTERVAL_MS
 * apart); when it fires the session is
 * graded in the worker (latest wins), the sample stored with the seq it reflects and pushed to the
 * session's socket.io room. The process whose room committed a change is the one that samples it;
 * two processes sampling the same seq store it once (unique index). A mirror is a live `Y.Doc` (~25×
 * the encoded size): one idle for GRADE_MIRROR_IDLE_MS is dropped and seeded again at the next change
 * or read, so idle rooms cost the worker nothing.
 */
@Injectable()
export class LiveGradingService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Grading');
  private readonly tracked = new Map<string, TrackedRoom>();
  private readonly sessionOfMirror = new Map<number, string>();
  private nextMirror = 1;
  private readonly scheduler: GradeScheduler;
  private readonly scenarioIds = new Map<string, string>();
  private readonly lastSampledSeq = new Map<string, number>();
  /** Sessions whose grade waits for this room's pending rows to commit (so its seq is exact), since when. */
  private readonly waitingForSave = new Map<string, number>();
  /** Sessions with a grade between `due` and its sample stored. */
  private readonly inProgress = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private closing = false;
  private readonly counters = { graded: 0, stored: 0, duplicates: 0, failed: 0, mirrorsDropped: 0, mirrorsSeeded: 0 };
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly gradedListeners: Array<{ listener: (graded: LiveGrade) => void; wants: (sessionId: string) => boolean }> = [];

  constructor(
    private readonly collab: CollabService,
    private readonly worker: GradeWorkerHost,
    private readonly samples: ScoreSampleRepository,
    private readonly broadcaster: SessionBroadcaster,
    private readonly sessions: SessionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.scheduler = new GradeScheduler(config.grading, (sessionId) => this.grade(sessionId));
  }

  onModuleInit(): void {
    this.collab.addRoomHooks({
      onLoad: (room) => this.roomLoaded(room),
      onChange: (room, update) => {
        const tracked = this.tracked.get(room.sessionId);
        if (!tracked) return;
        // A dropped mirror is seeded from the room's state, which holds this update already.
        if (tracked.mirror === null) this.mirrorOf(tracked);
        else {
          this.worker.update(tracked.mirror, update);
          tracked.usedAt = Date.now();
        }
      },
      onSaved: (room) => this.saved(room.sessionId),
      onUnload: (sessionId) => this.roomUnloaded(sessionId),
    });
    this.worker.onRestart(() => {
      for (const tracked of this.tracked.values()) if (tracked.mirror !== null) this.seed(tracked);
    });
    const idleMs = this.config.grading.mirrorIdleMs;
    if (idleMs > 0) {
      this.sweepTimer = setInterval(() => this.dropIdleMirrors(), Math.max(50, Math.min(10_000, idleMs / 2)));
      this.sweepTimer.unref();
    }
    this.worker.onMirrorLost((mirror) => {
      const tracked = this.tracked.get(this.sessionOfMirror.get(mirror) ?? '');
      if (tracked?.mirror === mirror) this.seed(tracked);
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.scheduler.close();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** The live room's mirror and the highest committed seq it holds, when this process serves the session. */
  liveSource(sessionId: string): { mirror: number; seq: number } | undefined {
    const tracked = this.tracked.get(sessionId);
    if (!tracked || tracked.room.state !== 'ready') return undefined;
    return { mirror: this.mirrorOf(tracked), seq: tracked.room.durableSeq };
  }

  /**
   * Samples this process graded, stored, found stored already (same seq, another process) and failed to
   * make; mirrors dropped for being idle and seeded (at a load, or again after a drop); mirrors live now.
   */
  get stats(): { graded: number; stored: number; duplicates: number; failed: number; mirrorsDropped: number; mirrorsSeeded: number; liveMirrors: number } {
    return { ...this.counters, liveMirrors: this.sessionOfMirror.size };
  }

  /**
   * Called after each live grade is stored (and pushed), with the full grade and model, for the sessions
   * `wants` accepts: for those the worker returns the full grade beside the summary (copying it across
   * threads costs milliseconds per grade, so only when someone will read it). Listeners must not throw.
   */
  onGraded(listener: (graded: LiveGrade) => void, wants: (sessionId: string) => boolean = () => true): void {
    this.gradedListeners.push({ listener, wants });
  }

  /** Resolves once every grade due so far has been stored (or has failed). For tests and shutdown. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  // ---- room hooks --------------------------------------------------------------------------------

  private roomLoaded(view: RoomView): void {
    const room = this.collab.rooms.get(view.sessionId);
    if (!room) return;
    const tracked: TrackedRoom = { room, mirror: null, usedAt: Date.now() };
    this.tracked.set(room.sessionId, tracked);
    this.mirrorOf(tracked);
    // A sample of the document as loaded: the panels and the interviewer have scores before the first edit
    // (an empty model scores near 0). A reload at a seq already sampled stores nothing new (unique key).
    this.scheduler.changed(room.sessionId);
  }

  /** The room's mirror, seeded first when it was dropped (or never made). */
  private mirrorOf(tracked: TrackedRoom): number {
    tracked.usedAt = Date.now();
    if (tracked.mirror === null) {
      tracked.mirror = this.nextMirror++;
      this.sessionOfMirror.set(tracked.mirror, tracked.room.sessionId);
      this.seed(tracked);
    }
    return tracked.mirror;
  }

  private seed(tracked: TrackedRoom): void {
    if (tracked.room.state === 'closed' || tracked.mirror === null) return;
    // Copies the room's encoded state: at a load, after an idle drop, after a worker restart.
    this.counters.mirrorsSeeded++;
    this.worker.seed(tracked.mirror, tracked.room.encodeState());
  }

  private dropMirror(tracked: TrackedRoom): void {
    if (tracked.mirror === null) return;
    this.worker.drop(tracked.mirror);
    this.sessionOfMirror.delete(tracked.mirror);
    tracked.mirror = null;
  }

  /** Drops the mirrors of rooms nobody changed or read for GRADE_MIRROR_IDLE_MS (and with no grade due). */
  private dropIdleMirrors(): void {
    const cutoff = Date.now() - this.config.grading.mirrorIdleMs;
    for (const [sessionId, tracked] of this.tracked) {
      if (tracked.mirror === null || tracked.usedAt > cutoff) continue;
      if (this.inProgress.has(sessionId) || this.waitingForSave.has(sessionId) || this.scheduler.isPending(sessionId)) continue;
      this.dropMirror(tracked);
      this.counters.mirrorsDropped++;
    }
  }

  private saved(sessionId: string): void {
    if (this.closing) return;
    if (this.waitingForSave.has(sessionId)) {
      this.grade(sessionId);
      return;
    }
    this.scheduler.changed(sessionId);
  }

  private roomUnloaded(sessionId: string): void {
    const tracked = this.tracked.get(sessionId);
    if (!tracked) return;
    this.tracked.delete(sessionId);
    this.scenarioIds.delete(sessionId);
    const armed = this.scheduler.cancel(sessionId);
    const waiting = this.waitingForSave.delete(sessionId);
    const due = armed || waiting || this.inProgress.has(sessionId);
    this.lastSampledSeq.delete(sessionId);
    // Everyone left within the debounce: grade the last state before the mirror goes.
    if (due && !this.closing) this.grade(sessionId, tracked);
    else this.dropMirror(tracked);
  }

  // ---- grading -----------------------------------------------------------------------------------

  private grade(sessionId: string, final?: TrackedRoom): void {
    this.inProgress.set(sessionId, (this.inProgress.get(sessionId) ?? 0) + 1);
    const task = this.sample(sessionId, final)
      .catch((error: unknown) => {
        this.counters.failed++;
        if (final) this.dropMirror(final);
        this.logger.warn(`Grading session ${sessionId} failed: ${(error as Error)?.message ?? String(error)}`);
      })
      .finally(() => {
        this.running.delete(task);
        const left = (this.inProgress.get(sessionId) ?? 1) - 1;
        if (left > 0) this.inProgress.set(sessionId, left);
        else this.inProgress.delete(sessionId);
      });
    this.running.add(task);
  }

  private async sample(sessionId: string, final: TrackedRoom | undefined): Promise<void> {
    const scenarioId = await this.scenarioIdOf(sessionId);
    if (!scenarioId) {
      if (final) this.dropMirror(final);
      return;
    }
    const key = final ? `final:${final.mirror ?? sessionId}` : `live:${sessionId}`;
    const result = await this.worker.runLatest(key, () => (final ? this.prepareFinal(sessionId, final, scenarioId) : this.prepare(sessionId, scenarioId)));
    if (!result) return;
    this.counters.graded++;
    const summary = result.output.summary as GradeSummary;
    const { seq } = result.meta;
    const sample = await this.samples.insert({
      sessionId,
      seq,
      total: summary.total,
      scores: { scenarioId: summary.scenarioId, scenarioVersion: summary.scenarioVersion, stages: summary.stages, weakMoves: summary.weakMoves },
    });
    if (this.tracked.has(sessionId) && seq > (this.lastSampledSeq.get(sessionId) ?? -1)) this.lastSampledSeq.set(sessionId, seq);
    if (!sample) {
      this.counters.duplicates++;
    } else {
      this.counters.stored++;
      this.logger.debug(`Session ${sessionId} at seq ${seq}: total ${summary.total} (graded in ${result.output.ms.toFixed(1)} ms)`);
      try {
        this.broadcaster.toSession(sessionId, 'score', toScoreUpdate(sample));
      } catch (error) {
        this.logger.warn(`Pushing the score of session ${sessionId} failed: ${(error as Error).message}`);
      }
    }
    const { grade, model } = result.output;
    if (grade && model) {
      const graded: LiveGrade = { sessionId, seq, grade, model, sample: sample ? toScoreUpdate(sample) : null };
      for (const { listener, wants } of this.gradedListeners) if (wants(sessionId)) listener(graded);
    }
  }

  /** Runs when the worker is free: grades the room as it is now, once its own rows are committed. */
  private prepare(sessionId: string, scenarioId: string): Prepared | undefined {
    const tracked = this.tracked.get(sessionId);
    if (!tracked || tracked.room.state !== 'ready' || this.closing) return undefined;
    const { room } = tracked;
    if (room.unsaved > 0) {
      // The next commit calls `saved` again; steady heavy writing still grades after the max wait.
      const since = this.waitingForSave.get(sessionId) ?? Date.now();
      if (Date.now() - since < this.config.grading.maxWaitMs) {
        this.waitingForSave.set(sessionId, since);
        return undefined;
      }
    }
    this.waitingForSave.delete(sessionId);
    const seq = room.durableSeq;
    if (seq <= (this.lastSampledSeq.get(sessionId) ?? -1)) return undefined;
    return { job: { source: { mirror: this.mirrorOf(tracked) }, want: this.want(sessionId), scenarioId }, meta: { seq } };
  }

  private prepareFinal(sessionId: string, final: TrackedRoom, scenarioId: string): Prepared | undefined {
    const seq = final.room.durableSeq;
    if (final.room.unsaved > 0 || seq === 0 || final.mirror === null) {
      this.dropMirror(final);
      return undefined;
    }
    const mirror = final.mirror;
    this.sessionOfMirror.delete(mirror);
    final.mirror = null;
    return { job: { source: { mirror }, want: this.want(sessionId), scenarioId, dropMirrorAfter: mirror }, meta: { seq } };
  }

  private want(sessionId: string): 'full' | 'summary' {
    return this.gradedListeners.some(({ wants }) => wants(sessionId)) ? 'full' : 'summary';
  }

  private async scenarioIdOf(sessionId: string): Promise<string | undefined> {
    const cached = this.scenarioIds.get(sessionId);
    if (cached) return cached;
    const session = await this.sessions.findById(sessionId);
    if (!session) return undefined;
    if (this.tracked.has(sessionId)) this.scenarioIds.set(sessionId, session.scenarioId);
    return session.scenarioId;
  }
}
