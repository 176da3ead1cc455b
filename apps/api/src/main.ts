import 'reflect-metadata';
import { createApp } from './app.factory';
import { DomainError } from './common/domain-error';

async function main(): Promise<void> {
  try {
    const hatch = await createApp();
    // app.close() on SIGTERM/SIGINT: the database closes last (embedded: pool, socket server, PGlite, lock).
    hatch.app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  } catch (error) {
    const known = error instanceof DomainError || (error as { code?: unknown })?.code === 'SCENARIO_INVALID';
    const message = known ? (error as Error).message : ((error as Error)?.stack ?? String(error));
    process.stderr.write(`Hatch could not start: ${message}\n`);
    process.exit(1);
  }
}

void main();
