import { type DataSource, MigrationExecutor } from 'typeorm';

/** Arbitrary but fixed: every Hatch process migrating one database contends for this advisory lock. */
export const MIGRATION_LOCK_KEY = 4_815_162_342;

/**
 * Runs pending migrations on one dedicated connection holding `pg_advisory_lock`, so api processes
 * booting together against one PostgreSQL migrate one after the other (the later ones find nothing
 * pending). The lock and the migrations share the connection, which also suits the embedded
 * database's pool of one. Returns the names of the migrations it ran.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const executed = await executor.executePendingMigrations();
      return executed.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
