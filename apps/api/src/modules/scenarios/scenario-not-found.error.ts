import { DomainError } from '../../common/domain-error';

export class ScenarioNotFoundError extends DomainError {
  constructor(readonly scenarioId: string) {
    super('SCENARIO_NOT_FOUND', `There is no scenario "${scenarioId}"`);
  }
}
