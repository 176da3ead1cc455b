import type { Model } from '@hatch/model';
import type { Scenario } from '@hatch/scenarios';
import type { CliIo } from '../cli-io';
import { applyNotes } from '../notes/notes-merge';
import { parseNotes } from '../notes/notes-parser';
import { InputFileError } from './input-file.error';
import { readTextInput } from './text-input';

/** Reads a notes file and merges it into the model; its problems are reported with the notes file's lines. */
export async function readNotes(file: string, model: Model, scenario: Scenario | undefined, io: CliIo): Promise<Model> {
  const input = await readTextInput(file, io, 'notes file');
  try {
    return applyNotes(model, parseNotes(input.text), { scenario });
  } catch (error) {
    throw new InputFileError(input.name, input.text, error);
  }
}
