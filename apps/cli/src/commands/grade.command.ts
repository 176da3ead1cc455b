import { grade } from '@hatch/grader';
import type { Model } from '@hatch/model';
import type { Scenario } from '@hatch/scenarios';
import type { Command } from 'commander';
import { useColor, type CliIo } from '../cli-io';
import { CliInputError } from '../cli.errors';
import { readModelInput } from '../input/model-input';
import { readNotes } from '../input/notes-input';
import { loadScenario, scenariosDir } from '../input/scenario-source';
import { formatGradeReport } from '../output/grade-report';
import { createStyle } from '../output/style';
import { layoutWidth } from '../output/text-layout';

export interface GradeOptions {
  scenario: string;
  notes?: string;
  json?: boolean;
  verbose?: boolean;
  format?: string;
  scenariosDir?: string;
}

export function registerGradeCommand(program: Command, io: CliIo): void {
  program
    .command('grade')
    .description('grade a model on the four FLOW stages against a scenario')
    .argument('<file>', 'the model: .json (model JSON), .sql (PostgreSQL DDL) or .dbml; "-" reads stdin (with --format)')
    .requiredOption('-s, --scenario <id>', 'the scenario to grade against (see: hatch scenarios)')
    .option('-n, --notes <file>', 'Markdown notes with the Frame and Win sections (see docs/cli.md)')
    .option('--format <format>', 'the model file\'s format when its extension does not say: json, sql or dbml')
    .option('--json', 'print the whole grade as JSON')
    .option('-v, --verbose', 'list every check with its evidence, and what the import skipped')
    .option('--scenarios-dir <dir>', 'folder of scenario files (default: $HATCH_SCENARIOS_DIR, else the repository\'s scenarios/)')
    .action((file: string, options: GradeOptions) => runGrade(file, options, io));
}

export async function runGrade(file: string, options: GradeOptions, io: CliIo): Promise<void> {
  if (file === '-' && options.notes === '-') throw new CliInputError('USAGE', 'the model and the notes cannot both come from standard input');
  const dir = scenariosDir(options.scenariosDir, io);
  const scenario = loadScenario(dir, options.scenario);
  const input = await readModelInput(file, options.format, io);
  const model: Model = options.notes ? await readNotes(options.notes, input.model, scenario, io) : input.model;
  const result = grade(model, scenario);
  if (options.json) {
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  io.stdout(
    formatGradeReport({
      grade: result,
      scenario: scenarioLabel(scenario),
      source: { name: input.name, format: input.format, skipped: input.skipped.length, warnings: input.warnings },
      model,
      notesFile: options.notes,
      verbose: options.verbose === true,
      style: createStyle(useColor(io)),
      width: layoutWidth(io.columns),
    }),
  );
}

const scenarioLabel = (scenario: Scenario) => ({ id: scenario.id, version: scenario.version, title: scenario.title });
