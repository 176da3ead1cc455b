import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadScenarioLibrary, parseScenario, scenarioIdFromFileName, type Scenario, type ScenarioLibrary } from '@hatch/scenarios';
import type { CliIo } from '../cli-io';
import { CliInputError } from '../cli.errors';
import { describeFsError } from './text-input';

/** The repository's `scenarios/` folder: this file sits at `apps/cli/{src,dist}/input/`, in source and build alike. */
export const DEFAULT_SCENARIOS_DIR = join(__dirname, '..', '..', '..', '..', 'scenarios');

/** `--scenarios-dir`, else `HATCH_SCENARIOS_DIR`, else the repository's `scenarios/`. */
export function scenariosDir(option: string | undefined, io: CliIo): string {
  if (option) return resolve(io.cwd, option);
  const fromEnv = io.env.HATCH_SCENARIOS_DIR;
  if (fromEnv) return resolve(io.cwd, fromEnv);
  return DEFAULT_SCENARIOS_DIR;
}

/** Loads and validates every scenario of the folder (a bad file throws ScenarioLoadError, naming the file and field). */
export function loadScenarios(dir: string): ScenarioLibrary {
  if (!existsSync(dir)) {
    throw new CliInputError('SCENARIOS_UNAVAILABLE', `${dir}: no such scenario folder (set --scenarios-dir or HATCH_SCENARIOS_DIR)`);
  }
  return loadScenarioLibrary(dir);
}

/**
 * One scenario by id, reading only its file (`<id>.yaml` or `<id>.yml`: the loader requires ids to equal
 * file names), so grading does not wait for the whole library to validate. An unknown id lists the ids there are.
 */
export function loadScenario(dir: string, id: string): Scenario {
  const files = scenarioFiles(dir);
  const file = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id) ? [`${id}.yaml`, `${id}.yml`].find((name) => files.includes(name)) : undefined;
  if (file) {
    const path = join(dir, file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new CliInputError('SCENARIOS_UNAVAILABLE', `${path}: cannot read the scenario file: ${describeFsError(error)}`);
    }
    return parseScenario(text, path);
  }
  const ids = [...new Set(files.map(scenarioIdFromFileName).filter((name): name is string => !!name))].sort();
  throw unknownScenario(id, ids, dir);
}

function scenarioFiles(dir: string): string[] {
  if (!existsSync(dir)) {
    throw new CliInputError('SCENARIOS_UNAVAILABLE', `${dir}: no such scenario folder (set --scenarios-dir or HATCH_SCENARIOS_DIR)`);
  }
  try {
    return readdirSync(dir).filter((name) => /\.ya?ml$/i.test(name));
  } catch (error) {
    throw new CliInputError('SCENARIOS_UNAVAILABLE', `${dir}: cannot read the scenario folder: ${(error as Error).message}`);
  }
}

function unknownScenario(id: string, ids: string[], dir: string): CliInputError {
  const suggestion = ids.find((candidate) => candidate.includes(id) || id.includes(candidate));
  return new CliInputError(
    'UNKNOWN_SCENARIO',
    `unknown scenario "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; the scenarios in ${dir} are: ${ids.join(', ') || '(none)'}`,
  );
}
