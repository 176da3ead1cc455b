import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { ParticipantRepository } from './participant.repository';
import { SessionRepository } from './session.repository';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [AuthModule, ScenariosModule],
  controllers: [SessionsController],
  providers: [SessionsService, SessionRepository, ParticipantRepository],
  exports: [SessionsService, SessionRepository, ParticipantRepository],
})
export class SessionsModule {}
