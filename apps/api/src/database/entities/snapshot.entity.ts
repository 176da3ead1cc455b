import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-transformers';

/** The encoded document state after applying every update up to and including `seq`. Append-only. */
@Entity({ name: 'snapshots' })
export class SnapshotEntity {
  @PrimaryColumn('uuid', { name: 'session_id' })
  sessionId!: string;

  @PrimaryColumn('bigint', { transformer: bigintAsNumber })
  seq!: number;

  @Column('bytea')
  state!: Buffer;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}
