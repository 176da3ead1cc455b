import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryPrepared } from '../../database/prepared-query';

export interface LogRowInput {
  sessionId: string;
  participantId: string | null;
  update: Uint8Array;
}

export interface LogRow {
  seq: number;
  update: Buffer;
}

/**
 * One statement appends a whole group-commit batch, for any number of sessions: each session's head
 * row is bumped by its row count (the row lock orders concurrent appenders, across processes too) and
 * the rows are numbered after the old head, in batch order. The first row of each session carries the
 * batch id under a unique index, so a batch that committed cannot commit twice.
 */
const APPEND_SQL = `
WITH input AS (
  SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::bytea[]) WITH ORDINALITY AS t(session_id, participant_id, update, ord)
),
counts AS (
  SELECT session_id, count(*)::bigint AS n, min(ord) AS first_ord FROM input GROUP BY session_id
),
heads AS (
  INSERT INTO document_log_heads AS h (session_id, last_seq)
  SELECT session_id, n FROM counts ORDER BY session_id
  ON CONFLICT (session_id) DO UPDATE SET last_seq = h.last_seq + EXCLUDED.last_seq
  RETURNING h.session_id, h.last_seq
)
INSERT INTO document_updates (session_id, seq, participant_id, update, batch_id)
SELECT i.session_id,
       heads.last_seq - c.n + row_number() OVER (PARTITION BY i.session_id ORDER BY i.ord),
       i.participant_id,
       i.update,
       CASE WHEN i.ord = c.first_ord THEN $1::uuid END
FROM input i JOIN counts c USING (session_id) JOIN heads USING (session_id)
ORDER BY i.ord
RETURNING session_id, seq`;

/** The unique index that reveals a batch committed before (see the migration). */
export const BATCH_ID_INDEX = 'document_updates_batch_id_key';

/** `document_updates` and `document_log_heads`: the append-only Yjs update log of each session. */
@Injectable()
export class UpdateLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends the rows in one statement; returns each session's seqs in row order. */
  async append(batchId: string, rows: readonly LogRowInput[]): Promise<Map<string, number[]>> {
    const returned = await queryPrepared<{ session_id: string; seq: string }>(this.dataSource, 'hatch_log_append', APPEND_SQL, [
      batchId,
      rows.map((r) => r.sessionId),
      rows.map((r) => r.participantId),
      rows.map((r) => Buffer.from(r.update.buffer, r.update.byteOffset, r.update.byteLength)),
    ]);
    const bySession = new Map<string, number[]>();
    for (const row of returned) {
      const seqs = bySession.get(row.session_id) ?? [];
      seqs.push(Number(row.seq));
      bySession.set(row.session_id, seqs);
    }
    for (const seqs of bySession.values()) seqs.sort((a, b) => a - b);
    return bySession;
  }

  /** The first seq each session got in a batch that committed (empty when it did not). */
  async firstSeqsOfBatch(batchId: string): Promise<Map<string, number>> {
    const rows = (await this.dataSource.query(
      'SELECT session_id, seq FROM document_updates WHERE batch_id = $1',
      [batchId],
    )) as Array<{ session_id: string; seq: string }>;
    return new Map(rows.map((r) => [r.session_id, Number(r.seq)]));
  }

  /** The rows after `afterSeq`, oldest first. */
  async listAfter(sessionId: string, afterSeq: number): Promise<LogRow[]> {
    const rows = (await this.dataSource.query(
      'SELECT seq, update FROM document_updates WHERE session_id = $1 AND seq > $2 ORDER BY seq',
      [sessionId, afterSeq],
    )) as Array<{ seq: string; update: Buffer }>;
    return rows.map((r) => ({ seq: Number(r.seq), update: r.update }));
  }
}
