import { randomUUID } from 'node:crypto';
import type { Logger } from '@nestjs/common';
import { decodeFanoutMessage, encodeFanoutMessage, type Fanout, type FanoutMessage, type FanoutSubscription } from '@hatch/collab';
import { Redis } from 'ioredis';
import { DomainError } from '../../common/domain-error';
import type { RedisTarget } from '../../config/app-config';

const CONNECT_TIMEOUT_MS = 5000;
const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * The rooms' fan-out between api processes over Redis pub/sub: one channel per session
 * (`<prefix>:collab:<sessionId>`), binary messages tagged with this process's node id (its own
 * messages are dropped on arrival). Pub/sub delivers at most once: after a reconnect the rooms are
 * told (`onResync`) to catch up from the log, which stays the single source of truth.
 */
export class RedisFanout implements Fanout {
  readonly nodeId = randomUUID();
  private readonly handlers = new Map<string, (message: FanoutMessage) => void>();
  private readonly resyncListeners = new Set<() => void>();
  private lastErrorLogAt = 0;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    readonly target: RedisTarget,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {
    for (const client of [pub, sub]) {
      client.on('error', (error: Error) => this.logError(error));
      // a reconnect (not the first connect): messages may have been lost meanwhile
      client.on('ready', () => this.resync());
    }
    sub.on('messageBuffer', (channel: Buffer, data: Buffer) => this.receive(channel.toString(), data));
  }

  /** Connects both clients (a subscriber cannot publish); a wrong REDIS_URL stops the boot. */
  static async connect(target: RedisTarget, keyPrefix: string, logger: Logger): Promise<RedisFanout> {
    const name = `${keyPrefix}:collab`;
    // The publisher fails fast while Redis is down (nothing queues up); the subscriber queues its
    // (re)subscriptions until Redis is back.
    const pub = new Redis(target.url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, connectionName: name, enableOfflineQueue: false });
    const sub = new Redis(target.url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, connectionName: name });
    let lastError: Error | undefined;
    const remember = (error: Error) => (lastError = error);
    pub.on('error', remember);
    sub.on('error', remember);
    try {
      await Promise.all([pub.connect(), sub.connect()]);
    } catch (error) {
      pub.disconnect();
      sub.disconnect();
      throw new DomainError('REDIS_UNAVAILABLE', `Redis at ${target.address} is unreachable: ${(lastError ?? (error as Error)).message}`);
    } finally {
      pub.off('error', remember);
      sub.off('error', remember);
    }
    return new RedisFanout(pub, sub, target, keyPrefix, logger);
  }

  subscribe(sessionId: string, onMessage: (message: FanoutMessage) => void): FanoutSubscription {
    const channel = this.channel(sessionId);
    this.handlers.set(channel, onMessage);
    const ready = this.sub.subscribe(channel).then(() => undefined);
    ready.catch((error: Error) => this.logError(error));
    return {
      ready,
      close: () => {
        if (this.handlers.get(channel) !== onMessage) return;
        this.handlers.delete(channel);
        this.sub.unsubscribe(channel).catch((error: Error) => this.logError(error));
      },
    };
  }

  publish(sessionId: string, message: FanoutMessage): void {
    const data = Buffer.from(encodeFanoutMessage(this.nodeId, message));
    // Lost while Redis is down: the other processes catch up from the log once it is back.
    this.pub.publish(this.channel(sessionId), data).catch((error: Error) => this.logError(error));
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.resyncListeners.clear();
    await Promise.all([this.pub, this.sub].map((client) => client.quit().catch(() => client.disconnect())));
  }

  private channel(sessionId: string): string {
    return `${this.keyPrefix}:collab:${sessionId}`;
  }

  private receive(channel: string, data: Buffer): void {
    const handler = this.handlers.get(channel);
    if (!handler) return;
    let decoded: ReturnType<typeof decodeFanoutMessage>;
    try {
      decoded = decodeFanoutMessage(data);
    } catch (error) {
      this.logError(error as Error);
      return;
    }
    if (decoded.origin !== this.nodeId) handler(decoded.message);
  }

  private resync(): void {
    for (const listener of this.resyncListeners) listener();
  }

  private logError(error: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLogAt < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLogAt = now;
    this.logger.warn(`Redis fan-out at ${this.target.address}: ${error.message}`);
  }
}
