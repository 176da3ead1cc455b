import { Column, Entity, PrimaryColumn } from 'typeorm';

export const PARTICIPANT_ROLES = ['candidate', 'interviewer', 'observer', 'reviewer'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

@Entity({ name: 'participants' })
export class ParticipantEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'session_id' })
  sessionId!: string;

  @Column('text')
  role!: ParticipantRole;

  @Column('uuid', { name: 'user_id', nullable: true })
  userId!: string | null;

  @Column('text', { name: 'display_name' })
  displayName!: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  /** First time someone joined with this participant's token (set by the realtime layer). */
  @Column('timestamptz', { name: 'joined_at', nullable: true })
  joinedAt!: Date | null;

  @Column('timestamptz', { name: 'last_seen_at', nullable: true })
  lastSeenAt!: Date | null;
}
