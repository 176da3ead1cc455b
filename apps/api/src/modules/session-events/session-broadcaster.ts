import { Injectable } from '@nestjs/common';
import {
  type InterServerEvents,
  type PresenceEntry,
  type PresencePayload,
  type Role,
  roles,
  type ServerToClientEvents,
  type SessionSocketData,
  type ClientToServerEvents,
} from '@hatch/protocol';
import type { Namespace, Socket } from 'socket.io';

export type SessionNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SessionSocketData>;
export type SessionSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SessionSocketData>;

type EmitArgs<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>;

const ROOM_PREFIX = 'session:';

export const sessionRoom = (sessionId: string): string => `${ROOM_PREFIX}${sessionId}`;

/** The interviewers' connections of a session: private events (notes, suggestions) go only here. */
export const interviewersRoom = (sessionId: string): string => `${ROOM_PREFIX}${sessionId}:interviewers`;

/** The rooms a connection joins: its session's, and the interviewers' room for interviewers. */
export const roomsOf = (sessionId: string, role: Role): string[] =>
  role === 'interviewer' ? [sessionRoom(sessionId), interviewersRoom(sessionId)] : [sessionRoom(sessionId)];

/**
 * The one place that emits to rooms of the `/session` namespace. With the Redis adapter, room emits and
 * `fetchSockets` reach every api process; `*Local` methods stay on this one (the timer, shutdown).
 */
@Injectable()
export class SessionBroadcaster {
  private namespace: SessionNamespace | undefined;

  bind(namespace: SessionNamespace): void {
    this.namespace = namespace;
  }

  toSession<E extends keyof ServerToClientEvents>(sessionId: string, event: E, ...args: EmitArgs<E>): void {
    this.nsp().to(sessionRoom(sessionId)).emit(event, ...args);
  }

  /** To the session's interviewers only, on every process: never reaches a candidate, observer or reviewer. */
  toInterviewers<E extends keyof ServerToClientEvents>(sessionId: string, event: E, ...args: EmitArgs<E>): void {
    this.nsp().to(interviewersRoom(sessionId)).emit(event, ...args);
  }

  toSessionLocal<E extends keyof ServerToClientEvents>(sessionId: string, event: E, ...args: EmitArgs<E>): void {
    this.nsp().local.to(sessionRoom(sessionId)).emit(event, ...args);
  }

  toConnection<E extends keyof ServerToClientEvents>(connectionId: string, event: E, ...args: EmitArgs<E>): void {
    this.nsp().local.to(connectionId).emit(event, ...args);
  }

  /** Who is connected to the session, on every process: one entry per participant. */
  async presence(sessionId: string): Promise<PresencePayload> {
    const sockets = await this.nsp().in(sessionRoom(sessionId)).fetchSockets();
    const byParticipant = new Map<string, PresenceEntry>();
    for (const { data } of sockets) {
      if (!data?.participantId) continue;
      const entry = byParticipant.get(data.participantId);
      if (!entry) {
        byParticipant.set(data.participantId, {
          participantId: data.participantId,
          displayName: data.displayName,
          role: data.role,
          connectedSince: data.connectedAt,
          connections: 1,
        });
      } else {
        entry.connections += 1;
        if (data.connectedAt < entry.connectedSince) entry.connectedSince = data.connectedAt;
      }
    }
    const participants = [...byParticipant.values()].sort(
      (a, b) => roles.indexOf(a.role) - roles.indexOf(b.role) || a.connectedSince.localeCompare(b.connectedSince),
    );
    return { sessionId, participants };
  }

  /** Sessions with at least one connection on this process. */
  /** Whether this process has a connection of the session. */
  hasLocal(sessionId: string): boolean {
    return this.namespace?.adapter.rooms.has(`${ROOM_PREFIX}${sessionId}`) ?? false;
  }

  localSessionIds(): string[] {
    if (!this.namespace) return [];
    return [...this.namespace.adapter.rooms.keys()]
      .filter((room) => room.startsWith(ROOM_PREFIX) && !room.includes(':', ROOM_PREFIX.length))
      .map((room) => room.slice(ROOM_PREFIX.length));
  }

  /** Closes this process's connections (shutdown); other processes keep theirs. */
  disconnectLocal(): void {
    this.namespace?.local.disconnectSockets(true);
  }

  private nsp(): SessionNamespace {
    if (!this.namespace) throw new Error('The /session namespace is not initialized yet');
    return this.namespace;
  }
}
