import { canWrite, type Role } from '@hatch/protocol';
import type { Doc } from 'yjs';
import type { GroupCommitOptions } from './group-commit';

/** Where the rooms report what an operator should see. Nest's Logger fits. */
export interface CollabLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  debug?(message: string): void;
}

export const silentLogger: CollabLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

export interface CollabLimits {
  /** Largest message a client may send; a larger one closes the connection (4413). */
  maxMessageBytes: number;
  /** Sustained messages per second per connection (token bucket refill). */
  ratePerSecond: number;
  /** Messages a connection may send at once (token bucket size). */
  rateBurst: number;
  /** Messages held per connection while its room loads. */
  maxBufferedMessages: number;
}

export interface SnapshotPolicy {
  /** A snapshot after this many updates written by this process... */
  everyUpdates: number;
  /** ...or this long after the first update since the last snapshot. */
  intervalMs: number;
}

export interface CollabSettings {
  limits: CollabLimits;
  snapshots: SnapshotPolicy;
  commit: GroupCommitOptions;
  /** How long a gap in the seqs may last before the room reads the missing updates from the log. */
  catchUpDelayMs: number;
}

export const DEFAULT_COLLAB_SETTINGS: CollabSettings = {
  limits: { maxMessageBytes: 1024 * 1024, ratePerSecond: 200, rateBurst: 500, maxBufferedMessages: 500 },
  snapshots: { everyUpdates: 500, intervalMs: 60_000 },
  commit: { maxBatchRows: 1000, maxBatchBytes: 8 * 1024 * 1024, retryInitialMs: 100, retryMaxMs: 5_000 },
  catchUpDelayMs: 250,
};

export interface CollabSettingsInput {
  limits?: Partial<CollabLimits>;
  snapshots?: Partial<SnapshotPolicy>;
  commit?: Partial<GroupCommitOptions>;
  catchUpDelayMs?: number;
}

export function resolveSettings(input: CollabSettingsInput = {}): CollabSettings {
  return {
    limits: { ...DEFAULT_COLLAB_SETTINGS.limits, ...input.limits },
    snapshots: { ...DEFAULT_COLLAB_SETTINGS.snapshots, ...input.snapshots },
    commit: { ...DEFAULT_COLLAB_SETTINGS.commit, ...input.commit },
    catchUpDelayMs: input.catchUpDelayMs ?? DEFAULT_COLLAB_SETTINGS.catchUpDelayMs,
  };
}

/** What a connected participant is, as the transport authenticated it. */
export interface ParticipantIdentity {
  readonly participantId: string;
  readonly role: Role;
}

/**
 * The steps of a room others plug into. Loading and appending are the `UpdateStore`'s, relaying to
 * other processes the `Fanout`'s; these hooks are the rest. A hook that throws is logged, never fatal,
 * except `onLoad`, whose failure refuses the room like a failed load.
 */
export interface RoomHooks {
  /** After the document is loaded, before any client is served (e.g. seed a drill's model). */
  onLoad?(room: RoomView): void | Promise<void>;
  /** Whether this participant's document updates are applied. Default: candidate and interviewer. */
  canWrite?(participant: ParticipantIdentity, sessionId: string): boolean;
  /** After a change reached the document: a client's (`local`) or another process's (`remote`). */
  onChange?(room: RoomView, update: Uint8Array, source: 'local' | 'remote'): void;
  /** After updates of this room became durable; `seq` is the highest committed seq the room knows. */
  onSaved?(room: RoomView, seq: number): void;
  /** After the room was unloaded (its memory released). */
  onUnload?(sessionId: string): void;
}

/** What hooks see of a room. */
export interface RoomView {
  readonly sessionId: string;
  /** The document as one update (e.g. to seed a copy). The room keeps these bytes: read them, never transfer or change them. */
  encodeState(): Uint8Array;
  /** A change made by the server (e.g. a drill's starting model): logged with no participant, relayed to all. */
  edit(change: (doc: Doc) => void): void;
  /** Clients connected now. */
  readonly clientCount: number;
}

export const defaultCanWrite = (participant: ParticipantIdentity): boolean => canWrite(participant.role);
