import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import type { CliIo } from './cli-io';
import { EXIT } from './cli.errors';
import { registerExportCommand } from './commands/export.command';
import { registerGradeCommand } from './commands/grade.command';
import { registerScenariosCommand } from './commands/scenarios.command';
import { reportError } from './output/error-report';

/** package.json sits one folder up from both `src/` and `dist/`. */
function cliVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('hatch')
    .description('Hatch on the command line: scenarios, the FLOW grader and model import/export, without the server')
    .version(cliVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(`hatch: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', '\nExit codes: 0 done (a graded model, whatever its score), 2 bad input, 1 internal error.\nDocs: docs/cli.md');
  registerScenariosCommand(program, io);
  registerGradeCommand(program, io);
  registerExportCommand(program, io);
  return program;
}

/** Runs one command line (without `node` and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    if (argv.length === 0) {
      io.stderr(program.helpInformation());
      return EXIT.badInput;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    // Commander has printed its own message (unknown option, missing argument, help, version).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    const report = reportError(error);
    io.stderr(report.message);
    return report.exitCode;
  }
}
