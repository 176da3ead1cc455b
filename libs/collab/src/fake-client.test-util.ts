import type { Role } from '@hatch/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { CollabClient, RoomConnection } from './room';
import type { RoomRegistry } from './room-registry';
import { decodeHatchMessage, encodeSyncUpdate } from './y-websocket-codec';

/**
 * An asynchronous in-memory "network": every message is delivered in order, on a later turn of the
 * event loop, like over a socket. `settle()` waits until nothing is in flight.
 */
export class FakeNetwork {
  private readonly queue: Array<() => void> = [];
  private scheduled = false;

  deliver(fn: () => void): void {
    this.queue.push(fn);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0);
    for (const fn of batch) fn();
  }

  get idle(): boolean {
    return this.queue.length === 0 && !this.scheduled;
  }
}

/** Waits for `predicate`, polling on each turn of the event loop. */
export async function until(predicate: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Lets timers and I/O run until the network and the store have nothing left to do. */
export async function settle(network: FakeNetwork, registries: RoomRegistry[] = [], rounds = 3): Promise<void> {
  for (let quiet = 0; quiet < rounds; ) {
    await new Promise((r) => setTimeout(r, 2));
    const busy = !network.idle || registries.some((r) => r.stats().unsaved > 0 || r.stats().loading > 0);
    quiet = busy ? 0 : quiet + 1;
  }
}

let participantCounter = 0;

/**
 * A y-websocket client, as `WebsocketProvider` behaves, over a `FakeNetwork`: sync step 1 and its
 * awareness on connect, step 2 replies, every local update sent. Counts the content messages it
 * sends, so tests can match them against the server's `saved` acknowledgements.
 */
export class FakeClient {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly participantId: string;
  connected = false;
  closedWith: { code: number; reason: string } | undefined;
  /** Content messages (sync step 2, update) sent on the current connection. */
  sentContent = 0;
  saved: { seq: number; count: number } | undefined;
  refusals: string[] = [];
  private handle: CollabClient | undefined;
  private connection: RoomConnection | undefined;

  constructor(
    private readonly network: FakeNetwork,
    readonly sessionId: string,
    readonly role: Role = 'candidate',
    readonly acks = true,
  ) {
    this.participantId = `participant-${++participantCounter}`;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this || !this.connected) return;
      this.sentContent++;
      this.sendRaw(encodeSyncUpdate(update));
    });
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === this || !this.connected) return;
      this.sendRaw(awarenessMessage(this.awareness, [...added, ...updated, ...removed]));
    });
  }

  connect(registry: RoomRegistry): this {
    if (this.connected) return this;
    this.connected = true;
    this.closedWith = undefined;
    this.sentContent = 0;
    this.saved = undefined;
    const connection: RoomConnection = {
      participantId: this.participantId,
      role: this.role,
      acks: this.acks,
      send: (message) => {
        const copy = message.slice();
        this.network.deliver(() => {
          if (this.connection === connection) this.onMessage(copy);
        });
      },
      close: (code, reason) => {
        this.network.deliver(() => {
          if (this.connection !== connection) return;
          this.closedWith = { code, reason };
          this.dropConnection();
        });
      },
    };
    this.connection = connection;
    const handle = registry.connect(this.sessionId, connection);
    this.handle = handle;
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, 0);
    syncProtocol.writeSyncStep1(step1, this.doc);
    this.sendRaw(encoding.toUint8Array(step1));
    if (this.awareness.getLocalState() !== null) this.sendRaw(awarenessMessage(this.awareness, [this.doc.clientID]));
    return this;
  }

  /** Closes the connection from the client side. */
  disconnect(): void {
    if (!this.connected) return;
    const handle = this.handle;
    this.dropConnection();
    this.network.deliver(() => handle?.disconnected());
  }

  /** Sends raw bytes as they are (bad input, duplicates). */
  sendRaw(data: Uint8Array): void {
    const handle = this.handle;
    if (!handle || !this.connected) return;
    const copy = data.slice();
    this.network.deliver(() => handle.receive(copy));
  }

  /** Sends a content message and counts it (as the doc's update handler does). */
  sendUpdate(update: Uint8Array): void {
    this.sentContent++;
    this.sendRaw(encodeSyncUpdate(update));
  }

  get durable(): boolean {
    return this.saved !== undefined && this.saved.count >= this.sentContent;
  }

  destroy(): void {
    this.disconnect();
    this.awareness.destroy();
    this.doc.destroy();
  }

  private dropConnection(): void {
    this.connected = false;
    this.connection = undefined;
    this.handle = undefined;
  }

  private onMessage(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === 0) {
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, 0);
      const syncType = syncProtocol.readSyncMessage(decoder, reply, this.doc, this);
      if (syncType === syncProtocol.messageYjsSyncStep1) {
        this.sentContent++;
        this.sendRaw(encoding.toUint8Array(reply));
      }
    } else if (type === 1) {
      applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
    } else {
      const hatch = decodeHatchMessage(data);
      if (hatch?.type === 'saved') this.saved = { seq: hatch.seq, count: hatch.count };
      else if (hatch?.type === 'refused') this.refusals.push(hatch.refusal.code);
    }
  }
}

function awarenessMessage(awareness: Awareness, clients: number[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(e);
}

/** The document a session's log and snapshots rebuild, as a fresh load would. */
export function docFromLog(stored: { snapshot: { state: Uint8Array } | null; updates: Array<{ update: Uint8Array }> }): Y.Doc {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state);
  for (const { update } of stored.updates) Y.applyUpdate(doc, update);
  return doc;
}

/** A room's document, decoded into a `Y.Doc` (rooms keep it encoded). */
export function roomDoc(room: { encodeState(): Uint8Array }): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, room.encodeState());
  return doc;
}

/** Two docs hold the same content: same state vector and delete set (so the same everything). */
export function sameContent(a: Y.Doc, b: Y.Doc): boolean {
  return Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));
}
