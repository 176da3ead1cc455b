import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { PARTICIPANT_ROLES, type ParticipantRole } from '../../database/entities';
import { JoinTokenError } from '../auth/join-token.error';
import { JoinTokenService } from '../auth/join-token.service';
import { ScenarioCatalog } from '../scenarios/scenario-catalog.service';
import { ParticipantRepository } from './participant.repository';
import type { CreatedSession, CreateSessionInput, SessionView } from './session.dto';
import { SessionNotFoundError } from './session-not-found.error';
import { SessionRepository } from './session.repository';

const DISPLAY_NAMES: Record<ParticipantRole, string> = {
  candidate: 'Candidate',
  interviewer: 'Interviewer',
  observer: 'Observer',
  reviewer: 'Reviewer',
};

@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly participants: ParticipantRepository,
    private readonly scenarios: ScenarioCatalog,
    private readonly joinTokens: JoinTokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Opens a session on a scenario with one participant per role, and hands out a join token for each. */
  async create(input: CreateSessionInput): Promise<CreatedSession> {
    const scenario = this.scenarios.get(input.scenarioId);
    const sessionId = randomUUID();
    const participants = PARTICIPANT_ROLES.map((role) => ({ id: randomUUID(), role, displayName: DISPLAY_NAMES[role] }));
    const session = await this.sessions.createWithParticipants(
      { id: sessionId, scenarioId: scenario.id, scenarioVersion: scenario.version, mode: input.mode },
      participants,
    );
    const expiresAt = new Date(Date.now() + this.config.tokenTtlSeconds * 1000);
    const signed = await Promise.all(
      participants.map(async (p) => [p.role, await this.joinTokens.sign({ sessionId, role: p.role, participantId: p.id })] as const),
    );
    const tokens = Object.fromEntries(signed) as Record<ParticipantRole, string>;
    const links = Object.fromEntries(signed.map(([role, token]) => [role, `/sessions/${sessionId}#token=${token}`])) as Record<
      ParticipantRole,
      string
    >;
    return {
      sessionId,
      scenarioId: session.scenarioId,
      scenarioVersion: session.scenarioVersion,
      mode: session.mode,
      status: session.status,
      createdAt: session.createdAt.toISOString(),
      tokens,
      links,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** The session as the holder of `token` sees it. Token problems come before existence: 401/403, then 404. */
  async getForToken(sessionId: string, token: string | undefined): Promise<SessionView> {
    const claims = await this.joinTokens.verify(token, sessionId);
    const session = await this.sessions.findById(sessionId);
    if (!session) throw new SessionNotFoundError(sessionId);
    const participants = await this.participants.listBySession(sessionId);
    if (!participants.some((p) => p.id === claims.participantId)) {
      throw new JoinTokenError('TOKEN_INVALID', 'The join token names a participant this session does not have');
    }
    const scenario = this.scenarios.find(session.scenarioId);
    const summary = scenario ? this.scenarios.summarize(scenario) : undefined;
    const roleOrder = (role: ParticipantRole) => PARTICIPANT_ROLES.indexOf(role);
    return {
      id: session.id,
      scenario: {
        id: session.scenarioId,
        version: session.scenarioVersion,
        title: summary?.title ?? null,
        formats: summary?.formats ?? [],
        difficulty: summary?.difficulty ?? null,
        totalMinutes: summary?.totalMinutes ?? null,
      },
      mode: session.mode,
      status: session.status,
      createdAt: session.createdAt.toISOString(),
      startedAt: session.startedAt?.toISOString() ?? null,
      endedAt: session.endedAt?.toISOString() ?? null,
      participants: [...participants]
        .sort((a, b) => roleOrder(a.role) - roleOrder(b.role))
        .map((p) => ({ id: p.id, role: p.role, displayName: p.displayName, joinedAt: p.joinedAt?.toISOString() ?? null })),
      you: { role: claims.role, participantId: claims.participantId },
    };
  }
}
