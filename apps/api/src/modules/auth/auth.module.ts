import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { JOIN_TOKEN_AUDIENCE, JOIN_TOKEN_ISSUER, JoinTokenService } from './join-token.service';

/** Join tokens: signing and verification, shared by REST and (next) the realtime gateways. */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        // A KeyObject made once: given a string, jsonwebtoken tries createPublicKey (which throws) and then
        // createSecretKey on every sign and verify — ~0.5 ms each, 10 % of the server's CPU in a reconnect storm.
        const key = createSecretKey(Buffer.from(config.secret, 'utf8'));
        return {
          secretOrKeyProvider: () => key,
          signOptions: { algorithm: 'HS256', issuer: JOIN_TOKEN_ISSUER, audience: JOIN_TOKEN_AUDIENCE },
          verifyOptions: { algorithms: ['HS256'], issuer: JOIN_TOKEN_ISSUER, audience: JOIN_TOKEN_AUDIENCE },
        };
      },
    }),
  ],
  providers: [JoinTokenService],
  exports: [JoinTokenService],
})
export class AuthModule {}
