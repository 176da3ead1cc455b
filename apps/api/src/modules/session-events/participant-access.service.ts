import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { JoinTokenError } from '../auth/join-token.error';
import { type JoinTokenClaims, JoinTokenService } from '../auth/join-token.service';
import { ParticipantRepository } from '../sessions/participant.repository';
import { SessionNotFoundError } from '../sessions/session-not-found.error';
import { SessionRepository } from '../sessions/session.repository';
import type { ParticipantRecord, SessionRecord } from '../sessions/session.types';
import { SessionIdInvalidError } from './session-event.error';

export interface ParticipantAccess {
  session: SessionRecord;
  participant: ParticipantRecord;
  claims: JoinTokenClaims;
}

const sessionIdSchema = z.guid().transform((id) => id.toLowerCase());

/**
 * Who a join token lets in, checked in the same order as REST: session id well-formed, token valid
 * (TOKEN_*), for this session (TOKEN_WRONG_SESSION), session exists (SESSION_NOT_FOUND), and the
 * token's participant belongs to it (TOKEN_INVALID).
 */
@Injectable()
export class ParticipantAccessService {
  constructor(
    private readonly joinTokens: JoinTokenService,
    private readonly sessions: SessionRepository,
    private readonly participants: ParticipantRepository,
  ) {}

  /** `sessionId` as the client gave it (handshake): anything, checked here. */
  async authorizeRaw(sessionId: unknown, token: string | undefined): Promise<ParticipantAccess> {
    const parsed = sessionIdSchema.safeParse(sessionId);
    if (!parsed.success) throw new SessionIdInvalidError();
    return this.authorize(parsed.data, token);
  }

  async authorize(sessionId: string, token: string | undefined): Promise<ParticipantAccess> {
    const claims = await this.joinTokens.verify(token, sessionId);
    const session = await this.sessions.findById(sessionId);
    if (!session) throw new SessionNotFoundError(sessionId);
    const participant = await this.participants.findInSession(sessionId, claims.participantId);
    if (!participant) throw new JoinTokenError('TOKEN_INVALID', 'The join token names a participant this session does not have');
    return { session, participant, claims };
  }
}
