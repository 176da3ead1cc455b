import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exportDbml, exportDdl, exportJson, exportMermaid, type Model } from '@hatch/model';
import { Option, type Command } from 'commander';
import type { CliIo } from '../cli-io';
import { CliInputError } from '../cli.errors';
import { readModelInput, type ModelInput } from '../input/model-input';
import { readNotes } from '../input/notes-input';
import { describeFsError } from '../input/text-input';
import { renderNotes } from '../notes/notes-renderer';

export const EXPORT_FORMATS = ['sql', 'dbml', 'mermaid', 'json', 'notes'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  to: ExportFormat;
  output?: string;
  format?: string;
  notes?: string;
  verbose?: boolean;
}

const EXPORTERS: Record<ExportFormat, (model: Model, input: ModelInput) => string> = {
  sql: exportDdl,
  dbml: exportDbml,
  mermaid: exportMermaid,
  json: exportJson,
  notes: (model, input) => renderNotes(model, `Notes for ${input.name}`),
};

export function registerExportCommand(program: Command, io: CliIo): void {
  program
    .command('export')
    .description('convert a model file: to PostgreSQL DDL, DBML, a Mermaid erDiagram, model JSON, or its Frame/Win notes as Markdown')
    .argument('<file>', 'the model: .json, .sql or .dbml; "-" reads stdin (with --format)')
    .addOption(new Option('-t, --to <format>', 'what to write').choices(EXPORT_FORMATS).makeOptionMandatory())
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--format <format>', 'the input\'s format when its extension does not say: json, sql or dbml')
    .option('-n, --notes <file>', 'merge these Markdown Frame/Win notes into the model first')
    .option('-v, --verbose', 'list the statements and details the import skipped')
    .action((file: string, options: ExportOptions) => runExport(file, options, io));
}

export async function runExport(file: string, options: ExportOptions, io: CliIo): Promise<void> {
  if (file === '-' && options.notes === '-') throw new CliInputError('USAGE', 'the model and the notes cannot both come from standard input');
  const input = await readModelInput(file, options.format, io);
  const model = options.notes ? await readNotes(options.notes, input.model, undefined, io) : input.model;
  reportImport(input, options.verbose === true, io);
  const text = EXPORTERS[options.to](model, input);
  if (options.output === undefined || options.output === '-') {
    io.stdout(text);
    return;
  }
  try {
    await writeFile(resolve(io.cwd, options.output), text, 'utf8');
  } catch (error) {
    throw new CliInputError('OUTPUT_UNWRITABLE', `${options.output}: cannot write the ${options.to} output: ${describeFsError(error)}`);
  }
}

/** What the import left out goes to stderr, so stdout stays the converted model. */
function reportImport(input: ModelInput, verbose: boolean, io: CliIo): void {
  const { skipped, warnings } = input;
  if (skipped.length === 0 && warnings.length === 0) return;
  if (!verbose) {
    const parts = [
      ...(skipped.length ? [`${skipped.length} statement${skipped.length === 1 ? '' : 's'} skipped (not part of a data model)`] : []),
      ...(warnings.length ? [`${warnings.length} warning${warnings.length === 1 ? '' : 's'}`] : []),
    ];
    io.stderr(`hatch: ${input.name}: ${parts.join(', ')}; --verbose lists them\n`);
    return;
  }
  for (const statement of skipped) io.stderr(`hatch: ${input.name}${statement.line ? `:${statement.line}` : ''}: skipped ${statement.statement} (${statement.reason})\n`);
  for (const warning of warnings) io.stderr(`hatch: ${input.name}: ${warning}\n`);
}
