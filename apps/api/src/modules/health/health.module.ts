import { Module } from '@nestjs/common';
import { DatabaseHealthRepository } from './database-health.repository';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  controllers: [HealthController],
  providers: [HealthService, DatabaseHealthRepository],
})
export class HealthModule {}
