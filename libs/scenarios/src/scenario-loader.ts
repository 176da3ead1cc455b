import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createScenarioLibrary } from './scenario-library';
import { ScenarioLoadError, type ScenarioProblem } from './scenario-load.error';
import { analyzeScenario, MAX_SCENARIO_FILE_BYTES } from './scenario-parser';
import type { Scenario, ScenarioLibrary } from './scenario.types';

const SCENARIO_FILE = /\.ya?ml$/i;

/**
 * Reads every `*.yaml`/`*.yml` file directly in `dir` (not sub-folders), validates all of them and
 * returns the library. Throws one `ScenarioLoadError` listing the problems of every bad file.
 */
export function loadScenarioLibrary(dir: string): ScenarioLibrary {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => SCENARIO_FILE.test(name)).sort();
  } catch (error) {
    throw new ScenarioLoadError([{ file: dir, path: '', reason: `cannot read the scenario folder: ${(error as Error).message}` }]);
  }

  const problems: ScenarioProblem[] = [];
  const loaded: { scenario: Scenario; file: string }[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const text = readScenarioFile(file, problems);
    if (text === undefined) continue;
    const analysis = analyzeScenario(text, file);
    if (analysis.ok) loaded.push({ scenario: analysis.scenario, file });
    else problems.push(...analysis.problems);
  }

  // Ids equal file names, so duplicates come from `x.yaml` next to `x.yml`.
  const firstFile = new Map<string, string>();
  const unique = loaded.filter(({ scenario, file }) => {
    const first = firstFile.get(scenario.id);
    if (first === undefined) {
      firstFile.set(scenario.id, file);
      return true;
    }
    problems.push({ file, path: 'id', reason: `duplicate scenario id "${scenario.id}" (also in ${first})` });
    return false;
  });

  if (problems.length > 0) throw new ScenarioLoadError(problems);
  return createScenarioLibrary(
    unique.map(({ scenario }) => scenario),
    unique.map(({ file }) => file),
  );
}

function readScenarioFile(file: string, problems: ScenarioProblem[]): string | undefined {
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return undefined;
    if (stats.size > MAX_SCENARIO_FILE_BYTES) {
      problems.push({ file, path: '', reason: `file is larger than ${MAX_SCENARIO_FILE_BYTES} bytes` });
      return undefined;
    }
    return readFileSync(file, 'utf8');
  } catch (error) {
    problems.push({ file, path: '', reason: `cannot read the file: ${(error as Error).message}` });
    return undefined;
  }
}
