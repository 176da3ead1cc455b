import { GradeInputError } from '@hatch/grader';
import { importDbml, importDdl, importJson } from '@hatch/model';
import { parseScenario } from '@hatch/scenarios';
import { useColor, type CliIo } from '../cli-io';
import { CliInputError } from '../cli.errors';
import { InputFileError } from '../input/input-file.error';
import { parseNotes } from '../notes/notes-parser';
import { excerpt, reportError } from './error-report';

/** The error a real library call throws on `text`, wrapped as the CLI wraps it. */
async function fileError(file: string, text: string, run: (text: string) => unknown): Promise<InputFileError> {
  try {
    await run(text);
  } catch (error) {
    return new InputFileError(file, text, error);
  }
  throw new Error('expected the call to throw');
}

describe('reportError', () => {
  it('points at the line and column of DDL the PostgreSQL parser rejects', async () => {
    const text = 'CREATE TABLE a (id int);\nCREATE TABLEX b (id int);\n';
    const report = reportError(await fileError('schema.sql', text, importDdl));
    expect(report.exitCode).toBe(2);
    expect(report.message).toBe(
      ['schema.sql:2:8: DDL does not parse: syntax error at or near "TABLEX"', '  2 | CREATE TABLEX b (id int);', '    |        ^', ''].join('\n'),
    );
  });

  it('reports DBML problems with their position', async () => {
    const report = reportError(await fileError('model.dbml', 'Table a {\n  id int [pk\n}\n', importDbml));
    expect(report.exitCode).toBe(2);
    expect(report.message).toMatch(/^model\.dbml:3:1: DBML does not parse: /);
  });

  it('reports JSON syntax errors with line and column', async () => {
    const report = reportError(await fileError('model.json', '{\n  "entities": [,]\n}', importJson));
    expect(report.exitCode).toBe(2);
    expect(report.message.split('\n')[0]).toBe("model.json:2:16: model JSON does not parse: Unexpected token ','");
    expect(report.message).toContain('    |                ^');
  });

  it('lists every invalid path of a model JSON', async () => {
    const text = JSON.stringify({ entities: [{ id: 'e1', name: '', fields: [{ id: 'f1', name: 'x' }] }] });
    const report = reportError(await fileError('model.json', text, importJson));
    expect(report.exitCode).toBe(2);
    expect(report.message).toContain('model.json: not a valid model (2 problems):');
    expect(report.message).toContain('  entities[0].name: a name must not be empty');
    expect(report.message).toContain('  entities[0].fields[0].type: ');
  });

  it('reports notes problems with the notes file and line', async () => {
    const report = reportError(await fileError('notes.md', '## Actors\nintro\n', parseNotes));
    expect(report).toEqual({ exitCode: 2, message: expect.stringMatching(/^notes\.md:2: Actors: expected a bullet .*\n {2}2 \| intro\n$/) });
  });

  it('names the scenario file and field of a bad scenario', () => {
    let error: unknown;
    try {
      parseScenario('formatVersion: 1\nid: x\n', 'scenarios/x.yaml');
    } catch (caught) {
      error = caught;
    }
    const report = reportError(error);
    expect(report.exitCode).toBe(2);
    expect(report.message).toMatch(/^hatch: cannot load the scenarios \(\d+ problems?\):\n {2}scenarios\/x\.yaml: /);
  });

  it('reports its own input errors and grade input errors as bad input', () => {
    expect(reportError(new CliInputError('UNKNOWN_FORMAT', 'x.txt: unknown extension'))).toEqual({ exitCode: 2, message: 'hatch: x.txt: unknown extension\n' });
    expect(reportError(new GradeInputError('GRADE_INVALID_MODEL', 'the model must be an object')).exitCode).toBe(2);
  });

  it('treats anything else as a bug: exit 1 with the stack', async () => {
    const bug = new TypeError('cannot read properties of undefined');
    expect(reportError(bug)).toEqual({ exitCode: 1, message: expect.stringContaining('internal error') });
    expect(reportError(bug).message).toContain(bug.stack ?? '');
    // A crash inside an importer is a bug too, not bad input.
    expect(reportError(new InputFileError('a.sql', '', bug)).exitCode).toBe(1);
  });
});

describe('excerpt', () => {
  it('shows the line and a caret under the column', () => {
    expect(excerpt('a\n\tbc\n', 2, 2)).toEqual(['  2 |  bc', '    |  ^']);
    expect(excerpt('a\n', 5, 1)).toEqual([]);
    expect(excerpt('abc', 1, null)).toEqual(['  1 | abc']);
  });
});

describe('useColor', () => {
  const io = (stdoutIsTty: boolean, env: Record<string, string>): CliIo => ({
    stdout: () => undefined,
    stderr: () => undefined,
    readStdin: async () => '',
    env,
    cwd: '/',
    stdoutIsTty,
  });

  it('colors a terminal unless NO_COLOR is set, and never a pipe unless FORCE_COLOR is', () => {
    expect(useColor(io(true, {}))).toBe(true);
    expect(useColor(io(true, { NO_COLOR: '1' }))).toBe(false);
    expect(useColor(io(true, { NO_COLOR: '' }))).toBe(true);
    expect(useColor(io(true, { TERM: 'dumb' }))).toBe(false);
    expect(useColor(io(false, {}))).toBe(false);
    expect(useColor(io(false, { FORCE_COLOR: '1' }))).toBe(true);
    expect(useColor(io(false, { FORCE_COLOR: '0' }))).toBe(false);
  });
});
