import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AuthModule } from '../auth/auth.module';
import { SessionsModule } from '../sessions/sessions.module';
import { CollabAccessService } from './collab-access.service';
import { CollabGateway } from './collab.gateway';
import { COLLAB_FANOUT, CollabService } from './collab.service';
import { PostgresUpdateStore } from './postgres-update-store';
import { RedisFanout } from './redis-fanout';
import { SnapshotRepository } from './snapshot.repository';
import { UpdateLogRepository } from './update-log.repository';

/** The Yjs sync endpoint `/collab/:sessionId`: rooms over the update log, fanned out through Redis when configured. */
@Module({
  imports: [AuthModule, SessionsModule],
  providers: [
    UpdateLogRepository,
    SnapshotRepository,
    PostgresUpdateStore,
    CollabAccessService,
    CollabService,
    CollabGateway,
    {
      provide: COLLAB_FANOUT,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        if (!config.redis) return null;
        const logger = new Logger('Collab');
        const fanout = await RedisFanout.connect(config.redis, config.redisKeyPrefix, logger);
        logger.log(`Collab rooms fan out through Redis at ${config.redis.address} (node ${fanout.nodeId})`);
        return fanout;
      },
    },
  ],
  exports: [CollabService, PostgresUpdateStore],
})
export class CollabModule implements OnApplicationShutdown {
  constructor(@Inject(COLLAB_FANOUT) private readonly fanout: RedisFanout | null) {}

  /** After the rooms have closed (beforeApplicationShutdown). */
  async onApplicationShutdown(): Promise<void> {
    await this.fanout?.close();
  }
}
