import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { StoredUpdate } from './update-store';

/**
 * What one process tells the others about a session. Updates travel only once committed, with their
 * seqs: a process never holds content the log lacks, and a missing seq reveals a lost message.
 */
export type FanoutMessage =
  | { kind: 'updates'; updates: StoredUpdate[] }
  | { kind: 'awareness'; update: Uint8Array }
  /** "The log of this session reaches `seq`": lets a process that missed messages notice and catch up. */
  | { kind: 'head'; seq: number };

export interface FanoutSubscription {
  /** Resolves once messages published from now on will be delivered. */
  readonly ready: Promise<void>;
  close(): void;
}

/**
 * The bus between api processes serving one session (Redis in the api). Delivery is at most once and
 * never back to the publishing process; rooms repair what is lost from the log.
 */
export interface Fanout {
  subscribe(sessionId: string, onMessage: (message: FanoutMessage) => void): FanoutSubscription;
  publish(sessionId: string, message: FanoutMessage): void;
  /** Registers a listener called when messages may have been lost (the bus reconnected). Returns an unsubscribe. */
  onResync(listener: () => void): () => void;
}

const KIND = { updates: 0, awareness: 1, head: 2 } as const;

/** Binary form of a fan-out message, tagged with the publishing process's id. */
export function encodeFanoutMessage(origin: string, message: FanoutMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, origin);
  encoding.writeVarUint(e, KIND[message.kind]);
  if (message.kind === 'updates') {
    encoding.writeVarUint(e, message.updates.length);
    for (const { seq, update } of message.updates) {
      encoding.writeVarUint(e, seq);
      encoding.writeVarUint8Array(e, update);
    }
  } else if (message.kind === 'awareness') {
    encoding.writeVarUint8Array(e, message.update);
  } else {
    encoding.writeVarUint(e, message.seq);
  }
  return encoding.toUint8Array(e);
}

/** Reads `encodeFanoutMessage` output (from our own processes: trusted, but a bad one still throws cleanly). */
export function decodeFanoutMessage(data: Uint8Array): { origin: string; message: FanoutMessage } {
  const exact = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
  const d = decoding.createDecoder(exact);
  const origin = decoding.readVarString(d);
  const kind = decoding.readVarUint(d);
  if (kind === KIND.updates) {
    const count = decoding.readVarUint(d);
    const updates: StoredUpdate[] = [];
    for (let i = 0; i < count; i++) updates.push({ seq: decoding.readVarUint(d), update: decoding.readVarUint8Array(d).slice() });
    return { origin, message: { kind: 'updates', updates } };
  }
  if (kind === KIND.awareness) return { origin, message: { kind: 'awareness', update: decoding.readVarUint8Array(d).slice() } };
  if (kind === KIND.head) return { origin, message: { kind: 'head', seq: decoding.readVarUint(d) } };
  throw new Error(`unknown fan-out message kind ${kind}`);
}

/**
 * An in-process bus joining several "processes" (rooms registries) in tests: each `node(id)` is one
 * process's `Fanout`. Messages are delivered asynchronously, encoded and decoded like on Redis.
 */
export class MemoryFanoutHub {
  private readonly subscribers = new Map<string, Set<{ node: string; deliver: (m: FanoutMessage) => void }>>();
  private readonly resyncListeners = new Map<string, Set<() => void>>();
  /** While true, published messages are lost (as during a bus outage). */
  dropping = false;
  published = 0;

  node(nodeId: string): Fanout {
    return {
      subscribe: (sessionId, onMessage) => {
        const entry = { node: nodeId, deliver: onMessage };
        const set = this.subscribers.get(sessionId) ?? new Set();
        set.add(entry);
        this.subscribers.set(sessionId, set);
        return {
          ready: Promise.resolve(),
          close: () => {
            set.delete(entry);
            if (set.size === 0) this.subscribers.delete(sessionId);
          },
        };
      },
      publish: (sessionId, message) => {
        this.published++;
        if (this.dropping) return;
        const bytes = encodeFanoutMessage(nodeId, message);
        for (const entry of this.subscribers.get(sessionId) ?? []) {
          if (entry.node === nodeId) continue;
          setImmediate(() => {
            if (!this.subscribers.get(sessionId)?.has(entry)) return;
            const { origin, message: decoded } = decodeFanoutMessage(bytes);
            if (origin !== entry.node) entry.deliver(decoded);
          });
        }
      },
      onResync: (listener) => {
        const set = this.resyncListeners.get(nodeId) ?? new Set();
        set.add(listener);
        this.resyncListeners.set(nodeId, set);
        return () => set.delete(listener);
      },
    };
  }

  /** Tells every process that messages may have been lost, as a bus reconnect does. */
  resync(): void {
    for (const set of this.resyncListeners.values()) for (const listener of set) listener();
  }

  subscriberCount(sessionId: string): number {
    return this.subscribers.get(sessionId)?.size ?? 0;
  }
}
