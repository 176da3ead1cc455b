import { Module } from '@nestjs/common';
import { ScenarioCatalog } from './scenario-catalog.service';
import { ScenariosController } from './scenarios.controller';

@Module({
  controllers: [ScenariosController],
  providers: [ScenarioCatalog],
  exports: [ScenarioCatalog],
})
export class ScenariosModule {}
