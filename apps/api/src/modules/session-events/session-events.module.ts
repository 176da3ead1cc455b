import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AuthModule } from '../auth/auth.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { SessionsModule } from '../sessions/sessions.module';
import { ParticipantAccessService } from './participant-access.service';
import { SessionBroadcaster } from './session-broadcaster';
import { SessionEventRepository } from './session-event.repository';
import { SESSION_EVENTS_REDIS, SessionEventsRedis } from './session-events-redis';
import { SessionEventsController } from './session-events.controller';
import { SessionEventsGateway } from './session-events.gateway';
import { SessionEventsService } from './session-events.service';

/** The socket.io session event channel (`/session`) and the stored timeline (`GET /api/sessions/:id/events`). */
@Module({
  imports: [AuthModule, SessionsModule, ScenariosModule],
  controllers: [SessionEventsController],
  providers: [
    SessionEventsGateway,
    SessionEventsService,
    SessionEventRepository,
    SessionBroadcaster,
    ParticipantAccessService,
    {
      provide: SESSION_EVENTS_REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.redis ? SessionEventsRedis.connect(config.redis, config.redisKeyPrefix, new Logger('SessionEvents')) : null,
    },
  ],
  exports: [SessionEventsService, SessionEventRepository, SessionBroadcaster, ParticipantAccessService],
})
export class SessionEventsModule implements OnApplicationShutdown {
  constructor(@Inject(SESSION_EVENTS_REDIS) private readonly redis: SessionEventsRedis | null) {}

  /** After the socket.io server has closed (its adapter unsubscribed). */
  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}
