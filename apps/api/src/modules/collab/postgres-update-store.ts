import { Injectable } from '@nestjs/common';
import {
  type AppendBatch,
  type StoredDocument,
  type StoredSnapshot,
  type StoredUpdate,
  type UpdateStore,
  UpdateStoreError,
} from '@hatch/collab';
import { BATCH_ID_INDEX, UpdateLogRepository } from './update-log.repository';
import { SnapshotRepository } from './snapshot.repository';

/** SQLSTATE classes no retry can fix: integrity constraint violation (23), data exception (22). */
const PERMANENT_SQLSTATE = /^(22|23)/;

interface PgError {
  code?: unknown;
  constraint?: unknown;
}

/**
 * The rooms' `UpdateStore` over PostgreSQL (or the embedded PGlite): the update log and the snapshots.
 * Maps driver errors to retryable or not; turns "this batch committed already" into its seqs.
 */
@Injectable()
export class PostgresUpdateStore implements UpdateStore {
  constructor(
    private readonly log: UpdateLogRepository,
    private readonly snapshots: SnapshotRepository,
  ) {}

  async load(sessionId: string): Promise<StoredDocument> {
    const snapshot = await this.snapshots.newest(sessionId);
    const updates = await this.log.listAfter(sessionId, snapshot?.seq ?? 0);
    return { snapshot, updates };
  }

  async append(batch: AppendBatch): Promise<number[]> {
    if (batch.rows.length === 0) return [];
    let bySession: Map<string, number[]>;
    try {
      bySession = await this.log.append(batch.id, batch.rows);
    } catch (error) {
      if ((error as PgError).code === '23505' && (error as PgError).constraint === BATCH_ID_INDEX) {
        bySession = await this.committedBefore(batch);
      } else {
        throw classify(error);
      }
    }
    const next = new Map<string, number>();
    return batch.rows.map((row) => {
      const seqs = bySession.get(row.sessionId) ?? [];
      const i = next.get(row.sessionId) ?? 0;
      next.set(row.sessionId, i + 1);
      if (i >= seqs.length) throw new UpdateStoreError(`the log returned too few seqs for session ${row.sessionId}`, true);
      return seqs[i];
    });
  }

  updatesAfter(sessionId: string, afterSeq: number): Promise<StoredUpdate[]> {
    return this.log.listAfter(sessionId, afterSeq);
  }

  async writeSnapshot(sessionId: string, snapshot: StoredSnapshot): Promise<void> {
    try {
      await this.snapshots.write(sessionId, snapshot.seq, snapshot.state);
    } catch (error) {
      throw classify(error);
    }
  }

  /** A retried batch that had committed: its rows are numbered from each session's first seq. */
  private async committedBefore(batch: AppendBatch): Promise<Map<string, number[]>> {
    const firsts = await this.log.firstSeqsOfBatch(batch.id);
    const counts = new Map<string, number>();
    for (const row of batch.rows) counts.set(row.sessionId, (counts.get(row.sessionId) ?? 0) + 1);
    const bySession = new Map<string, number[]>();
    for (const [sessionId, count] of counts) {
      const first = firsts.get(sessionId);
      if (first === undefined) throw new UpdateStoreError(`batch ${batch.id} committed without session ${sessionId}`, false);
      bySession.set(sessionId, Array.from({ length: count }, (_, i) => first + i));
    }
    return bySession;
  }
}

function classify(error: unknown): UpdateStoreError {
  const code = (error as PgError)?.code;
  const permanent = typeof code === 'string' && PERMANENT_SQLSTATE.test(code);
  const message = (error as Error)?.message ?? String(error);
  return new UpdateStoreError(permanent ? `the log refused the write: ${message}` : message, !permanent, { cause: error });
}
