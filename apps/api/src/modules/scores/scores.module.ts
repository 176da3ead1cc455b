import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AuthModule } from '../auth/auth.module';
import { CollabModule } from '../collab/collab.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { SessionEventsModule } from '../session-events/session-events.module';
import { SessionsModule } from '../sessions/sessions.module';
import { GradeWorkerHost } from './grade-worker-host';
import { LiveGradingService } from './live-grading.service';
import { ScoreSampleRepository } from './score-sample.repository';
import { ScoresController } from './scores.controller';
import { ScoresService } from './scores.service';

/**
 * Scores over time: live grading of every room (debounced, in a worker thread), the stored samples,
 * and `GET /api/sessions/:id/scores|model|grade`. Depends on collab and session-events; neither knows it.
 */
@Module({
  imports: [AuthModule, SessionsModule, ScenariosModule, SessionEventsModule, CollabModule],
  controllers: [ScoresController],
  providers: [
    ScoreSampleRepository,
    LiveGradingService,
    ScoresService,
    {
      provide: GradeWorkerHost,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new GradeWorkerHost({ scenariosDir: config.scenariosDir, timeoutMs: config.grading.timeoutMs, nice: config.grading.workerNice, logger: new Logger('GradeWorker') }),
    },
  ],
  exports: [LiveGradingService, ScoresService, ScoreSampleRepository],
})
export class ScoresModule implements OnApplicationShutdown {
  constructor(@Inject(GradeWorkerHost) private readonly worker: GradeWorkerHost) {}

  /** After the rooms closed and running grades were stored (beforeApplicationShutdown). */
  async onApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
