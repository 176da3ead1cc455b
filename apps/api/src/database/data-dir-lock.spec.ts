import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { makeTempDir } from '../testing/test-databases';
import { DataDirLock, DataDirLockedError } from './data-dir-lock';

/** A real second process whose pid is alive for as long as the test needs. */
async function startSleeper(): Promise<{ child: ChildProcess; pid: number }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  if (child.pid === undefined) throw new Error('the child process has no pid');
  return { child, pid: child.pid };
}

const writeLock = (file: string, pid: number, host = hostname()) =>
  writeFile(file, JSON.stringify({ pid, hostname: host, token: 'other', acquiredAt: new Date().toISOString() }));

describe('DataDirLock', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    file = join(dir, 'pgdata.lock');
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('[L1] takes a free lock, writing its pid, and removes the file on release', async () => {
    const lock = await DataDirLock.acquire(file);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname() });
    lock.release();
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('[L2] refuses a lock held in this process', async () => {
    const lock = await DataDirLock.acquire(file);
    await expect(DataDirLock.acquire(file)).rejects.toThrow(/in use by process \d+ \(this process\)/);
    lock.release();
  });

  it('[L3] refuses a lock held by another live process, naming its pid', async () => {
    const { child, pid } = await startSleeper();
    try {
      await writeLock(file, pid);
      const attempt = DataDirLock.acquire(file);
      await expect(attempt).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(attempt).rejects.toThrow(new RegExp(`in use by process ${pid}\\b`));
    } finally {
      child.kill();
    }
  });

  it('[L4] takes over a lock left by a process that has exited', async () => {
    const { child, pid } = await startSleeper();
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill();
    });
    await writeLock(file, pid);
    const lock = await DataDirLock.acquire(file);
    expect(JSON.parse(await readFile(file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('[L5] refuses a lock from another host (its pid cannot be checked) and takes over an unreadable one', async () => {
    await writeLock(file, 1, 'some-other-host');
    await expect(DataDirLock.acquire(file)).rejects.toThrow(/on host some-other-host/);
    await writeFile(file, 'garbage');
    const lock = await DataDirLock.acquire(file);
    lock.release();
  });

  it('[L6] release leaves a lock that now belongs to someone else', async () => {
    const lock = await DataDirLock.acquire(file);
    await writeLock(file, process.pid);
    lock.release();
    expect(JSON.parse(await readFile(file, 'utf8')).token).toBe('other');
  });
});
