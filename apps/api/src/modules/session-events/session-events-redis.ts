import type { Logger } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { RedisTarget } from '../../config/app-config';
import { RedisUnavailableError } from './session-event.error';

/** Injection token of the `SessionEventsRedis` (null without REDIS_URL). */
export const SESSION_EVENTS_REDIS = Symbol('SESSION_EVENTS_REDIS');

const CONNECT_TIMEOUT_MS = 5000;
const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * The two Redis connections of the socket.io Redis adapter (a subscriber cannot publish). Connected
 * before the app starts, so a wrong REDIS_URL stops the boot instead of silently isolating the process.
 */
export class SessionEventsRedis {
  private lastErrorLogAt = 0;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    readonly target: RedisTarget,
    readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {
    for (const client of [pub, sub]) client.on('error', (error: Error) => this.logError(error));
  }

  static async connect(target: RedisTarget, keyPrefix: string, logger: Logger): Promise<SessionEventsRedis> {
    let booted = false;
    const options = {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      connectionName: `${keyPrefix}:session-events`,
      // No retries while booting (the boot fails instead); afterwards reconnect for as long as it takes.
      retryStrategy: (attempt: number) => (booted ? Math.min(attempt * 200, 5000) : null),
    };
    const pub = new Redis(target.url, options);
    const sub = new Redis(target.url, options);
    let lastError: Error | undefined;
    const remember = (error: Error) => (lastError = error);
    pub.on('error', remember);
    sub.on('error', remember);
    // Both attempts settle before giving up, so neither is left connecting in the background.
    const results = await Promise.allSettled([pub.connect(), sub.connect()]);
    pub.off('error', remember);
    sub.off('error', remember);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all([pub, sub].map((client) => (client.status === 'ready' ? client.quit() : undefined)));
      throw new RedisUnavailableError(target.address, (lastError ?? (failed.reason as Error)).message);
    }
    booted = true;
    return new SessionEventsRedis(pub, sub, target, keyPrefix, logger);
  }

  /** The socket.io adapter factory; channels are `<prefix>:socket.io#/session#…`. */
  createAdapter(): ReturnType<typeof createAdapter> {
    return createAdapter(this.guardedPublisher(), this.sub, { key: `${this.keyPrefix}:socket.io` });
  }

  async close(): Promise<void> {
    await Promise.all([this.pub, this.sub].map((client) => client.quit().catch(() => client.disconnect())));
  }

  /**
   * The adapter publishes without handling the promise; while Redis is down a rejected publish would be
   * an unhandled rejection, which ends a Node process. This view of the client catches and logs them:
   * other processes miss those broadcasts, this one lives (the timeline stays complete in PostgreSQL).
   */
  private guardedPublisher(): Redis {
    const pub = this.pub;
    return new Proxy(pub, {
      get: (target, property) => {
        if (property === 'publish') {
          return (...args: unknown[]) => {
            const result = (target.publish as (...a: unknown[]) => Promise<number>).apply(target, args);
            result.catch((error: Error) => this.logError(error));
            return result;
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  private logError(error: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLogAt < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLogAt = now;
    this.logger.warn(`Redis at ${this.target.address}: ${error.message} (events of other processes may be missed until it is back)`);
  }
}
