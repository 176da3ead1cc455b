import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type AskedFollowUp,
  createLlmInterviewer,
  createOfflineInterviewer,
  improvement,
  type Interviewer,
  isJudgedCheck,
  type InterviewerMove,
  type LlmInterviewer,
  type LlmUsage,
  openingMove,
  probeBaseline,
  type SessionMode,
  type Verdict,
} from '@hatch/interviewer';
import {
  AI_INTERVIEWER_ACTOR,
  type EventActor,
  type FlowStage,
  type FollowUp,
  type FollowUpClosed,
  type FollowUpClosing,
  type FollowUpRequested,
  type FollowUpSuggestion,
  flowStages,
  type Hint,
  type Judgment,
  type Note,
  type StoredEventPayloads,
} from '@hatch/protocol';
import type { Scenario } from '@hatch/scenarios';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { ScenarioCatalog } from '../scenarios/scenario-catalog.service';
import { type LiveGrade, toScoreUpdate } from '../scores/live-grading.service';
import { ScoreSampleRepository } from '../scores/score-sample.repository';
import { ScoresService } from '../scores/scores.service';
import { KeyedSerialQueue } from '../session-events/keyed-serial-queue';
import { SessionBroadcaster } from '../session-events/session-broadcaster';
import { SessionEventError } from '../session-events/session-event.error';
import { type NewSessionEvent, type SessionEventRecord, SessionEventRepository, type SessionSnapshot } from '../session-events/session-event.repository';
import { SessionEventsService } from '../session-events/session-events.service';
import { SessionRepository } from '../sessions/session.repository';
import { InterviewerUsageRepository } from './interviewer-usage.repository';
import { SessionInterview } from './session-interview';

/** One session this process keeps an interview for: the rebuilt state and its engine (one per session: the LLM budget is per session). */
export interface LiveInterview {
  interview: SessionInterview;
  engine: Interviewer;
  llm: LlmInterviewer | null;
  /** Usage already added to `interviewer_usage`. */
  recordedUsage: LlmUsage | null;
}

/** The events the interview reads (presence and private notes play no part in it). */
const IGNORED_TYPES = ['presence:join', 'presence:leave', 'note'];
const PAGE = 500;
/** Suggestions shown to a human interviewer. */
export const SUGGESTIONS = 3;

const iso = (event: SessionEventRecord) => event.occurredAt.toISOString();

/**
 * The interviews this process keeps, and every write of the interviewer's events. An interview is
 * rebuilt from storage (timeline, score samples) and brought up to date before each use, so every
 * process may serve any request; the newest full grade comes from this process's live grading or,
 * when another process sampled it, from the grading worker. Writes go through `SessionEventsService`
 * (session row lock, store then broadcast, in the session's order); their checks run under the lock.
 * `run` serializes the interviewer's own work per session.
 */
@Injectable()
export class InterviewStore {
  private readonly logger = new Logger('Interviewer');
  private readonly interviews = new Map<string, LiveInterview>();
  private readonly localGrades = new Map<string, LiveGrade>();
  private readonly queue = new KeyedSerialQueue();
  private readonly syncs = new WeakMap<SessionInterview, Promise<void>>();
  readonly offline: Interviewer;

  constructor(
    private readonly events: SessionEventsService,
    private readonly timeline: SessionEventRepository,
    private readonly broadcaster: SessionBroadcaster,
    private readonly sessions: SessionRepository,
    private readonly scenarios: ScenarioCatalog,
    private readonly samples: ScoreSampleRepository,
    private readonly scores: ScoresService,
    private readonly usage: InterviewerUsageRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.offline = createOfflineInterviewer(this.offlineOptions());
  }

  /** Runs the interviewer's work for a session one task at a time. */
  run<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    return this.queue.run(sessionId, task);
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }

  sessionIds(): string[] {
    return [...this.interviews.keys()];
  }

  forget(sessionId: string): void {
    this.interviews.delete(sessionId);
    this.localGrades.delete(sessionId);
  }

  /** A grade this process's live grading just made: used instead of asking the worker again. */
  rememberGrade(graded: LiveGrade): void {
    const known = this.localGrades.get(graded.sessionId);
    if (!known || known.seq < graded.seq) this.localGrades.set(graded.sessionId, graded);
  }

  /** The session's interview, up to date with storage; null when there is no such session or its scenario left the library. */
  async load(sessionId: string): Promise<LiveInterview | null> {
    let live = this.interviews.get(sessionId);
    if (!live) {
      const session = await this.sessions.findById(sessionId);
      if (!session) return null;
      const scenario = this.scenarios.find(session.scenarioId);
      if (!scenario) {
        this.logger.warn(`Session ${sessionId}: scenario ${session.scenarioId} is not in the library; no interviewer`);
        return null;
      }
      // Another caller may have created it while this one read the session.
      live = this.interviews.get(sessionId) ?? this.create(sessionId, scenario, session.mode);
    }
    await this.sync(live.interview);
    return live;
  }

  /** Reads the events and samples stored since the last sync, and the full grade of the newest sample. One sync at a time per interview. */
  sync(interview: SessionInterview): Promise<void> {
    const run = (this.syncs.get(interview) ?? Promise.resolve()).catch(() => undefined).then(() => this.syncNow(interview));
    this.syncs.set(interview, run);
    return run;
  }

  private create(sessionId: string, scenario: Scenario, mode: SessionMode): LiveInterview {
    const llm = this.config.interviewer.llm
      ? createLlmInterviewer({ ...this.config.interviewer.llm, fallback: createOfflineInterviewer(this.offlineOptions()) })
      : null;
    const live: LiveInterview = { interview: new SessionInterview(sessionId, this.paced(scenario), mode), engine: llm ?? this.offline, llm, recordedUsage: null };
    this.interviews.set(sessionId, live);
    return live;
  }

  private async syncNow(interview: SessionInterview): Promise<void> {
    for (;;) {
      const rows = await this.timeline.list(interview.sessionId, { after: interview.lastEventId, limit: PAGE, exceptTypes: IGNORED_TYPES });
      for (const row of rows) interview.apply(row);
      if (rows.length < PAGE) break;
    }
    for (;;) {
      const rows = await this.samples.list(interview.sessionId, { after: interview.lastSampleId, limit: PAGE });
      for (const row of rows) interview.applySample(toScoreUpdate(row));
      if (rows.length < PAGE) break;
    }
    if (interview.sampledSeq > (interview.current?.seq ?? -1)) {
      const local = this.localGrades.get(interview.sessionId);
      if (local && local.seq >= interview.sampledSeq) {
        interview.setGrade(local.seq, local.grade, local.model, Date.now());
      } else {
        try {
          const current = await this.scores.current(interview.sessionId, interview.scenario.id);
          interview.setGrade(current.seq, current.grade, current.model, Date.now());
        } catch (error) {
          this.logger.warn(`Session ${interview.sessionId}: no full grade for the interviewer (${(error as Error).message}); using the previous one`);
        }
      }
    }
  }

  // --- the engine --------------------------------------------------------------------------------

  /** The engine's next move; its text streams to the room as `followup:stream` while an LLM writes it. Never throws. */
  async nextMove(live: LiveInterview): Promise<InterviewerMove> {
    const state = live.interview.state(Date.now());
    const opening = openingMove(state);
    if (opening) return opening;
    const streamId = randomUUID();
    try {
      return await live.engine.next(state, {
        onText: (delta) => this.broadcaster.toSession(live.interview.sessionId, 'followup:stream', { streamId, delta }),
      });
    } catch (error) {
      this.logger.warn(`Session ${live.interview.sessionId}: the ${live.engine.kind} interviewer failed (${(error as Error).message}); the offline one answers`);
      return this.offline.next(state);
    }
  }

  /** Up to `limit` follow-ups a person could ask now, best first. */
  suggestions(live: LiveInterview, limit = SUGGESTIONS): FollowUpSuggestion[] {
    const moves = live.engine.suggest(live.interview.state(Date.now()), limit);
    return moves.flatMap((move) => (move.kind === 'followup' ? [toSuggestion(move)] : []));
  }

  /** Carries out a move of the AI interviewer: the follow-up or hint stored and sent, the stage moved. */
  async act(live: LiveInterview, move: InterviewerMove): Promise<FollowUpRequested> {
    const outcome: FollowUpRequested = { kind: move.kind, followUp: null, hint: null, stage: null, why: move.why };
    if (move.kind === 'followup') {
      const { bankId, question, probe, why } = move;
      outcome.followUp = await this.askFollowUp(live, { bankId, question, probe, why }, AI_INTERVIEWER_ACTOR, false);
    } else if (move.kind === 'hint') {
      outcome.hint = await this.hint(live, move);
    } else if (move.kind === 'stage') {
      const before = live.interview.stage;
      const { changed } = await this.events.changeStage(live.interview.sessionId, move.to, AI_INTERVIEWER_ACTOR);
      await this.sync(live.interview);
      if (changed) {
        outcome.stage = move.to;
        // Moving on: the judge reads the free text (frame notes, win answers) the grader could not pass.
        if (before && flowStages.indexOf(move.to) > flowStages.indexOf(before)) await this.judge(live, this.freeTextToJudge(live));
      }
    }
    return outcome;
  }

  /** Asks the LLM judge (LLM interviewer only) about these targets and stores its verdicts; a failure is logged, never thrown. */
  async judge(live: LiveInterview, targets: string[]): Promise<void> {
    if (!live.llm || targets.length === 0) return;
    const outcome = await live.llm.judge(live.interview.state(Date.now()), { targets });
    if (outcome.source === 'llm') await this.judgment(live, outcome.judgment.verdicts, outcome.judgment.model ?? null);
    else if (outcome.error) this.logger.warn(`Session ${live.interview.sessionId}: the judge gave no verdict (${outcome.error})`);
  }

  /** The free-text checks (frame notes, win answers) of the current grade that did not pass. */
  private freeTextToJudge(live: LiveInterview): string[] {
    const grade = live.interview.grade();
    if (!live.llm || !grade) return [];
    return Object.values(grade.stages)
      .flatMap((stage) => stage.checks)
      .filter((check) => isJudgedCheck(check) && check.status !== 'passed' && check.status !== 'justified')
      .map((check) => check.id);
  }

  // --- writes ------------------------------------------------------------------------------------

  /**
   * Stores and broadcasts a follow-up. `supersede`: follow-ups still open are closed as superseded
   * first (a person asking a new question); otherwise nothing is asked while one is open (the AI).
   * Null when it was not asked.
   */
  async askFollowUp(
    live: LiveInterview,
    question: { bankId: string | null; question: string; probe: FollowUp['probe']; why: string | null },
    actor: EventActor,
    supersede: boolean,
  ): Promise<FollowUp | null> {
    const { interview } = live;
    const grade = interview.grade();
    const baseline = grade ? probeBaseline(grade, question.probe) : null;
    const at = new Date();
    const stored = await this.events.record(
      interview.sessionId,
      async (snapshot, read) => {
        const stage = requireLive(snapshot);
        const open = await read.openFollowUps();
        if (open.length > 0 && !supersede) return [];
        const closures = open.map((event) => this.closureEvent(event.id, { how: 'superseded', answer: null, chatId: null, improvement: null }, actor, at));
        const payload: StoredEventPayloads['followup'] = { ...question, stage, baseline, askedBy: actor };
        return [...closures, { type: 'followup', actorParticipantId: actor.participantId, payload, occurredAt: at }];
      },
      (result) => this.announce(interview.sessionId, result.events),
    );
    await this.sync(interview);
    const asked = stored.find((event) => event.type === 'followup');
    return asked ? (interview.followUp(asked.id) ?? null) : null;
  }

  /** Closes a follow-up if it is still open; false when it was closed already. */
  async closeFollowUp(
    live: LiveInterview,
    followUp: AskedFollowUp,
    closing: { how: FollowUpClosing; answer: string | null; chatId: string | null },
    actor: EventActor,
  ): Promise<boolean> {
    const { interview } = live;
    const grade = interview.grade();
    const change = grade ? improvement(followUp, grade) : null;
    const at = new Date();
    const stored = await this.events.record(
      interview.sessionId,
      async (_snapshot, read) => {
        if (!(await read.event(followUp.id, 'followup'))) throw new SessionEventError('FOLLOWUP_NOT_FOUND', `This session has no follow-up ${followUp.id}`);
        const open = await read.openFollowUps();
        if (!open.some((event) => event.id === followUp.id)) return [];
        return [this.closureEvent(followUp.id, { ...closing, improvement: change }, actor, at)];
      },
      (result) => this.announce(interview.sessionId, result.events),
    );
    await this.sync(interview);
    return stored.length > 0;
  }

  /** Stores and broadcasts a hint of the AI (about the open follow-up, if one is open). */
  async hint(live: LiveInterview, move: Extract<InterviewerMove, { kind: 'hint' }>): Promise<Hint | null> {
    const { interview } = live;
    const followUpId = interview.openFollowUp()?.id ?? null;
    const at = new Date();
    const stored = await this.events.record(
      interview.sessionId,
      async (snapshot) => {
        requireLive(snapshot);
        const payload: StoredEventPayloads['hint'] = { text: move.text, move: move.move, why: move.why, by: AI_INTERVIEWER_ACTOR, followUpId };
        return [{ type: 'hint', actorParticipantId: null, payload, occurredAt: at }];
      },
      (result) => this.announce(interview.sessionId, result.events),
    );
    await this.sync(interview);
    return stored[0] ? toHint(stored[0]) : null;
  }

  /** Stores and broadcasts the LLM judge's verdicts, each with its rationale. */
  async judgment(live: LiveInterview, verdicts: Verdict[], model: string | null): Promise<void> {
    if (verdicts.length === 0) return;
    const at = new Date();
    await this.events.record(
      live.interview.sessionId,
      async () => {
        const payload: StoredEventPayloads['judgment'] = {
          verdicts: verdicts.map(({ target, verdict, rationale }) => ({ target, verdict, rationale })),
          model,
        };
        return [{ type: 'judgment', actorParticipantId: null, payload, occurredAt: at }];
      },
      (result) => this.announce(live.interview.sessionId, result.events),
    );
    await this.sync(live.interview);
  }

  /** Stores a private note and sends it to the session's interviewers only. */
  note(sessionId: string, text: string, author: EventActor): Promise<Note> {
    const at = new Date();
    return this.events.record(
      sessionId,
      async () => {
        const payload: StoredEventPayloads['note'] = { text, author };
        return [{ type: 'note', actorParticipantId: author.participantId, payload, occurredAt: at }];
      },
      (result) => {
        const note = toNote(result.events[0]);
        this.broadcaster.toInterviewers(sessionId, 'note', note);
        return note;
      },
    );
  }

  /** Every private note of a session, oldest first. */
  async notes(sessionId: string): Promise<Note[]> {
    const notes: Note[] = [];
    let after: string | undefined;
    for (;;) {
      const rows = await this.timeline.list(sessionId, { after, limit: PAGE, types: ['note'] });
      notes.push(...rows.map(toNote));
      if (rows.length < PAGE) return notes;
      after = rows[rows.length - 1].id;
    }
  }

  /** Adds the LLM use since the last record to `interviewer_usage`. */
  async recordUsage(live: LiveInterview): Promise<void> {
    if (!live.llm) return;
    const now = live.llm.usage();
    const before = live.recordedUsage;
    const calls = now.calls - (before?.calls ?? 0);
    const changed =
      calls > 0 ||
      now.requests !== (before?.requests ?? 0) ||
      now.failures !== (before?.failures ?? 0) ||
      now.fallbacks !== (before?.fallbacks ?? 0) ||
      now.totalTokens !== (before?.totalTokens ?? 0);
    if (!changed) return;
    // The tracker keeps the last 500 latencies: the new ones are those past what was recorded.
    const seen = before?.latenciesMs.length ?? 0;
    const latenciesMs = now.latenciesMs.length > seen ? now.latenciesMs.slice(seen) : now.latenciesMs.slice(-Math.max(0, calls));
    await this.usage.add(live.interview.sessionId, {
      model: now.model,
      calls,
      requests: now.requests - (before?.requests ?? 0),
      failures: now.failures - (before?.failures ?? 0),
      fallbacks: now.fallbacks - (before?.fallbacks ?? 0),
      promptTokens: now.promptTokens - (before?.promptTokens ?? 0),
      completionTokens: now.completionTokens - (before?.completionTokens ?? 0),
      estimatedCalls: now.estimatedCalls - (before?.estimatedCalls ?? 0),
      latenciesMs,
      lastError: now.lastError !== before?.lastError ? now.lastError : null,
    });
    live.recordedUsage = now;
  }

  // --- internals ---------------------------------------------------------------------------------

  private closureEvent(
    followUpId: string,
    closing: Omit<StoredEventPayloads['followup:closed'], 'followUpId' | 'closedBy'>,
    actor: EventActor,
    at: Date,
  ): NewSessionEvent {
    const payload: StoredEventPayloads['followup:closed'] = { followUpId, ...closing, closedBy: actor };
    return { type: 'followup:closed', actorParticipantId: actor.participantId, payload, occurredAt: at };
  }

  /** Broadcasts stored interviewer events to the room, in order. */
  private announce(sessionId: string, events: SessionEventRecord[]): SessionEventRecord[] {
    for (const event of events) {
      if (event.type === 'followup') {
        const payload = event.payload as unknown as StoredEventPayloads['followup'];
        this.broadcaster.toSession(sessionId, 'followup', { id: event.id, ...payload, at: iso(event), status: 'open', answer: null });
      } else if (event.type === 'followup:closed') {
        const payload = event.payload as unknown as StoredEventPayloads['followup:closed'];
        const closed: FollowUpClosed = { id: event.id, ...payload, at: iso(event) };
        this.broadcaster.toSession(sessionId, 'followup:closed', closed);
      } else if (event.type === 'hint') {
        this.broadcaster.toSession(sessionId, 'hint', toHint(event));
      } else if (event.type === 'judgment') {
        const payload = event.payload as unknown as StoredEventPayloads['judgment'];
        const judgment: Judgment = { id: event.id, ...payload, at: iso(event) };
        this.broadcaster.toSession(sessionId, 'judgment', judgment);
      }
    }
    return events;
  }

  /** The scenario with its minutes per stage scaled by INTERVIEWER_PACE, as the AI paces the interview. */
  private paced(scenario: Scenario): Scenario {
    const { pace } = this.config.interviewer;
    if (pace === 1) return scenario;
    const timePerStage = Object.fromEntries(Object.entries(scenario.timePerStage).map(([stage, minutes]) => [stage, minutes * pace]));
    return { ...scenario, timePerStage: timePerStage as Scenario['timePerStage'] };
  }

  private offlineOptions() {
    const { quietMs, stallAfterMs, openHintAfterMs } = this.config.interviewer;
    return { quietMs, stallAfterMs, openHintAfterMs };
  }
}

/** The stage of a live session; refuses the others like every session event does. */
function requireLive(snapshot: SessionSnapshot): FlowStage {
  if (snapshot.session.status === 'created') throw new SessionEventError('SESSION_NOT_STARTED', 'The session has not started yet');
  if (snapshot.session.status === 'ended') throw new SessionEventError('SESSION_ENDED', 'The session has ended');
  return (snapshot.stage?.stage ?? 'frame') as FlowStage;
}

const toHint = (event: SessionEventRecord): Hint => ({ id: event.id, ...(event.payload as unknown as StoredEventPayloads['hint']), at: iso(event) });

const toNote = (event: SessionEventRecord): Note => ({ id: event.id, ...(event.payload as unknown as StoredEventPayloads['note']), at: iso(event) });

/** A suggestion as the console shows it: an engine follow-up without its `kind`. */
const toSuggestion = ({ bankId, question, probe, why }: Extract<InterviewerMove, { kind: 'followup' }>): FollowUpSuggestion => ({ bankId, question, probe, why });
