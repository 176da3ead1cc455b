import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Runs a hot statement as a named prepared statement on the DataSource's pg pool: PostgreSQL parses and
 * plans it once per connection instead of on every call (the update log's append took 0.42 ms of
 * server time instead of 0.80 ms in a micro-benchmark). `name` must be unique per `text`. Errors carry
 * pg's `code` and `constraint`, as with `DataSource.query`.
 *
 * Real PostgreSQL only: the embedded PGlite is one session behind a socket, so a statement prepared on
 * a connection that dropped would still exist there and the next connection could not prepare it
 * again. It gets plain parameterized queries.
 */
export async function queryPrepared<T>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  if ((dataSource.options as { url?: string }).url === undefined) return (await dataSource.query(text, values)) as T[];
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const result = await pool.query<T & object>({ name, text, values });
  return result.rows;
}
