import { GradeInputError } from '@hatch/grader';
import {
  DbmlParseError,
  DdlParseError,
  ImportedModelInvalidError,
  ModelError,
  ModelJsonError,
  ModelValidationError,
  type ModelIssue,
} from '@hatch/model';
import { formatProblem, ScenarioLoadError } from '@hatch/scenarios';
import { CliInputError, EXIT } from '../cli.errors';
import { InputFileError } from '../input/input-file.error';
import { NotesError } from '../notes/notes.errors';

export interface ErrorReport {
  exitCode: number;
  /** Lines for stderr, ending with a newline. */
  message: string;
}

const SHOWN_ISSUES = 20;

/**
 * Turns an error into what the user reads and the exit code: 2 with `file:line:column: problem` for
 * anything wrong with the input, 1 with the stack only for a bug in hatch itself.
 */
export function reportError(error: unknown): ErrorReport {
  const bad = (lines: string[]): ErrorReport => ({ exitCode: EXIT.badInput, message: `${lines.join('\n')}\n` });

  if (error instanceof CliInputError) return bad([`hatch: ${error.message}`]);
  if (error instanceof InputFileError) {
    const lines = describeFileError(error.file, error.text, error.cause);
    if (lines) return bad(lines);
    return internal(error.cause);
  }
  if (error instanceof ScenarioLoadError) {
    return bad([`hatch: cannot load the scenarios (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}):`, ...error.problems.map((p) => `  ${formatProblem(p)}`)]);
  }
  if (error instanceof GradeInputError) return bad([`hatch: cannot grade: ${error.message}`]);
  if (error instanceof ModelValidationError) return bad(['hatch: not a valid model:', ...issueLines(error.issues)]);
  return internal(error);
}

function internal(error: unknown): ErrorReport {
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return { exitCode: EXIT.internal, message: `hatch: internal error (a bug in hatch; please report it with the command you ran):\n${detail}\n` };
}

/** The lines for a library error about a file's contents; null when the error is not about the input. */
function describeFileError(file: string, text: string, cause: unknown): string[] | null {
  if (cause instanceof DdlParseError) {
    return [`${file}:${cause.line}:${cause.column}: DDL does not parse: ${cause.parserMessage}`, ...excerpt(text, cause.line, cause.column)];
  }
  if (cause instanceof DbmlParseError) {
    const [first, ...rest] = cause.diagnostics;
    const head = first ?? { line: cause.line, column: cause.column, message: cause.message };
    const more = rest.slice(0, 4).map((d) => `${file}:${d.line}:${d.column}: ${d.message}`);
    const hidden = rest.length > 4 ? [`  … and ${rest.length - 4} more`] : [];
    return [`${file}:${head.line}:${head.column}: DBML does not parse: ${head.message}`, ...excerpt(text, head.line, head.column), ...more, ...hidden];
  }
  if (cause instanceof ModelJsonError) {
    if (cause.code === 'MODEL_JSON_SYNTAX' && cause.line !== null && cause.column !== null) {
      // V8 quotes a slice of the input after the token ("Unexpected token ',', ..."); the excerpt below shows it better.
      const detail = cause.message.replace(/ \(line \d+, column \d+\)$/, '').replace(/,\s*\.\.\.$/, '');
      return [`${file}:${cause.line}:${cause.column}: ${detail}`, ...excerpt(text, cause.line, cause.column)];
    }
    return [`${file}: not a valid model (${cause.issues.length} problem${cause.issues.length === 1 ? '' : 's'}):`, ...issueLines(cause.issues)];
  }
  if (cause instanceof ImportedModelInvalidError) {
    return [`${file}: the imported ${cause.format.toUpperCase()} does not fit the model:`, ...issueLines(cause.issues)];
  }
  if (cause instanceof ModelValidationError) return [`${file}: not a valid model:`, ...issueLines(cause.issues)];
  if (cause instanceof NotesError) {
    const lines = cause.problems.map((p) => (p.line === null ? `${file}: ${p.message}` : `${file}:${p.line}: ${p.message}`));
    const first = cause.problems[0];
    return first.line === null ? lines : [lines[0], ...excerpt(text, first.line, null), ...lines.slice(1)];
  }
  if (cause instanceof ModelError) return [`${file}: ${cause.message}`];
  return null;
}

function issueLines(issues: readonly ModelIssue[]): string[] {
  const shown = issues.slice(0, SHOWN_ISSUES).map((issue) => `  ${issue.path || '(the model)'}: ${issue.message}`);
  return issues.length > SHOWN_ISSUES ? [...shown, `  … and ${issues.length - SHOWN_ISSUES} more`] : shown;
}

/** The line the problem is on, with a caret under the column when known. */
export function excerpt(text: string, line: number, column: number | null): string[] {
  const source = text.split(/\r?\n/)[line - 1];
  if (source === undefined) return [];
  const gutter = String(line).length;
  const shown = source.length > 160 ? `${source.slice(0, 157)}...` : source;
  const out = [`  ${line} | ${shown.replace(/\t/g, ' ')}`];
  if (column !== null && column >= 1 && column <= shown.length + 1) out.push(`  ${' '.repeat(gutter)} | ${' '.repeat(column - 1)}^`);
  return out;
}
