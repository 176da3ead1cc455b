import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the Yjs sync server needs to append to `document_updates` from several processes, exactly once:
 *
 * - `document_log_heads`: the last seq of each session's log. An append bumps it atomically (the row
 *   lock serializes appenders of one session across processes), so seqs are consecutive and unique.
 *   Backfilled from the rows that exist.
 * - `document_updates.batch_id`: the group-commit batch that wrote a row, set on the first row of each
 *   session in the batch and unique there. Retrying a batch whose commit succeeded but whose reply was
 *   lost fails on this index instead of writing the rows twice; the writer then reads back their seqs.
 */
export class CollabUpdateLog1764000000000 implements MigrationInterface {
  name = 'CollabUpdateLog1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

const UP = [
  `CREATE TABLE document_log_heads (
    session_id uuid PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    last_seq bigint NOT NULL CHECK (last_seq >= 0)
  )`,
  `INSERT INTO document_log_heads (session_id, last_seq)
    SELECT session_id, max(seq) FROM document_updates GROUP BY session_id`,
  `ALTER TABLE document_updates ADD COLUMN batch_id uuid`,
  `CREATE UNIQUE INDEX document_updates_batch_id_key ON document_updates (batch_id, session_id) WHERE batch_id IS NOT NULL`,
];

const DOWN = [
  `DROP INDEX document_updates_batch_id_key`,
  `ALTER TABLE document_updates DROP COLUMN batch_id`,
  `DROP TABLE document_log_heads`,
];
