import { Inject, Injectable, Logger } from '@nestjs/common';
import { type CollabLogger, type Fanout, type RoomHooks, RoomRegistry } from '@hatch/collab';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { CollabAccessService } from './collab-access.service';
import { PostgresUpdateStore } from './postgres-update-store';

/** Injection token of the rooms' fan-out (`RedisFanout`, or null without REDIS_URL). */
export const COLLAB_FANOUT = Symbol('COLLAB_FANOUT');

/** Hooks other modules add to every room (`addRoomHooks`); `canWrite` stays collab's own. */
export type ExtraRoomHooks = Omit<RoomHooks, 'canWrite'>;

/**
 * This process's rooms: the `RoomRegistry` of `@hatch/collab` over PostgreSQL and, with Redis, the fan-out.
 * Other modules plug into the rooms' steps with `addRoomHooks` (e.g. scoring on save), so collab never
 * imports them.
 */
@Injectable()
export class CollabService {
  readonly rooms: RoomRegistry;
  private readonly logger = new Logger('Collab');
  private readonly extraHooks: ExtraRoomHooks[] = [];

  constructor(
    store: PostgresUpdateStore,
    access: CollabAccessService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(COLLAB_FANOUT) fanout: Fanout | null,
  ) {
    const { collab } = config;
    this.rooms = new RoomRegistry({
      store,
      fanout: fanout ?? undefined,
      logger: nestLogger(this.logger),
      settings: {
        limits: { maxMessageBytes: collab.maxMessageBytes, ratePerSecond: collab.ratePerSecond, rateBurst: collab.rateBurst },
        snapshots: { everyUpdates: collab.snapshotEveryUpdates, intervalMs: collab.snapshotIntervalSeconds * 1000 },
      },
      hooks: {
        onLoad: async (room) => {
          for (const hooks of this.extraHooks) await hooks.onLoad?.(room);
        },
        onChange: (room, update, source) => this.each('onChange', (hooks) => hooks.onChange?.(room, update, source)),
        onSaved: (room, seq) => this.each('onSaved', (hooks) => hooks.onSaved?.(room, seq)),
        onUnload: (sessionId) => {
          access.forget(sessionId);
          this.each('onUnload', (hooks) => hooks.onUnload?.(sessionId));
        },
      },
    });
  }

  /** Adds hooks run for every room after collab's own; a hook that throws is logged and skipped (onLoad's refuses the room). */
  addRoomHooks(hooks: ExtraRoomHooks): void {
    this.extraHooks.push(hooks);
  }

  private each(step: string, run: (hooks: ExtraRoomHooks) => void): void {
    for (const hooks of this.extraHooks) {
      try {
        run(hooks);
      } catch (error) {
        this.logger.error(`A room ${step} hook failed: ${(error as Error)?.message ?? String(error)}`, (error as Error)?.stack);
      }
    }
  }
}

function nestLogger(logger: Logger): CollabLogger {
  return {
    log: (message) => logger.log(message),
    warn: (message) => logger.warn(message),
    error: (message, error) => logger.error(error instanceof Error ? `${message}: ${error.message}` : message, error instanceof Error ? error.stack : undefined),
    debug: (message) => logger.debug(message),
  };
}
