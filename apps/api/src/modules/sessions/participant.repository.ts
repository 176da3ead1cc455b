import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ParticipantEntity } from '../../database/entities';
import type { ParticipantRecord } from './session.types';

@Injectable()
export class ParticipantRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A session's participants, oldest first. */
  listBySession(sessionId: string): Promise<ParticipantRecord[]> {
    return this.dataSource.getRepository(ParticipantEntity).find({ where: { sessionId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findInSession(sessionId: string, participantId: string): Promise<ParticipantRecord | null> {
    return this.dataSource.getRepository(ParticipantEntity).findOneBy({ sessionId, id: participantId });
  }
}
