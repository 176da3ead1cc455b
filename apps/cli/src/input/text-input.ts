import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIo } from '../cli-io';
import { CliInputError } from '../cli.errors';

/** Bigger than any model the schema accepts as DDL or JSON; stops a wrong file (a video, a dump with data) early. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

export interface TextInput {
  /** As the user named it (`-` for standard input), for messages. */
  name: string;
  text: string;
}

/** Reads a UTF-8 text file, or standard input for `-`. Errors name the file and say what went wrong. */
export async function readTextInput(file: string, io: CliIo, what: string): Promise<TextInput> {
  if (file === '-') return { name: '<stdin>', text: await io.readStdin() };
  const path = resolve(io.cwd, file);
  let size: number;
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) throw new CliInputError('FILE_UNREADABLE', `${file}: is a folder, not a ${what}`);
    size = stats.size;
  } catch (error) {
    if (error instanceof CliInputError) throw error;
    throw new CliInputError('FILE_UNREADABLE', `${file}: cannot read the ${what}: ${describeFsError(error)}`);
  }
  if (size > MAX_INPUT_BYTES) {
    throw new CliInputError('FILE_TOO_LARGE', `${file}: the ${what} is ${megabytes(size)}, more than the ${megabytes(MAX_INPUT_BYTES)} hatch reads`);
  }
  try {
    const text = await readFile(path, 'utf8');
    return { name: file, text: text.replace(/^\uFEFF/, '') };
  } catch (error) {
    throw new CliInputError('FILE_UNREADABLE', `${file}: cannot read the ${what}: ${describeFsError(error)}`);
  }
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
