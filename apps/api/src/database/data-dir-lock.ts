import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { DomainError } from '../common/domain-error';

interface LockOwner {
  pid: number;
  hostname: string;
  token: string;
  acquiredAt: string;
}

export class DataDirLockedError extends DomainError {
  constructor(
    readonly lockFile: string,
    readonly holder: LockOwner,
  ) {
    const who =
      holder.hostname === hostname()
        ? `process ${holder.pid}${holder.pid === process.pid ? ' (this process)' : ''}`
        : `process ${holder.pid} on host ${holder.hostname}`;
    super(
      'DATA_DIR_LOCKED',
      `The embedded database next to ${lockFile} is in use by ${who}. Two processes must not open it at once: ` +
        `stop the other one, or set HATCH_DATA_DIR to another folder. If no such process runs, delete ${lockFile}.`,
    );
  }
}

/**
 * A pid lock file guarding the embedded database: PGlite has no lock of its own, and two processes
 * writing one data folder corrupt it. A lock left by a process that no longer runs is taken over.
 */
export class DataDirLock {
  private released = false;

  private constructor(
    readonly file: string,
    private readonly owner: LockOwner,
  ) {}

  static async acquire(file: string): Promise<DataDirLock> {
    await mkdir(dirname(file), { recursive: true });
    const owner: LockOwner = { pid: process.pid, hostname: hostname(), token: randomUUID(), acquiredAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await writeFile(file, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
        return new DataDirLock(file, owner);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await readOwner(file);
      if (holder === 'missing') continue;
      if (holder === 'unreadable') {
        // Possibly being written right now by another process: look again shortly before calling it stale.
        if (attempt < 2) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
      } else if (holder.hostname !== hostname() || isAlive(holder.pid)) {
        throw new DataDirLockedError(file, holder);
      }
      await unlink(file).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    }
    throw new Error(`Could not take the lock ${file}: it keeps changing hands`);
  }

  /** Synchronous so it can also run from a process `exit` handler. Leaves a lock taken over by someone else. */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      const current = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<LockOwner>;
      if (current.token === this.owner.token) unlinkSync(this.file);
    } catch {
      // already gone or replaced: nothing of ours to remove
    }
  }
}

async function readOwner(file: string): Promise<LockOwner | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string') return parsed as LockOwner;
  } catch {
    // fall through
  }
  return 'unreadable';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
