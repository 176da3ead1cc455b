import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { ScenarioLibrary } from '@hatch/scenarios';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { ZodValidationPipe } from './common/zod-validation.pipe';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import type { Database } from './database/database';
import { DatabaseModule } from './database/database.module';
import { AuthModule } from './modules/auth/auth.module';
import { CollabModule } from './modules/collab/collab.module';
import { HealthModule } from './modules/health/health.module';
import { InterviewerModule } from './modules/interviewer/interviewer.module';
import { ScenarioLibraryModule } from './modules/scenarios/scenario-library.module';
import { ScenariosModule } from './modules/scenarios/scenarios.module';
import { ScoresModule } from './modules/scores/scores.module';
import { SessionEventsModule } from './modules/session-events/session-events.module';
import { SessionsModule } from './modules/sessions/sessions.module';

/** What the app is built from: everything established (and validated) before Nest starts. */
export interface AppDependencies {
  config: AppConfig;
  database: Database;
  scenarios: ScenarioLibrary;
}

@Module({})
export class AppModule {
  static register({ config, database, scenarios }: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(database),
        ScenarioLibraryModule.forRoot(scenarios),
        AuthModule,
        HealthModule,
        ScenariosModule,
        SessionsModule,
        SessionEventsModule,
        CollabModule,
        ScoresModule,
        InterviewerModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useClass: ZodValidationPipe },
      ],
    };
  }
}
