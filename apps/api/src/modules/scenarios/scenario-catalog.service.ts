import { Inject, Injectable } from '@nestjs/common';
import type { PublicScenario, Scenario, ScenarioLibrary, ScenarioSummary } from '@hatch/scenarios';
import { SCENARIO_LIBRARY } from './scenario-library.module';
import { ScenarioNotFoundError } from './scenario-not-found.error';

/** Read access to the scenario library; the public views never include the answer key. */
@Injectable()
export class ScenarioCatalog {
  constructor(@Inject(SCENARIO_LIBRARY) private readonly library: ScenarioLibrary) {}

  listSummaries(): ScenarioSummary[] {
    return this.library.list().map((scenario) => this.library.summary(scenario));
  }

  getPublic(id: string): PublicScenario {
    return this.library.toPublicScenario(this.get(id));
  }

  /** The full scenario (with its answer key) for server-side use; throws `ScenarioNotFoundError`. */
  get(id: string): Scenario {
    const scenario = this.library.get(id);
    if (!scenario) throw new ScenarioNotFoundError(id);
    return scenario;
  }

  find(id: string): Scenario | undefined {
    return this.library.get(id);
  }

  summarize(scenario: Scenario): ScenarioSummary {
    return this.library.summary(scenario);
  }
}
