/**
 * The comparison server of bench/collab-load.bench.ts: @hocuspocus/server with its database extension
 * storing each document's merged state to the same PostgreSQL (defaults: 2 s debounce, 10 s ceiling).
 * Prints `listening on <port>`. Env: DATABASE_URL, PORT (default 0).
 */
import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  await pool.query('CREATE TABLE IF NOT EXISTS hocuspocus_documents (name text PRIMARY KEY, data bytea NOT NULL)');
  const server = new Server({
    port: Number(process.env.PORT ?? 0),
    address: '127.0.0.1',
    quiet: true,
    extensions: [
      new Database({
        fetch: async ({ documentName }) => {
          const { rows } = await pool.query('SELECT data FROM hocuspocus_documents WHERE name = $1', [documentName]);
          return rows[0]?.data ?? null;
        },
        store: async ({ documentName, state }) => {
          await pool.query(
            'INSERT INTO hocuspocus_documents (name, data) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data',
            [documentName, state],
          );
        },
      }),
    ],
  });
  await server.listen();
  process.stdout.write(`listening on ${server.address.port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
