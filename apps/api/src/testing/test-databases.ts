import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DatabaseTarget } from '../config/app-config';

export type TestBackendName = 'pglite' | 'postgres';

/** A fresh, empty database for one suite, and a temporary data dir beside it. */
export interface TestDatabase {
  readonly backend: TestBackendName;
  readonly target: DatabaseTarget;
  /** HATCH_DATA_DIR (and DATABASE_URL for PostgreSQL): the environment `createApp` needs to use it. */
  readonly env: Record<string, string>;
  readonly dataDir: string;
  dispose(): Promise<void>;
}

export interface TestBackend {
  readonly name: TestBackendName;
  create(): Promise<TestDatabase>;
}

/**
 * The backends storage suites run against: always the embedded PGlite, plus real PostgreSQL when
 * TEST_DATABASE_URL is set (a database `hatch_test_<worker>_<random>` is created per suite and
 * dropped after). In CI, TEST_DATABASE_URL is required: suites must never skip PostgreSQL silently.
 */
export function testBackends(env: NodeJS.ProcessEnv = process.env): TestBackend[] {
  const adminUrl = env.TEST_DATABASE_URL?.trim();
  if (!adminUrl && env.CI === 'true') {
    throw new Error('TEST_DATABASE_URL must be set in CI: the storage suites run against real PostgreSQL there');
  }
  const backends: TestBackend[] = [{ name: 'pglite', create: createPgliteDatabase }];
  if (adminUrl) backends.push({ name: 'postgres', create: () => createPostgresDatabase(adminUrl) });
  return backends;
}

export async function makeTempDir(label = 'hatch-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), label));
}

async function createPgliteDatabase(): Promise<TestDatabase> {
  const dataDir = await makeTempDir();
  return {
    backend: 'pglite',
    target: { kind: 'embedded', path: join(dataDir, 'pgdata') },
    env: { HATCH_DATA_DIR: dataDir },
    dataDir,
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}

async function createPostgresDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `hatch_test_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataDir = await makeTempDir();
  return {
    backend: 'postgres',
    target: { kind: 'postgres', url: url.toString(), host: url.hostname, database: name },
    env: { HATCH_DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    dataDir,
    dispose: async () => {
      await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function withAdmin<T>(adminUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
