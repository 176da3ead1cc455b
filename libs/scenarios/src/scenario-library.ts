import { ScenarioLoadError } from './scenario-load.error';
import type { PublicScenario, Scenario, ScenarioLibrary, ScenarioSummary } from './scenario.types';

/** Strips the answer key: reference model, concepts, rubric, follow-ups, expected framing and tenancy. */
export function toPublicScenario(scenario: Scenario): PublicScenario {
  return {
    id: scenario.id,
    version: scenario.version,
    title: scenario.title,
    prompt: scenario.prompt,
    formats: [...scenario.formats],
    difficulty: scenario.difficulty,
    timePerStage: { ...scenario.timePerStage },
    productQuestions: scenario.productQuestions.map(({ id, category, question }) => ({ id, category, question })),
  };
}

export function summarizeScenario(scenario: Scenario): ScenarioSummary {
  const { frame, list, optimize, win } = scenario.timePerStage;
  return {
    id: scenario.id,
    version: scenario.version,
    title: scenario.title,
    formats: [...scenario.formats],
    difficulty: scenario.difficulty,
    totalMinutes: frame + list + optimize + win,
  };
}

/**
 * A library over already-validated scenarios. `files` names where each came from, for the
 * duplicate-id error; `loadScenarioLibrary` is the usual way in.
 */
export function createScenarioLibrary(scenarios: readonly Scenario[], files: readonly string[] = []): ScenarioLibrary {
  const byId = new Map<string, Scenario>();
  const fileOf = new Map<string, string>();
  scenarios.forEach((scenario, i) => {
    const file = files[i] ?? `${scenario.id}.yaml`;
    const first = fileOf.get(scenario.id);
    if (first !== undefined) {
      throw new ScenarioLoadError([{ file, path: 'id', reason: `duplicate scenario id "${scenario.id}" (also in ${first})` }]);
    }
    byId.set(scenario.id, scenario);
    fileOf.set(scenario.id, file);
  });
  const sorted = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    list: () => [...sorted],
    get: (id) => byId.get(id),
    summary: summarizeScenario,
    toPublicScenario,
  };
}
