import { Column, Entity, PrimaryColumn } from 'typeorm';

export const SESSION_MODES = ['mock', 'pair', 'practice'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

export const SESSION_STATUSES = ['created', 'live', 'ended'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'scenario_id' })
  scenarioId!: string;

  @Column('integer', { name: 'scenario_version' })
  scenarioVersion!: number;

  @Column('text')
  mode!: SessionMode;

  @Column('text', { default: 'created' })
  status!: SessionStatus;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;
}
