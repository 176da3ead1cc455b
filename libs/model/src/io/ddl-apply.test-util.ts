/*
 * Test-only: applies exported DDL to a real PostgreSQL engine and reads back what it created.
 * PGlite runs in-process; a server is used when TEST_DATABASE_URL is set (a fresh database per run).
 */
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports -- test-only: the DDL must be proven on PostgreSQL
import { PGlite } from '@electric-sql/pglite';
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports -- test-only: the DDL must be proven on PostgreSQL
import { Client } from 'pg';

export interface CatalogSummary {
  tables: string[];
  columns: string[];
  foreignKeys: number;
  primaryKeys: number;
  uniques: number;
  checks: number;
  exclusions: number;
  indexes: string[];
  enums: string[];
  views: string[];
}

/** What exists in `schema`, named so a test can compare it with the model. */
export const CATALOG_QUERY = (schema: string) => `
  SELECT
    (SELECT coalesce(json_agg(c.relname ORDER BY c.relname), '[]') FROM pg_class c
       WHERE c.relnamespace = '${schema}'::regnamespace AND c.relkind = 'r') AS tables,
    (SELECT coalesce(json_agg(c.relname || '.' || a.attname ORDER BY c.relname, a.attnum), '[]')
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       WHERE c.relnamespace = '${schema}'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
    (SELECT count(*) FROM pg_constraint WHERE connamespace = '${schema}'::regnamespace AND contype = 'f')::int AS "foreignKeys",
    (SELECT count(*) FROM pg_constraint WHERE connamespace = '${schema}'::regnamespace AND contype = 'p')::int AS "primaryKeys",
    (SELECT count(*) FROM pg_constraint WHERE connamespace = '${schema}'::regnamespace AND contype = 'u')::int AS uniques,
    (SELECT count(*) FROM pg_constraint WHERE connamespace = '${schema}'::regnamespace AND contype = 'c')::int AS checks,
    (SELECT count(*) FROM pg_constraint WHERE connamespace = '${schema}'::regnamespace AND contype = 'x')::int AS exclusions,
    (SELECT coalesce(json_agg(i.relname ORDER BY i.relname), '[]') FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       WHERE i.relnamespace = '${schema}'::regnamespace
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)) AS indexes,
    (SELECT coalesce(json_agg(t.typname ORDER BY t.typname), '[]') FROM pg_type t
       WHERE t.typnamespace = '${schema}'::regnamespace AND t.typtype = 'e') AS enums,
    (SELECT coalesce(json_agg(c.relname ORDER BY c.relname), '[]') FROM pg_class c
       WHERE c.relnamespace = '${schema}'::regnamespace AND c.relkind = 'v') AS views`;

export interface DdlTarget {
  name: string;
  /** Runs `ddl` inside a new schema named `schema` and returns what it created. */
  apply(schema: string, ddl: string): Promise<CatalogSummary>;
  close(): Promise<void>;
}

/** Code-unit order on both sides, so server collations do not matter; columns keep their order within a table. */
export function byTable(columns: string[]): string[] {
  const table = (c: string) => c.slice(0, c.lastIndexOf('.'));
  return [...columns].sort((a, b) => (table(a) < table(b) ? -1 : table(a) > table(b) ? 1 : 0));
}

function parseSummary(row: Record<string, unknown>): CatalogSummary {
  const json = (v: unknown) => [...((typeof v === 'string' ? JSON.parse(v) : v) as string[])].sort();
  return {
    tables: json(row['tables']),
    columns: byTable((typeof row['columns'] === 'string' ? JSON.parse(row['columns']) : row['columns']) as string[]),
    foreignKeys: Number(row['foreignKeys']),
    primaryKeys: Number(row['primaryKeys']),
    uniques: Number(row['uniques']),
    checks: Number(row['checks']),
    exclusions: Number(row['exclusions']),
    indexes: json(row['indexes']),
    enums: json(row['enums']),
    views: json(row['views']),
  };
}

export async function pgliteTarget(): Promise<DdlTarget> {
  const db = new PGlite();
  await db.waitReady;
  return {
    name: 'PGlite',
    async apply(schema, ddl) {
      await db.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}, public;`);
      try {
        await db.exec(ddl);
      } finally {
        await db.exec('SET search_path TO public;');
      }
      const result = await db.query<Record<string, unknown>>(CATALOG_QUERY(schema));
      return parseSummary(result.rows[0]);
    },
    close: () => db.close(),
  };
}

/** A fresh database on the server of `adminUrl`, dropped again by close(). */
export async function postgresTarget(adminUrl: string): Promise<DdlTarget> {
  const database = `hatch_io_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return {
    name: 'PostgreSQL',
    async apply(schema, ddl) {
      await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}, public;`);
      try {
        await client.query(ddl);
      } finally {
        await client.query('SET search_path TO public;');
      }
      const result = await client.query(CATALOG_QUERY(schema));
      return parseSummary(result.rows[0]);
    },
    async close() {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}
