import { CollabError, closeCodeFor } from './collab.errors';
import {
  type CollabLogger,
  type CollabSettings,
  type CollabSettingsInput,
  defaultCanWrite,
  resolveSettings,
  type RoomHooks,
  silentLogger,
} from './collab-settings';
import type { Fanout } from './fanout';
import { GroupCommitter } from './group-commit';
import { type CollabClient, Room, type RoomConnection } from './room';
import type { UpdateStore } from './update-store';

export interface RoomRegistryOptions {
  store: UpdateStore;
  /** The bus to other processes serving the same sessions; none when one process serves everything. */
  fanout?: Fanout;
  settings?: CollabSettingsInput;
  hooks?: RoomHooks;
  logger?: CollabLogger;
}

export interface RoomRegistryStats {
  rooms: number;
  /** Rooms still loading. */
  loading: number;
  clients: number;
  /** Updates made in this process that are not durable yet. */
  unsaved: number;
  /** True while writes to the log fail and are being retried. */
  storeFailing: boolean;
}

/**
 * Every live room of one process, by session id. The first client of a session loads its room; the
 * clients that join meanwhile share that load. All rooms share one group committer.
 */
export class RoomRegistry {
  readonly settings: CollabSettings;
  private readonly rooms = new Map<string, Room>();
  private readonly releases = new Set<Promise<unknown>>();
  private readonly committer: GroupCommitter;
  private readonly logger: CollabLogger;
  private readonly stopResync: (() => void) | undefined;
  private closing: Promise<number> | undefined;

  constructor(private readonly options: RoomRegistryOptions) {
    this.settings = resolveSettings(options.settings);
    this.logger = options.logger ?? silentLogger;
    this.committer = new GroupCommitter(options.store, this.settings.commit, this.logger);
    this.stopResync = options.fanout?.onResync(() => {
      for (const room of this.rooms.values()) {
        room.scheduleCatchUp(0);
        room.announceHead();
      }
    });
  }

  /** Joins `connection` to the session's room, loading it if needed. */
  connect(sessionId: string, connection: RoomConnection): CollabClient {
    if (this.closing) {
      const refusal = new CollabError('SHUTTING_DOWN', 'the server is shutting down');
      connection.close(closeCodeFor(refusal.code), refusal.message);
      return { receive: () => undefined, fail: () => undefined, disconnected: () => undefined };
    }
    let room = this.rooms.get(sessionId);
    if (!room) {
      const hooks = this.options.hooks ?? {};
      room = new Room(sessionId, {
        store: this.options.store,
        committer: this.committer,
        fanout: this.options.fanout,
        settings: this.settings,
        hooks,
        logger: this.logger,
        canWrite: hooks.canWrite ?? defaultCanWrite,
        released: (released, pending) => this.released(released, pending),
      });
      this.rooms.set(sessionId, room);
    }
    return room.attach(connection);
  }

  get(sessionId: string): Room | undefined {
    return this.rooms.get(sessionId);
  }

  get size(): number {
    return this.rooms.size;
  }

  stats(): RoomRegistryStats {
    let clients = 0;
    let unsaved = 0;
    let loading = 0;
    for (const room of this.rooms.values()) {
      clients += room.clientCount;
      unsaved += room.unsaved;
      if (room.state === 'loading') loading++;
    }
    return { rooms: this.rooms.size, loading, clients, unsaved, storeFailing: this.committer.failing };
  }

  /** Resolves when every room that has unloaded has also finished its last writes (final snapshots). */
  async settled(): Promise<void> {
    while (this.releases.size > 0) await Promise.allSettled([...this.releases]);
  }

  /**
   * Shutdown: closes every client (1001), waits up to `timeoutMs` for unsaved updates to be written,
   * then unloads what is left. Returns how many updates could not be written.
   */
  close(timeoutMs = 10_000): Promise<number> {
    this.closing ??= this.shutDown(timeoutMs);
    return this.closing;
  }

  private async shutDown(timeoutMs: number): Promise<number> {
    this.stopResync?.();
    const goingAway = new CollabError('SHUTTING_DOWN', 'the server is shutting down');
    for (const room of [...this.rooms.values()]) room.closeClients(goingAway);
    await Promise.allSettled([...this.rooms.values()].map((room) => room.loaded));
    const drained = await this.committer.drain(timeoutMs);
    const lost = drained ? 0 : this.committer.pending;
    if (!drained) this.logger.error(`Shutting down with ${lost} update(s) not written to the log`);
    this.committer.close();
    for (const room of [...this.rooms.values()]) room.forceRelease();
    await this.settled();
    return lost;
  }

  private released(room: Room, pending: Promise<unknown>): void {
    if (this.rooms.get(room.sessionId) === room) this.rooms.delete(room.sessionId);
    const tracked = pending.finally(() => this.releases.delete(tracked));
    this.releases.add(tracked);
  }
}
