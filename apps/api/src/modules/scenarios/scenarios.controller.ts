import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { PublicScenario, ScenarioSummary } from '@hatch/scenarios';
import { PublicScenarioDto, ScenarioSummaryDto } from './scenario.dto';
import { ScenarioCatalog } from './scenario-catalog.service';

@ApiTags('scenarios')
@Controller('scenarios')
export class ScenariosController {
  constructor(private readonly catalog: ScenarioCatalog) {}

  @Get()
  @ApiOkResponse({ type: [ScenarioSummaryDto], description: 'Every scenario, sorted by id' })
  list(): ScenarioSummary[] {
    return this.catalog.listSummaries();
  }

  @Get(':id')
  @ApiOkResponse({ type: PublicScenarioDto, description: 'The scenario as candidates see it (no answer key)' })
  @ApiNotFoundResponse({ description: 'No such scenario (problem details)' })
  get(@Param('id') id: string): PublicScenario {
    return this.catalog.getPublic(id);
  }
}
