import { DocumentUpdateEntity } from './document-update.entity';
import { ParticipantEntity } from './participant.entity';
import { ScoreSampleEntity } from './score-sample.entity';
import { SessionEventEntity } from './session-event.entity';
import { SessionEntity } from './session.entity';
import { SnapshotEntity } from './snapshot.entity';
import { UserEntity } from './user.entity';

export * from './document-update.entity';
export * from './participant.entity';
export * from './score-sample.entity';
export * from './session-event.entity';
export * from './session.entity';
export * from './snapshot.entity';
export * from './user.entity';

/** Listed explicitly (no globs) so the compiled app needs no file discovery. */
export const ENTITIES = [
  UserEntity,
  SessionEntity,
  ParticipantEntity,
  DocumentUpdateEntity,
  SnapshotEntity,
  SessionEventEntity,
  ScoreSampleEntity,
];
