import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from './column-transformers';

/** The grader's scores for the document as of `seq`: scores over time. Append-only, one per (session, seq). */
@Entity({ name: 'score_samples' })
export class ScoreSampleEntity {
  /** int8 comes back from `pg` as a string; kept as one (an identity has no transformer in TypeORM). */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column('uuid', { name: 'session_id' })
  sessionId!: string;

  @Column('bigint', { transformer: bigintAsNumber })
  seq!: number;

  @Column('timestamptz', { name: 'sampled_at', default: () => 'now()' })
  sampledAt!: Date;

  /** The grade summary: `{ scenarioId, scenarioVersion, stages: { frame, list, optimize, win }, weakMoves }` (no evidence). */
  @Column('jsonb')
  scores!: Record<string, unknown>;

  @Column('double precision')
  total!: number;
}
