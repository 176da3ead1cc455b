import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-transformers';

/** One Yjs update of a session's document, in order. Append-only (see the migration's trigger). */
@Entity({ name: 'document_updates' })
export class DocumentUpdateEntity {
  @PrimaryColumn('uuid', { name: 'session_id' })
  sessionId!: string;

  @PrimaryColumn('bigint', { transformer: bigintAsNumber })
  seq!: number;

  /** Null for updates the server makes itself (e.g. seeding the document from a drill). */
  @Column('uuid', { name: 'participant_id', nullable: true })
  participantId!: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('bytea')
  update!: Buffer;

  /** The group-commit batch that wrote it: set on a session's first row of each batch (idempotent retries). */
  @Column('uuid', { name: 'batch_id', nullable: true })
  batchId!: string | null;
}
