import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the AI interviewer keeps beside the session timeline (its follow-ups, hints and verdicts are
 * session events):
 *
 * - `interviewer_leases`: which api process drives the AI of a live session. A process takes or renews
 *   the row when it is free, its own, or expired; so with several processes exactly one acts, and a
 *   process that dies is replaced once its lease runs out.
 * - `interviewer_usage`: the LLM's token use, failures and latency per session (running totals, and the
 *   latencies of the last 500 calls).
 */
export class Interviewer1764200000000 implements MigrationInterface {
  name = 'Interviewer1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

const UP = [
  `CREATE TABLE interviewer_leases (
    session_id uuid PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    holder text NOT NULL,
    expires_at timestamptz NOT NULL
  )`,
  `CREATE TABLE interviewer_usage (
    session_id uuid PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    model text NOT NULL,
    calls integer NOT NULL DEFAULT 0 CHECK (calls >= 0),
    requests integer NOT NULL DEFAULT 0 CHECK (requests >= 0),
    failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    fallbacks integer NOT NULL DEFAULT 0 CHECK (fallbacks >= 0),
    prompt_tokens bigint NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
    completion_tokens bigint NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
    estimated_calls integer NOT NULL DEFAULT 0 CHECK (estimated_calls >= 0),
    latencies_ms integer[] NOT NULL DEFAULT '{}',
    last_error text,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
];

const DOWN = [`DROP TABLE interviewer_usage`, `DROP TABLE interviewer_leases`];
