import type { LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DatabaseTarget } from '../config/app-config';
import { buildDataSourceOptions, type DatabaseEndpoint } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migration-runner';

/**
 * The app's connection to its database: the TypeORM DataSource, plus the embedded PostgreSQL it talks
 * to when no DATABASE_URL is set. Opening it migrates the schema; `close` releases everything in order.
 */
export class Database {
  private closing: Promise<void> | undefined;

  private constructor(
    readonly target: DatabaseTarget,
    readonly dataSource: DataSource,
    private readonly embedded: EmbeddedPostgres | undefined,
  ) {}

  static async open(target: DatabaseTarget, logger: LoggerService): Promise<Database> {
    let embedded: EmbeddedPostgres | undefined;
    let endpoint: DatabaseEndpoint;
    if (target.kind === 'embedded') {
      embedded = await EmbeddedPostgres.start(target.path);
      endpoint = { kind: 'embedded', host: embedded.host, port: embedded.port };
    } else {
      endpoint = { kind: 'url', url: target.url };
    }
    const dataSource = new DataSource(buildDataSourceOptions(endpoint, logger));
    try {
      await dataSource.initialize();
      const ran = await runMigrations(dataSource);
      if (ran.length > 0) logger.log(`Applied migrations: ${ran.join(', ')}`, 'Database');
      return new Database(target, dataSource, embedded);
    } catch (error) {
      if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
      await embedded?.close().catch(() => undefined);
      throw error;
    }
  }

  /** Closes the pool, then the embedded server and database. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (this.dataSource.isInitialized) await this.dataSource.destroy();
      } finally {
        await this.embedded?.close();
      }
    })();
    return this.closing;
  }
}
