import { Injectable } from '@nestjs/common';
import {
  type InterServerEvents,
  type PresenceEntry,
  type PresencePayload,
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
  localSessionIds(): string[] {
    if (!this.namespace) return [];
    return [...this.namespace.adapter.rooms.keys()].filter((room) => room.startsWith(ROOM_PREFIX)).map((room) => room.slice(ROOM_PREFIX.length));
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
