import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { z } from 'zod';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { PARTICIPANT_ROLES, type ParticipantRole } from '../../database/entities';
import { JoinTokenError } from './join-token.error';

export const JOIN_TOKEN_ISSUER = 'hatch';
export const JOIN_TOKEN_AUDIENCE = 'hatch:session';

/** What a verified join token says: who may join which session, as which participant. */
export interface JoinTokenClaims {
  sessionId: string;
  role: ParticipantRole;
  participantId: string;
  expiresAt: Date;
}

export type JoinTokenSubject = Omit<JoinTokenClaims, 'expiresAt'>;

const payloadSchema = z.object({
  sid: z.string().min(1),
  sub: z.string().min(1),
  role: z.enum(PARTICIPANT_ROLES),
  exp: z.number(),
});

/**
 * Signs and verifies join tokens (JWT, HS256, `iss`/`aud` checked). The one place tokens are checked:
 * REST today, the Yjs WebSocket and socket.io gateways next, each mapping the error codes its own way.
 */
@Injectable()
export class JoinTokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  sign(subject: JoinTokenSubject, ttlSeconds: number = this.config.tokenTtlSeconds): Promise<string> {
    return this.jwt.signAsync(
      { sid: subject.sessionId, role: subject.role },
      { subject: subject.participantId, expiresIn: ttlSeconds },
    );
  }

  /** Returns the claims of a token valid for `sessionId`, or throws `JoinTokenError` with the reason's code. */
  async verify(token: string | undefined, sessionId: string): Promise<JoinTokenClaims> {
    if (!token) throw new JoinTokenError('TOKEN_MISSING', 'A join token is required (Authorization: Bearer <token>, or ?token=)');
    let payload: unknown;
    try {
      payload = await this.jwt.verifyAsync(token);
    } catch (error) {
      if ((error as Error).name === 'TokenExpiredError') throw new JoinTokenError('TOKEN_EXPIRED', 'The join token has expired');
      throw new JoinTokenError('TOKEN_INVALID', 'The join token is not valid');
    }
    const claims = payloadSchema.safeParse(payload);
    if (!claims.success) throw new JoinTokenError('TOKEN_INVALID', 'The join token is not valid');
    if (claims.data.sid !== sessionId.toLowerCase()) {
      throw new JoinTokenError('TOKEN_WRONG_SESSION', 'The join token belongs to another session');
    }
    return {
      sessionId: claims.data.sid,
      role: claims.data.role,
      participantId: claims.data.sub,
      expiresAt: new Date(claims.data.exp * 1000),
    };
  }
}
