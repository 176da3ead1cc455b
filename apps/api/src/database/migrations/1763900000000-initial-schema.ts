import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users, sessions and participants, and the append-only history of a session: document updates,
 * snapshots, session events and score samples.
 *
 * History rows are never changed: a trigger rejects UPDATE, DELETE and TRUNCATE on the four history
 * tables. The one way rows leave is with their session (ON DELETE CASCADE from `sessions`): the
 * cascade runs inside the foreign key's own trigger, so there `pg_trigger_depth()` is above 1, while
 * a DELETE statement sent by a client runs at depth 1 and is refused.
 */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

const HISTORY_TABLES = ['document_updates', 'snapshots', 'session_events', 'score_samples'];

const UP = [
  `CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    scenario_id text NOT NULL CHECK (length(scenario_id) BETWEEN 1 AND 200),
    scenario_version integer NOT NULL CHECK (scenario_version >= 1),
    mode text NOT NULL CHECK (mode IN ('mock', 'pair', 'practice')),
    status text NOT NULL DEFAULT 'created' CHECK (status IN ('created', 'live', 'ended')),
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    ended_at timestamptz,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT sessions_ended_after_started CHECK (ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at)
  )`,
  `CREATE INDEX sessions_created_by_idx ON sessions (created_by, created_at DESC) WHERE created_by IS NOT NULL`,

  `CREATE TABLE participants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('candidate', 'interviewer', 'observer', 'reviewer')),
    user_id uuid REFERENCES users (id) ON DELETE SET NULL,
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    joined_at timestamptz,
    last_seen_at timestamptz,
    -- target of the history tables' (session_id, participant_id) keys: an actor belongs to the same session
    CONSTRAINT participants_session_id_id_key UNIQUE (session_id, id)
  )`,
  `CREATE INDEX participants_user_id_idx ON participants (user_id) WHERE user_id IS NOT NULL`,

  `CREATE TABLE document_updates (
    session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq bigint NOT NULL CHECK (seq > 0),
    participant_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    update bytea NOT NULL,
    PRIMARY KEY (session_id, seq),
    CONSTRAINT document_updates_participant_fkey FOREIGN KEY (session_id, participant_id)
      REFERENCES participants (session_id, id) ON DELETE NO ACTION
  )`,

  `CREATE TABLE snapshots (
    session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq bigint NOT NULL CHECK (seq >= 0),
    state bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, seq)
  )`,

  `CREATE TABLE session_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq bigint CHECK (seq >= 0),
    occurred_at timestamptz NOT NULL DEFAULT now(),
    type text NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
    actor_participant_id uuid,
    payload jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(payload) = 'object'),
    CONSTRAINT session_events_actor_fkey FOREIGN KEY (session_id, actor_participant_id)
      REFERENCES participants (session_id, id) ON DELETE NO ACTION
  )`,
  `CREATE INDEX session_events_session_id_id_idx ON session_events (session_id, id)`,
  `CREATE INDEX session_events_session_id_seq_idx ON session_events (session_id, seq) WHERE seq IS NOT NULL`,

  `CREATE TABLE score_samples (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq bigint NOT NULL CHECK (seq >= 0),
    sampled_at timestamptz NOT NULL DEFAULT now(),
    scores jsonb NOT NULL CHECK (jsonb_typeof(scores) = 'object'),
    total double precision NOT NULL CHECK (total BETWEEN 0 AND 100)
  )`,
  `CREATE INDEX score_samples_session_id_seq_idx ON score_samples (session_id, seq)`,

  `CREATE FUNCTION hatch_reject_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
      RETURN OLD; -- cascaded from deleting the session
    END IF;
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
      USING ERRCODE = 'restrict_violation', HINT = 'History rows leave only with their session.';
  END
  $$`,
  ...HISTORY_TABLES.flatMap((table) => [
    `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION hatch_reject_history_change()`,
    `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION hatch_reject_history_change()`,
  ]),
];

const DOWN = [
  ...[...HISTORY_TABLES].reverse().map((table) => `DROP TABLE ${table}`),
  `DROP FUNCTION hatch_reject_history_change()`,
  `DROP TABLE participants`,
  `DROP TABLE sessions`,
  `DROP TABLE users`,
];
