import { extname } from 'node:path';
import { importDbml, importDdl, importJson, type Model } from '@hatch/model';
import type { CliIo } from '../cli-io';
import { CliInputError } from '../cli.errors';
import { InputFileError } from './input-file.error';
import { readTextInput } from './text-input';

export const MODEL_FORMATS = ['json', 'sql', 'dbml'] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

const EXTENSIONS: Record<string, ModelFormat> = {
  '.json': 'json',
  '.sql': 'sql',
  '.ddl': 'sql',
  '.pgsql': 'sql',
  '.psql': 'sql',
  '.dbml': 'dbml',
};

export interface ModelInput {
  /** The file as named (`<stdin>` for `-`). */
  name: string;
  format: ModelFormat;
  text: string;
  model: Model;
  /** DDL statements that are not part of a data model (SET, GRANT, functions, …). */
  skipped: { statement: string; reason: string; line?: number }[];
  /** What the import could not keep exactly. */
  warnings: string[];
}

/** The format of `file`: `--format` when given, else the extension. */
export function modelFormatOf(file: string, format: string | undefined): ModelFormat {
  if (format !== undefined) {
    const wanted = format.toLowerCase() === 'ddl' ? 'sql' : format.toLowerCase();
    if ((MODEL_FORMATS as readonly string[]).includes(wanted)) return wanted as ModelFormat;
    throw new CliInputError('UNKNOWN_FORMAT', `--format ${format}: unknown input format (one of ${MODEL_FORMATS.join(', ')})`);
  }
  if (file === '-') throw new CliInputError('UNKNOWN_FORMAT', `reading a model from standard input needs --format (${MODEL_FORMATS.join(', ')})`);
  const extension = extname(file).toLowerCase();
  const detected = EXTENSIONS[extension];
  if (detected) return detected;
  const known = Object.keys(EXTENSIONS).join(', ');
  throw new CliInputError(
    'UNKNOWN_FORMAT',
    `${file}: ${extension ? `unknown extension "${extension}"` : 'no extension'}; a model file is ${known} (or pass --format ${MODEL_FORMATS.join('|')})`,
  );
}

/**
 * Reads a model from a JSON, DDL or DBML file (or stdin). The library errors (DdlParseError,
 * DbmlParseError, ModelJsonError, ImportedModelInvalidError) pass through; the caller reports them with the text.
 */
export async function readModelInput(file: string, format: string | undefined, io: CliIo): Promise<ModelInput> {
  const resolved = modelFormatOf(file, format);
  const input = await readTextInput(file, io, 'model file');
  const base = { name: input.name, format: resolved, text: input.text };
  try {
    switch (resolved) {
      case 'json':
        return { ...base, model: importJson(input.text), skipped: [], warnings: [] };
      case 'sql': {
        const result = await importDdl(input.text);
        return { ...base, model: result.model, skipped: result.skipped, warnings: result.warnings };
      }
      case 'dbml': {
        const result = await importDbml(input.text);
        return { ...base, model: result.model, skipped: [], warnings: result.warnings };
      }
    }
  } catch (error) {
    throw new InputFileError(input.name, input.text, error);
  }
}
