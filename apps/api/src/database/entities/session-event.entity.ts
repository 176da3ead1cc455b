import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from './column-transformers';

/** Chat, stage changes, follow-ups, timer and similar session events, in order of `id`. Append-only. */
@Entity({ name: 'session_events' })
export class SessionEventEntity {
  /** int8 comes back from `pg` as a string; kept as one (an identity has no transformer in TypeORM). */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column('uuid', { name: 'session_id' })
  sessionId!: string;

  /** The document sequence number the event happened at, when it relates to the document. */
  @Column('bigint', { nullable: true, transformer: bigintAsNumber })
  seq!: number | null;

  @Column('timestamptz', { name: 'occurred_at', default: () => 'now()' })
  occurredAt!: Date;

  @Column('text')
  type!: string;

  @Column('uuid', { name: 'actor_participant_id', nullable: true })
  actorParticipantId!: string | null;

  @Column('jsonb', { default: () => "'{}'::jsonb" })
  payload!: Record<string, unknown>;
}
