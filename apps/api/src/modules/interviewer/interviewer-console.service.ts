import { Injectable } from '@nestjs/common';
import { type Probe } from '@hatch/interviewer';
import type {
  EventActor,
  FollowUp,
  FollowUpMarked,
  FollowUpRequested,
  FollowupSendPayload,
  FollowUpSuggestion,
  Note,
  Role,
  SessionStatus,
} from '@hatch/protocol';
import { SessionEventError } from '../session-events/session-event.error';
import { InterviewerUsageRepository } from './interviewer-usage.repository';
import { type InterviewerView } from './interviewer.dto';
import { InterviewerService } from './interviewer.service';
import { type LiveInterview, InterviewStore } from './interview-store';

/** Who asks: a participant of the session (from a socket's handshake or a REST join token). */
export interface Participant {
  sessionId: string;
  participantId: string;
  role: Role;
  displayName: string;
}

const actorOf = (participant: Participant): EventActor => ({
  participantId: participant.participantId,
  role: participant.role,
  displayName: participant.displayName,
});

/**
 * What people do with the interviewer, over socket.io and REST alike: the human interviewer's console
 * (send a follow-up — a suggestion as is or edited, or their own —, mark one answered, private notes,
 * suggestions) and the candidate's requests (a follow-up on demand in practice, a written answer).
 * Refusals are `SessionEventError`s; the REST controller maps them to problem details.
 */
@Injectable()
export class InterviewerConsole {
  constructor(
    private readonly store: InterviewStore,
    private readonly interviewer: InterviewerService,
    private readonly usage: InterviewerUsageRepository,
  ) {}

  /** Interviewer: asks a follow-up. With `bankId`, a suggestion (as is or edited) keeps what it probes. */
  async sendFollowUp(participant: Participant, input: FollowupSendPayload): Promise<FollowUp> {
    requireRole(participant, ['interviewer'], 'send follow-ups');
    const live = await this.load(participant.sessionId);
    requireLive(live.interview.status);
    const bankId = input.bankId ?? null;
    const stage = live.interview.stage ?? 'frame';
    let probe: Probe = { stage, move: null, checks: [] };
    let why: string | null = null;
    if (bankId !== null) {
      const entry = live.interview.scenario.followUps.find((f) => f.id === bankId);
      if (!entry) {
        throw new SessionEventError('INVALID_PAYLOAD', `Invalid followup:send payload: payload.bankId "${bankId}" is not in this scenario's follow-up bank`, {
          issues: [{ path: 'payload.bankId', message: 'is not in this scenario’s follow-up bank' }],
        });
      }
      const suggested = this.store.suggestions(live, live.interview.scenario.followUps.length).find((s) => s.bankId === bankId);
      probe = suggested?.probe ?? { stage, move: entry.probes[0] ?? null, checks: [] };
      why = suggested?.why ?? null;
    }
    const followUp = await this.store.askFollowUp(live, { bankId, question: input.question ?? '', probe, why }, actorOf(participant), true);
    this.interviewer.poke(participant.sessionId);
    if (!followUp) throw new SessionEventError('INTERNAL_ERROR', 'The follow-up was not stored');
    return followUp;
  }

  /**
   * Interviewer: marks a follow-up answered (`answer` optional, e.g. a summary). Candidate: answers it
   * in words (`answer` required). Closing a closed follow-up changes nothing.
   */
  async markAnswered(participant: Participant, followUpId: string, answer: string | undefined): Promise<FollowUpMarked> {
    requireRole(participant, ['interviewer', 'candidate'], 'answer follow-ups');
    if (participant.role === 'candidate' && !answer) {
      throw new SessionEventError('INVALID_PAYLOAD', 'Invalid followup:answered payload: payload.answer is required when the candidate answers', {
        issues: [{ path: 'payload.answer', message: 'is required when the candidate answers' }],
      });
    }
    const live = await this.load(participant.sessionId);
    const asked = live.interview.askedFollowUp(followUpId);
    if (!asked) throw new SessionEventError('FOLLOWUP_NOT_FOUND', `This session has no follow-up ${followUpId}`);
    const how = participant.role === 'candidate' ? 'chat' : 'marked';
    const changed = await this.store.closeFollowUp(live, asked, { how, answer: answer ?? null, chatId: null }, actorOf(participant));
    if (changed && how === 'chat') {
      await this.store.judge(live, [`followup:${followUpId}`]);
      await this.store.recordUsage(live);
    }
    this.interviewer.poke(participant.sessionId);
    const followUp = live.interview.followUp(followUpId);
    if (!followUp) throw new SessionEventError('FOLLOWUP_NOT_FOUND', `This session has no follow-up ${followUpId}`);
    return { followUp, changed };
  }

  /** Candidate, practice sessions: the engine's next move now — a follow-up, a hint (one is open), a stage move, or nothing. */
  async request(participant: Participant): Promise<FollowUpRequested> {
    requireRole(participant, ['candidate'], 'request follow-ups');
    return this.store.run(participant.sessionId, async () => {
      const live = await this.load(participant.sessionId);
      if (live.interview.mode !== 'practice') {
        throw new SessionEventError('WRONG_MODE', `Follow-ups on request are for practice sessions; this one is ${live.interview.mode}`);
      }
      requireLive(live.interview.status);
      const outcome = await this.store.act(live, await this.store.nextMove(live));
      await this.store.recordUsage(live);
      return outcome;
    });
  }

  /** Interviewer: a private note, sent to the session's interviewers only. */
  addNote(participant: Participant, text: string): Promise<Note> {
    requireRole(participant, ['interviewer'], 'write notes');
    return this.store.note(participant.sessionId, text, actorOf(participant));
  }

  notes(participant: Participant): Promise<Note[]> {
    requireRole(participant, ['interviewer'], 'read notes');
    return this.store.notes(participant.sessionId);
  }

  async suggestions(participant: Participant): Promise<FollowUpSuggestion[]> {
    requireRole(participant, ['interviewer'], 'see suggestions');
    const live = await this.load(participant.sessionId);
    return live.interview.stage ? this.store.suggestions(live) : [];
  }

  async followUps(participant: Participant): Promise<FollowUp[]> {
    return (await this.load(participant.sessionId)).interview.followUps();
  }

  /** The session's interviewer: engine, LLM use, the open follow-up; suggestions for interviewers only. */
  async view(participant: Participant): Promise<InterviewerView> {
    const live = await this.load(participant.sessionId);
    const open = live.interview.openFollowUp();
    const stored = await this.usage.find(participant.sessionId);
    return {
      sessionId: participant.sessionId,
      mode: live.interview.mode,
      kind: live.engine.kind,
      model: live.llm?.usage().model ?? null,
      usage: stored && {
        model: stored.model,
        calls: stored.calls,
        requests: stored.requests,
        failures: stored.failures,
        fallbacks: stored.fallbacks,
        promptTokens: stored.promptTokens,
        completionTokens: stored.completionTokens,
        totalTokens: stored.promptTokens + stored.completionTokens,
        estimatedCalls: stored.estimatedCalls,
        ...latencyFigures(stored.latenciesMs),
        lastError: stored.lastError,
        updatedAt: stored.updatedAt.toISOString(),
      },
      openFollowUp: open ? (live.interview.followUp(open.id) ?? null) : null,
      ...(participant.role === 'interviewer' && live.interview.stage ? { suggestions: this.store.suggestions(live) } : {}),
    };
  }

  private async load(sessionId: string): Promise<LiveInterview> {
    const live = await this.store.load(sessionId);
    if (!live) throw new SessionEventError('INTERNAL_ERROR', 'The session or its scenario is gone');
    return live;
  }
}

function requireRole(participant: Participant, allowed: readonly Role[], action: string): void {
  if (!allowed.includes(participant.role)) {
    throw new SessionEventError('FORBIDDEN_ROLE', `The ${participant.role} may not ${action} (allowed: ${allowed.join(', ')})`);
  }
}

function requireLive(status: SessionStatus): void {
  if (status === 'created') throw new SessionEventError('SESSION_NOT_STARTED', 'The session has not started yet');
  if (status === 'ended') throw new SessionEventError('SESSION_ENDED', 'The session has ended');
}

/** Median, 95th percentile and maximum of the recorded latencies. */
function latencyFigures(latencies: readonly number[]): { medianLatencyMs: number | null; p95LatencyMs: number | null; maxLatencyMs: number | null } {
  if (latencies.length === 0) return { medianLatencyMs: null, p95LatencyMs: null, maxLatencyMs: null };
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return { medianLatencyMs: at(50), p95LatencyMs: at(95), maxLatencyMs: sorted[sorted.length - 1] };
}
