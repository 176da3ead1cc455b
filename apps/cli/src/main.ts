import { processIo } from './cli-io';
import { runCli } from './cli';

// `hatch | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

void runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
