import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { ScoresModule } from '../scores/scores.module';
import { SessionEventsModule } from '../session-events/session-events.module';
import { SessionsModule } from '../sessions/sessions.module';
import { InterviewStore } from './interview-store';
import { InterviewerConsole } from './interviewer-console.service';
import { InterviewerLeaseRepository } from './interviewer-lease.repository';
import { InterviewerUsageRepository } from './interviewer-usage.repository';
import { InterviewerController } from './interviewer.controller';
import { InterviewerGateway } from './interviewer.gateway';
import { InterviewerService } from './interviewer.service';

/**
 * The AI interviewer and the human interviewer's console. Built on session-events (stored events,
 * rooms) and scores (live grades); neither knows it.
 */
@Module({
  imports: [AuthModule, SessionsModule, ScenariosModule, SessionEventsModule, ScoresModule],
  controllers: [InterviewerController],
  providers: [InterviewStore, InterviewerService, InterviewerConsole, InterviewerGateway, InterviewerLeaseRepository, InterviewerUsageRepository],
  exports: [InterviewerService],
})
export class InterviewerModule {}
