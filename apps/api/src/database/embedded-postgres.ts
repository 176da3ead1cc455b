import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { DataDirLock } from './data-dir-lock';

/**
 * PostgreSQL without a server to install: PGlite (Postgres compiled to WASM) persisted in `path`, served
 * on a free loopback port with the PostgreSQL wire protocol so the app talks to it through `pg` exactly
 * as it talks to a real server.
 *
 * PGlite is a single session. The socket server accepts one connection and the app's pool holds exactly
 * that one open, so transactions never interleave through the socket server's multiplexer (and no other
 * local process can connect while the app runs).
 */
export class EmbeddedPostgres {
  private closing: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    readonly host: string,
    readonly port: number,
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly lock: DataDirLock,
  ) {}

  static async start(path: string): Promise<EmbeddedPostgres> {
    const lock = await DataDirLock.acquire(`${path}.lock`);
    let db: PGlite | undefined;
    try {
      await mkdir(path, { recursive: true });
      db = await PGlite.create({ dataDir: path });
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
      await server.start();
      const port = Number(server.getServerConn().split(':').pop());
      return new EmbeddedPostgres(path, '127.0.0.1', port, db, server, lock);
    } catch (error) {
      await db?.close().catch(() => undefined);
      lock.release();
      throw error;
    }
  }

  /** Stops accepting connections, closes the database (flushing it to disk) and releases the lock. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.server.stop();
      } finally {
        try {
          if (!this.db.closed) await this.db.close();
        } finally {
          this.lock.release();
        }
      }
    })();
    return this.closing;
  }
}
