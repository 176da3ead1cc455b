import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ParticipantEntity, SessionEntity } from '../../database/entities';
import type { NewParticipant, NewSession, SessionRecord } from './session.types';

@Injectable()
export class SessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a session and its participants in one transaction; returns the stored session. */
  createWithParticipants(session: NewSession, participants: NewParticipant[]): Promise<SessionRecord> {
    return this.dataSource.transaction(async (manager) => {
      await manager.insert(SessionEntity, {
        id: session.id,
        scenarioId: session.scenarioId,
        scenarioVersion: session.scenarioVersion,
        mode: session.mode,
        createdBy: session.createdBy ?? null,
      });
      if (participants.length > 0) {
        await manager.insert(
          ParticipantEntity,
          participants.map((p) => ({ id: p.id, sessionId: session.id, role: p.role, displayName: p.displayName, userId: p.userId ?? null })),
        );
      }
      return manager.findOneByOrFail(SessionEntity, { id: session.id });
    });
  }

  findById(id: string): Promise<SessionRecord | null> {
    return this.dataSource.getRepository(SessionEntity).findOneBy({ id });
  }
}
