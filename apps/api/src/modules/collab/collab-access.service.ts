import { Injectable } from '@nestjs/common';
import type { Role } from '@hatch/protocol';
import { JoinTokenError } from '../auth/join-token.error';
import { JoinTokenService } from '../auth/join-token.service';
import { ParticipantRepository } from '../sessions/participant.repository';
import { SessionNotFoundError } from '../sessions/session-not-found.error';
import { SessionRepository } from '../sessions/session.repository';

export interface CollabAccess {
  sessionId: string;
  participantId: string;
  role: Role;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who may open a session's document, checked in the order REST uses: token valid (TOKEN_*), for this
 * session (TOKEN_WRONG_SESSION), session exists (SESSION_NOT_FOUND), participant belongs to it
 * (TOKEN_INVALID). Participants already let into a loaded room are remembered until it unloads, so
 * a client reconnecting while the database is down gets its room back.
 */
@Injectable()
export class CollabAccessService {
  private readonly admitted = new Map<string, Set<string>>();

  constructor(
    private readonly joinTokens: JoinTokenService,
    private readonly sessions: SessionRepository,
    private readonly participants: ParticipantRepository,
  ) {}

  async authorize(rawSessionId: string, token: string | undefined): Promise<CollabAccess> {
    if (!UUID.test(rawSessionId)) throw new SessionNotFoundError(rawSessionId.slice(0, 100));
    const sessionId = rawSessionId.toLowerCase();
    const claims = await this.joinTokens.verify(token, sessionId);
    const access = { sessionId, participantId: claims.participantId, role: claims.role };
    if (this.admitted.get(sessionId)?.has(claims.participantId)) return access;
    const session = await this.sessions.findById(sessionId);
    if (!session) throw new SessionNotFoundError(sessionId);
    const participant = await this.participants.findInSession(sessionId, claims.participantId);
    if (!participant) throw new JoinTokenError('TOKEN_INVALID', 'The join token names a participant this session does not have');
    return access;
  }

  /** Remember a participant whose client joined the session's room. */
  admit(access: CollabAccess): void {
    const set = this.admitted.get(access.sessionId) ?? new Set<string>();
    set.add(access.participantId);
    this.admitted.set(access.sessionId, set);
  }

  /** The room unloaded: check its participants against the database again next time. */
  forget(sessionId: string): void {
    this.admitted.delete(sessionId);
  }
}
