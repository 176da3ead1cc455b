import type { ParticipantRole, SessionMode, SessionStatus } from '../../database/entities';

export type { ParticipantRole, SessionMode, SessionStatus };

export interface SessionRecord {
  id: string;
  scenarioId: string;
  scenarioVersion: number;
  mode: SessionMode;
  status: SessionStatus;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  createdBy: string | null;
}

export interface ParticipantRecord {
  id: string;
  sessionId: string;
  role: ParticipantRole;
  userId: string | null;
  displayName: string;
  createdAt: Date;
  joinedAt: Date | null;
  lastSeenAt: Date | null;
}

export type NewSession = Pick<SessionRecord, 'id' | 'scenarioId' | 'scenarioVersion' | 'mode'> & { createdBy?: string | null };
export type NewParticipant = Pick<ParticipantRecord, 'id' | 'role' | 'displayName'> & { userId?: string | null };
