import type { Grade } from '@hatch/grader';
import {
  type AskedFollowUp,
  type ConversationTurn,
  type InterviewState,
  mergeJudgment,
  type ScorePoint,
  type SessionMode,
  type Speaker,
  type Verdict,
} from '@hatch/interviewer';
import type { Model } from '@hatch/model';
import type { ActorRole, FlowStage, FollowUp, ScoreUpdate, SessionStatus, StoredEventPayloads } from '@hatch/protocol';
import type { Scenario } from '@hatch/scenarios';
import type { SessionEventRecord } from '../session-events/session-event.repository';

const SPEAKERS: Partial<Record<ActorRole, Speaker>> = { candidate: 'candidate', interviewer: 'interviewer', 'ai-interviewer': 'ai-interviewer' };

const INTERVIEWER_ROLES: readonly ActorRole[] = ['interviewer', 'ai-interviewer'];

/** Elements of a model that count as progress when one is added. */
const elementCount = (model: Model): number =>
  model.entities.reduce((n, e) => n + 1 + e.fields.length + e.constraints.length + e.indexes.length, 0) +
  model.relationships.length +
  model.events.length +
  model.frame.actors.length +
  model.frame.rules.length +
  model.frame.accessPatterns.length +
  model.win.answers.length;

/**
 * One session as the interviewer sees it, rebuilt from the stored timeline and score samples (the
 * source of truth, so any api process can rebuild it) plus the newest full grade. `state(now)` is the
 * `InterviewState` the engines decide with; the follow-up views are what clients are sent.
 */
export class SessionInterview {
  status: SessionStatus = 'created';
  stage: FlowStage | null = null;
  sessionStartedAt: number | null = null;
  stageStartedAt: number | null = null;
  /** Newest event and sample read so far: the next sync reads after them. */
  lastEventId: string | undefined;
  lastSampleId: string | undefined;
  /** The newest full grade held and the document seq it grades. */
  current: { seq: number; grade: Grade; model: Model } | null = null;
  /** Highest seq of the stored samples. */
  sampledSeq = -1;
  lastProgressAt: number | null = null;
  lastInterviewerMoveAt: number | null = null;
  readonly conversation: ConversationTurn[] = [];
  readonly history: ScorePoint[] = [];
  private readonly asked: AskedFollowUp[] = [];
  private readonly views = new Map<string, FollowUp>();
  private readonly verdicts = new Map<string, Verdict>();
  /** The candidate's chat turns with their event ids, oldest first. */
  private readonly candidateChats: Array<{ id: string; turn: ConversationTurn }> = [];
  private elements = 0;
  /** `grade()` with the verdicts merged, until the grade or the verdicts change. */
  private merged: Grade | undefined;

  constructor(
    readonly sessionId: string,
    readonly scenario: Scenario,
    readonly mode: SessionMode,
  ) {}

  /** Applies one stored event (in id order; one already applied is skipped). */
  apply(event: SessionEventRecord): void {
    if (this.lastEventId !== undefined && BigInt(event.id) <= BigInt(this.lastEventId)) return;
    this.lastEventId = event.id;
    const at = event.occurredAt.getTime();
    switch (event.type) {
      case 'session:start':
        this.status = 'live';
        this.sessionStartedAt = at;
        return;
      case 'session:end':
        this.status = 'ended';
        return;
      case 'stage': {
        const payload = event.payload as unknown as StoredEventPayloads['stage'];
        this.stage = payload.stage;
        this.stageStartedAt = at;
        if (payload.previous !== null && INTERVIEWER_ROLES.includes(payload.changedBy.role)) this.lastInterviewerMoveAt = at;
        return;
      }
      case 'chat': {
        const payload = event.payload as unknown as StoredEventPayloads['chat'];
        const speaker = SPEAKERS[payload.role];
        if (!speaker) return;
        const turn: ConversationTurn = { at, speaker, kind: 'chat', text: payload.text };
        this.conversation.push(turn);
        if (speaker === 'candidate') this.candidateChats.push({ id: event.id, turn });
        return;
      }
      case 'followup': {
        const payload = event.payload as unknown as StoredEventPayloads['followup'];
        this.asked.push({
          id: event.id,
          bankId: payload.bankId,
          question: payload.question,
          probe: payload.probe,
          askedAt: at,
          baseline: payload.baseline,
          closed: null,
        });
        this.views.set(event.id, { id: event.id, ...payload, at: event.occurredAt.toISOString(), status: 'open', answer: null });
        this.conversation.push({ at, speaker: SPEAKERS[payload.askedBy.role] ?? 'interviewer', kind: 'followup', text: payload.question, followUpId: event.id });
        this.lastInterviewerMoveAt = at;
        return;
      }
      case 'followup:closed': {
        const payload = event.payload as unknown as StoredEventPayloads['followup:closed'];
        const asked = this.asked.find((f) => f.id === payload.followUpId);
        if (!asked || asked.closed) return;
        asked.closed = { at, how: payload.how === 'superseded' ? 'marked' : payload.how, answer: payload.answer };
        const view = this.views.get(payload.followUpId);
        if (view) {
          view.status = 'answered';
          view.answer = { how: payload.how, text: payload.answer, improvement: payload.improvement, by: payload.closedBy, at: event.occurredAt.toISOString() };
        }
        const chat = payload.chatId ? this.candidateChats.find((c) => c.id === payload.chatId)?.turn : undefined;
        if (chat) {
          chat.kind = 'answer';
          chat.followUpId = payload.followUpId;
        } else if (payload.how === 'chat' && payload.answer) {
          this.conversation.push({ at, speaker: SPEAKERS[payload.closedBy.role] ?? 'candidate', kind: 'answer', text: payload.answer, followUpId: payload.followUpId });
        }
        return;
      }
      case 'hint': {
        const payload = event.payload as unknown as StoredEventPayloads['hint'];
        this.conversation.push({ at, speaker: SPEAKERS[payload.by.role] ?? 'ai-interviewer', kind: 'hint', text: payload.text, ...(payload.followUpId ? { followUpId: payload.followUpId } : {}) });
        this.lastInterviewerMoveAt = at;
        return;
      }
      case 'judgment': {
        const payload = event.payload as unknown as StoredEventPayloads['judgment'];
        for (const verdict of payload.verdicts) this.verdicts.set(verdict.target, verdict);
        this.merged = undefined;
        return;
      }
      default:
        return; // presence, notes: not part of the interview's state
    }
  }

  /** Applies one stored score sample (in id order; one already applied is skipped). */
  applySample(sample: ScoreUpdate): void {
    if (this.lastSampleId !== undefined && BigInt(sample.id) <= BigInt(this.lastSampleId)) return;
    this.lastSampleId = sample.id;
    const at = Date.parse(sample.at);
    const previous = this.history.at(-1);
    if (previous && (previous.total !== sample.total || Object.keys(sample.stages).some((s) => previous.stages[s as FlowStage] !== sample.stages[s as FlowStage]))) {
      this.lastProgressAt = at;
    }
    this.history.push({ at, seq: sample.seq, stages: sample.stages, total: sample.total, weakMoves: sample.weakMoves });
    if (sample.seq > this.sampledSeq) this.sampledSeq = sample.seq;
  }

  /** Holds a newer full grade; an added element counts as progress even when no score moved. */
  setGrade(seq: number, grade: Grade, model: Model, at: number): boolean {
    if (this.current && seq <= this.current.seq) return false;
    const count = elementCount(model);
    if (this.current && count > this.elements) this.lastProgressAt = Math.max(this.lastProgressAt ?? 0, at);
    this.elements = count;
    this.current = { seq, grade, model };
    this.merged = undefined;
    return true;
  }

  /** The grade the engines see: the newest one with the judge's verdicts merged (a verdict only raises a free-text check). */
  grade(): Grade | null {
    if (!this.current) return null;
    if (this.verdicts.size === 0) return this.current.grade;
    this.merged ??= mergeJudgment(this.current.grade, { verdicts: [...this.verdicts.values()] });
    return this.merged;
  }

  state(now: number): InterviewState {
    return {
      scenario: this.scenario,
      mode: this.mode,
      now,
      stage: this.stage,
      sessionStartedAt: this.sessionStartedAt,
      stageStartedAt: this.stageStartedAt,
      grade: this.grade(),
      model: this.current?.model ?? null,
      history: this.history,
      conversation: this.conversation,
      followUps: this.asked,
      lastProgressAt: this.lastProgressAt,
      lastInterviewerMoveAt: this.lastInterviewerMoveAt,
    };
  }

  openFollowUp(): AskedFollowUp | null {
    return this.asked.find((f) => f.closed === null) ?? null;
  }

  followUp(id: string): FollowUp | undefined {
    return this.views.get(id);
  }

  followUps(): FollowUp[] {
    return [...this.views.values()];
  }

  askedFollowUp(id: string): AskedFollowUp | undefined {
    return this.asked.find((f) => f.id === id);
  }

  /** The candidate's chat messages stored after event `afterId`, oldest first: answers to check against the open follow-up. */
  candidateChatsAfter(afterId: string | undefined): Array<{ id: string; turn: ConversationTurn }> {
    return afterId === undefined ? [...this.candidateChats] : this.candidateChats.filter((c) => BigInt(c.id) > BigInt(afterId));
  }
}
