import { toPublicScenario } from '@hatch/scenarios';
import type { Command } from 'commander';
import { useColor, type CliIo } from '../cli-io';
import { loadScenario, loadScenarios, scenariosDir } from '../input/scenario-source';
import { formatScenarioDetail, formatScenarioList } from '../output/scenario-list';
import { createStyle } from '../output/style';
import { layoutWidth } from '../output/text-layout';

export interface ScenariosOptions {
  json?: boolean;
  scenariosDir?: string;
}

export function registerScenariosCommand(program: Command, io: CliIo): void {
  program
    .command('scenarios')
    .description('list the scenarios (id, difficulty, time, formats, title), or show one scenario and its product question ids')
    .argument('[id]', 'a scenario id: show its prompt and product questions (no answer key)')
    .option('--json', 'print JSON instead of a table')
    .option('--scenarios-dir <dir>', 'folder of scenario files (default: $HATCH_SCENARIOS_DIR, else the repository\'s scenarios/)')
    .action((id: string | undefined, options: ScenariosOptions) => runScenarios(id, options, io));
}

export function runScenarios(id: string | undefined, options: ScenariosOptions, io: CliIo): void {
  const dir = scenariosDir(options.scenariosDir, io);
  const style = createStyle(!options.json && useColor(io));
  if (id !== undefined) {
    const scenario = toPublicScenario(loadScenario(dir, id));
    io.stdout(options.json ? `${JSON.stringify(scenario, null, 2)}\n` : formatScenarioDetail(scenario, style, layoutWidth(io.columns)));
    return;
  }
  const library = loadScenarios(dir);
  const summaries = library.list().map((scenario) => library.summary(scenario));
  io.stdout(options.json ? `${JSON.stringify(summaries, null, 2)}\n` : formatScenarioList(summaries, style));
}
