import {
  type AppendBatch,
  type StoredDocument,
  type StoredSnapshot,
  type StoredUpdate,
  type UpdateStore,
  UpdateStoreError,
} from './update-store';

export interface MemoryLogRow extends StoredUpdate {
  participantId: string | null;
  batchId: string;
}

/** What the next call of an operation does instead of (or besides) its work. */
export type MemoryStoreFault =
  | { kind: 'fail'; retryable: boolean }
  /** Commits, then reports a transient failure: the reply was lost, as when a connection drops at commit. */
  | { kind: 'commit-then-fail' };

type Operation = 'load' | 'append' | 'updatesAfter' | 'writeSnapshot';

/**
 * An `UpdateStore` in memory with the same contract as the PostgreSQL one (atomic, idempotent batches,
 * consecutive seqs per session, snapshots unique by seq), plus fault injection for tests.
 */
export class MemoryUpdateStore implements UpdateStore {
  private readonly logs = new Map<string, MemoryLogRow[]>();
  private readonly snapshotsBySession = new Map<string, StoredSnapshot[]>();
  private readonly batches = new Map<string, number[]>();
  private readonly faults = new Map<Operation, MemoryStoreFault[]>();
  private readonly broken = new Map<Operation, boolean>();
  private readonly rejected = new Set<string>();
  /** How many append calls committed rows (one per group-commit statement). */
  appendCommits = 0;
  /** Artificial latency of every operation, in ms. */
  latencyMs = 0;

  /** Queues faults for the next calls of `operation`, one per call. */
  inject(operation: Operation, ...faults: MemoryStoreFault[]): void {
    this.faults.set(operation, [...(this.faults.get(operation) ?? []), ...faults]);
  }

  /** Every later call of `operation` fails (transiently) until `heal`. */
  breakOperation(operation: Operation, retryable = true): void {
    this.broken.set(operation, retryable);
  }

  /** Ends `breakOperation` and drops queued faults (of one operation, or all). */
  heal(operation?: Operation): void {
    if (operation) {
      this.faults.delete(operation);
      this.broken.delete(operation);
    } else {
      this.faults.clear();
      this.broken.clear();
    }
  }

  /** Appends for this session fail for good, as for a deleted session. */
  rejectSession(sessionId: string): void {
    this.rejected.add(sessionId);
  }

  rows(sessionId: string): readonly MemoryLogRow[] {
    return this.logs.get(sessionId) ?? [];
  }

  snapshots(sessionId: string): readonly StoredSnapshot[] {
    return this.snapshotsBySession.get(sessionId) ?? [];
  }

  async load(sessionId: string): Promise<StoredDocument> {
    await this.enter('load');
    const newest = [...this.snapshots(sessionId)].sort((a, b) => b.seq - a.seq)[0];
    const after = newest?.seq ?? 0;
    // copies, as a database hands out fresh bytes: a room never shares its buffers with the store
    return {
      snapshot: newest ? { seq: newest.seq, state: newest.state.slice() } : null,
      updates: this.rows(sessionId)
        .filter((r) => r.seq > after)
        .map(({ seq, update }) => ({ seq, update: update.slice() })),
    };
  }

  async append(batch: AppendBatch): Promise<number[]> {
    const fault = await this.enter('append', true);
    const done = this.batches.get(batch.id);
    if (done) return done;
    for (const row of batch.rows) {
      if (this.rejected.has(row.sessionId)) throw new UpdateStoreError(`session ${row.sessionId} does not exist`, false);
    }
    const seqs = batch.rows.map((row) => {
      const log = this.logs.get(row.sessionId) ?? [];
      this.logs.set(row.sessionId, log);
      const seq = (log.at(-1)?.seq ?? 0) + 1;
      log.push({ seq, update: row.update.slice(), participantId: row.participantId, batchId: batch.id });
      return seq;
    });
    this.batches.set(batch.id, seqs);
    this.appendCommits++;
    if (fault?.kind === 'commit-then-fail') throw new Error('connection lost while committing');
    return seqs;
  }

  async updatesAfter(sessionId: string, afterSeq: number): Promise<StoredUpdate[]> {
    await this.enter('updatesAfter');
    return this.rows(sessionId)
      .filter((r) => r.seq > afterSeq)
      .map(({ seq, update }) => ({ seq, update }));
  }

  async writeSnapshot(sessionId: string, snapshot: StoredSnapshot): Promise<void> {
    await this.enter('writeSnapshot');
    const list = this.snapshotsBySession.get(sessionId) ?? [];
    if (!list.some((s) => s.seq === snapshot.seq)) list.push({ seq: snapshot.seq, state: snapshot.state.slice() });
    this.snapshotsBySession.set(sessionId, list);
  }

  private async enter(operation: Operation, deferCommitFault = false): Promise<MemoryStoreFault | undefined> {
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    else await Promise.resolve();
    const broken = this.broken.get(operation);
    if (broken !== undefined) throw new UpdateStoreError(`${operation} is broken`, broken);
    const fault = this.faults.get(operation)?.shift();
    if (!fault) return undefined;
    if (fault.kind === 'fail') throw new UpdateStoreError(`injected ${operation} failure`, fault.retryable);
    if (!deferCommitFault) throw new Error(`injected ${operation} failure`);
    return fault;
  }
}
