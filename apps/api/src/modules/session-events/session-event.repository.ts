import { Injectable } from '@nestjs/common';
import type { StoredEventType } from '@hatch/protocol';
import { DataSource, type EntityManager, In, MoreThan, Not } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { SessionEntity, SessionEventEntity } from '../../database/entities';
import type { SessionRecord } from '../sessions/session.types';

export interface NewSessionEvent {
  type: StoredEventType;
  actorParticipantId: string | null;
  payload: object;
  occurredAt: Date;
}

export interface SessionEventRecord {
  id: string;
  sessionId: string;
  type: string;
  actorParticipantId: string | null;
  occurredAt: Date;
  payload: Record<string, unknown>;
}

/** A session and the stage it is at (the newest `stage` event), as of one moment. */
export interface SessionSnapshot {
  session: SessionRecord;
  stage: { stage: string; since: Date } | null;
}

/** What to write under the session's lock: a status change (optional) and events, in order. */
export interface SessionWrite {
  status?: { status: 'live'; startedAt: Date } | { status: 'ended'; endedAt: Date };
  events: NewSessionEvent[];
}

/** Reads inside a `writeLocked` transaction (the session row locked), for decisions that depend on earlier events. */
export interface LockedSessionReader {
  /** The session's follow-ups that no `followup:closed` refers to, newest first. */
  openFollowUps(): Promise<SessionEventRecord[]>;
  /** One event of the session by id and type; null when there is none. */
  event(id: string, type: StoredEventType): Promise<SessionEventRecord | null>;
}

export interface SessionWriteResult {
  before: SessionSnapshot;
  after: SessionSnapshot;
  events: SessionEventRecord[];
}

/** Storage of the session event timeline (`session_events`) and the session status it drives. */
@Injectable()
export class SessionEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Locks the session row (`FOR UPDATE`, so concurrent writers in any process take turns), reads its
   * snapshot, asks `decide` what to write, and writes it in the same transaction. Whatever `decide`
   * throws rolls the transaction back and propagates. Null when there is no such session.
   */
  writeLocked(
    sessionId: string,
    decide: (snapshot: SessionSnapshot, read: LockedSessionReader) => SessionWrite | Promise<SessionWrite>,
  ): Promise<SessionWriteResult | null> {
    return this.dataSource.transaction(async (manager) => {
      const session = await manager.findOne(SessionEntity, { where: { id: sessionId }, lock: { mode: 'pessimistic_write' } });
      if (!session) return null;
      const before: SessionSnapshot = { session: { ...session }, stage: await this.latestStage(manager, sessionId) };
      const write = await decide(before, this.reader(manager, sessionId));
      const after: SessionSnapshot = { session: { ...session }, stage: before.stage };
      if (write.status) {
        const change =
          write.status.status === 'live'
            ? { status: 'live' as const, startedAt: write.status.startedAt }
            : { status: 'ended' as const, endedAt: write.status.endedAt };
        await manager.update(SessionEntity, { id: sessionId }, change);
        Object.assign(after.session, change);
      }
      const events = await this.insert(manager, sessionId, write.events);
      for (const event of events) {
        if (event.type === 'stage') after.stage = { stage: String(event.payload.stage), since: event.occurredAt };
      }
      return { before, after, events };
    });
  }

  /** Snapshots of the given sessions (unknown ids are left out), without locking. */
  async snapshots(sessionIds: string[]): Promise<SessionSnapshot[]> {
    if (sessionIds.length === 0) return [];
    const sessions = await this.dataSource.getRepository(SessionEntity).findBy({ id: In(sessionIds) });
    if (sessions.length === 0) return [];
    const rows: { session_id: string; stage: string; occurred_at: Date }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (session_id) session_id, payload->>'stage' AS stage, occurred_at
         FROM session_events WHERE session_id = ANY($1::uuid[]) AND type = 'stage'
         ORDER BY session_id, id DESC`,
      [sessions.map((s) => s.id)],
    );
    const stages = new Map(rows.map((row) => [row.session_id, { stage: row.stage, since: new Date(row.occurred_at) }]));
    return sessions.map((session) => ({ session, stage: stages.get(session.id) ?? null }));
  }

  /** Appends events outside any session lock (presence), in order. */
  append(sessionId: string, events: NewSessionEvent[]): Promise<SessionEventRecord[]> {
    return this.dataSource.transaction((manager) => this.insert(manager, sessionId, events));
  }

  /**
   * A page of a session's timeline, oldest first, with ids above `after`; `types` keeps only those
   * types, `exceptTypes` leaves those out (private events for readers who may not see them).
   */
  async list(
    sessionId: string,
    options: { after?: string; limit: number; types?: readonly string[]; exceptTypes?: readonly string[] },
  ): Promise<SessionEventRecord[]> {
    const type = options.types ? In([...options.types]) : options.exceptTypes?.length ? Not(In([...options.exceptTypes])) : undefined;
    const rows = await this.dataSource.getRepository(SessionEventEntity).find({
      where: { sessionId, ...(options.after !== undefined ? { id: MoreThan(options.after) } : {}), ...(type ? { type } : {}) },
      order: { id: 'ASC' },
      take: options.limit,
    });
    return rows.map(toRecord);
  }

  /** Records that a participant is (still) connected: `joined_at` the first time, `last_seen_at` every time. */
  async markSeen(sessionId: string, participantId: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE participants SET joined_at = COALESCE(joined_at, $3), last_seen_at = $3 WHERE session_id = $1 AND id = $2`,
      [sessionId, participantId, at],
    );
  }

  private reader(manager: EntityManager, sessionId: string): LockedSessionReader {
    return {
      openFollowUps: async () => {
        const rows: SessionEventEntity[] = await manager.query(
          `SELECT f.id, f.session_id AS "sessionId", f.type, f.actor_participant_id AS "actorParticipantId",
                  f.occurred_at AS "occurredAt", f.payload
             FROM session_events f
            WHERE f.session_id = $1 AND f.type = 'followup'
              AND NOT EXISTS (SELECT 1 FROM session_events c
                               WHERE c.session_id = $1 AND c.type = 'followup:closed' AND c.payload->>'followUpId' = f.id::text)
            ORDER BY f.id DESC`,
          [sessionId],
        );
        return rows.map((row) => toRecord({ ...row, occurredAt: new Date(row.occurredAt) }));
      },
      event: async (id, type) => {
        const row = await manager.findOne(SessionEventEntity, { where: { sessionId, id, type } });
        return row ? toRecord(row) : null;
      },
    };
  }

  private async latestStage(manager: EntityManager, sessionId: string): Promise<SessionSnapshot['stage']> {
    const row = await manager.findOne(SessionEventEntity, { where: { sessionId, type: 'stage' }, order: { id: 'DESC' } });
    return row ? { stage: String(row.payload.stage), since: row.occurredAt } : null;
  }

  private async insert(manager: EntityManager, sessionId: string, events: NewSessionEvent[]): Promise<SessionEventRecord[]> {
    if (events.length === 0) return [];
    const rows = events.map((event) => ({
      sessionId,
      type: event.type,
      actorParticipantId: event.actorParticipantId,
      payload: event.payload as Record<string, unknown>,
      occurredAt: event.occurredAt,
    }));
    // TypeORM's insert typing cannot express a jsonb object column; the rows match the entity.
    const result = await manager.insert(SessionEventEntity, rows as QueryDeepPartialEntity<SessionEventEntity>[]);
    return rows.map((row, i) => ({ ...row, id: String(result.identifiers[i].id) }));
  }
}

const toRecord = (row: Omit<SessionEventEntity, 'seq'>): SessionEventRecord => ({
  id: String(row.id),
  sessionId: row.sessionId,
  type: row.type,
  actorParticipantId: row.actorParticipantId,
  occurredAt: row.occurredAt,
  payload: row.payload,
});
