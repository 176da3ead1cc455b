import type { CollabLogger } from './collab-settings';
import { type AppendBatch, type AppendRow, isRetryable, type StoredUpdate, type UpdateStore } from './update-store';

/** Whose rows the committer writes (a room): told when they are durable, or refused for good. */
export interface CommitTarget {
  readonly sessionId: string;
  /** This target's rows of one batch, in the order they were enqueued, with their seqs. */
  committed(rows: StoredUpdate[]): void;
  /** The store refused this target's rows for good; they were dropped from the queue. */
  rejected(error: unknown): void;
}

export interface GroupCommitOptions {
  /** Most rows in one append (one statement). */
  maxBatchRows: number;
  /** Most update bytes in one append. */
  maxBatchBytes: number;
  /** First retry delay after a failed append; doubles up to `retryMaxMs` (with jitter). */
  retryInitialMs: number;
  retryMaxMs: number;
}

interface Entry {
  target: CommitTarget;
  row: AppendRow;
}

interface Job {
  batch: AppendBatch;
  entries: Entry[];
}

const newBatchId = (): string => globalThis.crypto.randomUUID();

/**
 * Group commit for every room of a process: rows queue up while one append is in flight, and the
 * next append writes all of them (up to a batch limit) in one statement. One append at a time, so a
 * session's rows reach the log in the order they were made, whatever the failures.
 *
 * A failed append is retried with backoff, unchanged and under the same batch id, so a batch whose
 * commit succeeded but whose reply was lost is not written twice. Only a store error marked
 * non-retryable ends the retries: a batch of several sessions is split to find the culprit, whose
 * rows are dropped and whose room is told (`rejected`).
 */
export class GroupCommitter {
  private queue: Entry[] = [];
  /** Batches that already failed once, written first and unchanged (same id). */
  private retries: Job[] = [];
  private running = false;
  private scheduled = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly store: UpdateStore,
    private readonly options: GroupCommitOptions,
    private readonly logger: CollabLogger,
  ) {}

  /** Rows enqueued and not yet committed (nor dropped). */
  get pending(): number {
    return this.queue.length + this.retries.reduce((n, job) => n + job.entries.length, 0);
  }

  /** True while appends fail and are being retried. */
  get failing(): boolean {
    return this.failures > 0;
  }

  enqueue(target: CommitTarget, row: AppendRow): void {
    this.queue.push({ target, row });
    this.schedule();
  }

  /** Resolves true once nothing is pending, or false after `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.pending === 0 && !this.running) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timeout = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timeout);
        resolve(true);
      });
    });
  }

  /** Stops retrying (shutdown). Whatever is still pending stays unwritten. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.closed || this.running || this.scheduled || this.timer) return;
    if (this.queue.length === 0 && this.retries.length === 0) return;
    this.scheduled = true;
    // setImmediate: every message read in this turn of the event loop joins the same batch
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private cut(): Job | undefined {
    if (this.queue.length === 0) return undefined;
    let bytes = 0;
    let count = 0;
    while (count < this.queue.length && count < this.options.maxBatchRows) {
      const size = this.queue[count].row.update.byteLength;
      if (count > 0 && bytes + size > this.options.maxBatchBytes) break;
      bytes += size;
      count++;
    }
    const entries = this.queue.splice(0, count);
    return { batch: { id: newBatchId(), rows: entries.map((e) => e.row) }, entries };
  }

  private async run(): Promise<void> {
    if (this.running || this.closed) return;
    const job = this.retries.shift() ?? this.cut();
    if (!job) {
      const waiters = this.idleWaiters.splice(0);
      for (const resolve of waiters) resolve();
      return;
    }
    this.running = true;
    try {
      const seqs = await this.store.append(job.batch);
      if (seqs.length !== job.entries.length) {
        throw new Error(`the store returned ${seqs.length} seqs for ${job.entries.length} rows`);
      }
      if (this.failures > 0) this.logger.log(`Update log writable again after ${this.failures} failed attempt(s)`);
      this.failures = 0;
      this.deliver(job, seqs);
    } catch (error) {
      if (this.closed) return;
      if (isRetryable(error)) {
        this.retries.unshift(job);
        this.failures++;
        const delay = this.backoff();
        this.logger.warn(
          `Writing ${job.entries.length} update(s) failed (attempt ${this.failures}), retrying in ${delay} ms; ` +
            `${this.pending} unsaved: ${(error as Error)?.message ?? String(error)}`,
        );
        this.running = false;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.schedule();
        }, delay);
        return;
      }
      this.refuse(job, error);
    } finally {
      this.running = false;
    }
    this.schedule();
    if (!this.scheduled && this.pending === 0) {
      const waiters = this.idleWaiters.splice(0);
      for (const resolve of waiters) resolve();
    }
  }

  private deliver(job: Job, seqs: number[]): void {
    const byTarget = new Map<CommitTarget, StoredUpdate[]>();
    job.entries.forEach((entry, i) => {
      const rows = byTarget.get(entry.target) ?? [];
      rows.push({ seq: seqs[i], update: entry.row.update });
      byTarget.set(entry.target, rows);
    });
    for (const [target, rows] of byTarget) {
      try {
        target.committed(rows);
      } catch (error) {
        this.logger.error(`Handling the commit of session ${target.sessionId} failed`, error);
      }
    }
  }

  /** A non-retryable failure: split a mixed batch by target; a single target's rows are dropped. */
  private refuse(job: Job, error: unknown): void {
    const targets = [...new Set(job.entries.map((e) => e.target))];
    if (targets.length > 1) {
      const split = targets.map((target) => {
        const entries = job.entries.filter((e) => e.target === target);
        return { batch: { id: newBatchId(), rows: entries.map((e) => e.row) }, entries };
      });
      this.retries.unshift(...split);
      return;
    }
    const [target] = targets;
    this.queue = this.queue.filter((e) => e.target !== target);
    this.retries = this.retries.filter((j) => !j.entries.every((e) => e.target === target));
    this.logger.error(`The update log refused session ${target.sessionId}'s updates for good`, error);
    try {
      target.rejected(error);
    } catch (handlerError) {
      this.logger.error(`Handling the refusal of session ${target.sessionId} failed`, handlerError);
    }
  }

  private backoff(): number {
    const base = Math.min(this.options.retryMaxMs, this.options.retryInitialMs * 2 ** Math.min(this.failures - 1, 20));
    return Math.round(base / 2 + (Math.random() * base) / 2);
  }
}
