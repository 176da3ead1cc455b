import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One score sample per document seq of a session. Grading runs in the process whose room committed the
 * change; two processes that grade the same seq (each saw the other's updates) would store the same
 * grade twice. The unique index makes the second insert a no-op (`ON CONFLICT DO NOTHING`). Nothing
 * wrote `score_samples` before this migration, so no duplicates can stand in the way.
 */
export class ScoreSamplesBySeq1764100000000 implements MigrationInterface {
  name = 'ScoreSamplesBySeq1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX score_samples_session_id_seq_idx`);
    await queryRunner.query(`CREATE UNIQUE INDEX score_samples_session_id_seq_key ON score_samples (session_id, seq)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX score_samples_session_id_seq_key`);
    await queryRunner.query(`CREATE INDEX score_samples_session_id_seq_idx ON score_samples (session_id, seq)`);
  }
}
