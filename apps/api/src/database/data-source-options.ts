import type { LoggerService } from '@nestjs/common';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { TypeOrmLogger } from './typeorm-logger';

export type DatabaseEndpoint = { kind: 'url'; url: string } | { kind: 'embedded'; host: string; port: number };

/** The same options, entities and migrations for real PostgreSQL and for the embedded one. */
export function buildDataSourceOptions(endpoint: DatabaseEndpoint, logger: LoggerService): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false, // run explicitly, under an advisory lock (migration-runner.ts)
    installExtensions: false,
    applicationName: 'hatch-api',
    maxQueryExecutionTime: 1000,
    logger: new TypeOrmLogger(logger),
    logging: ['warn', 'migration'] as ('warn' | 'migration')[],
  };
  if (endpoint.kind === 'url') return { ...common, url: endpoint.url, poolSize: 10, connectTimeoutMS: 10_000 };
  return {
    ...common,
    host: endpoint.host,
    port: endpoint.port,
    username: 'postgres',
    database: 'postgres',
    poolSize: 1,
    // Keep the single connection open for the app's lifetime: PGlite has one session, and a reconnect
    // could race the socket server's release of the previous one.
    extra: { idleTimeoutMillis: 0 },
  };
}
