import { CollabRefusalCode } from '@hatch/protocol';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { DocState, InvalidUpdateError } from './doc-state';
import { CollabError, closeCodeFor, closeReason } from './collab.errors';
import type { CollabLogger, CollabSettings, ParticipantIdentity, RoomHooks, RoomView } from './collab-settings';
import type { Fanout, FanoutMessage, FanoutSubscription } from './fanout';
import type { CommitTarget, GroupCommitter } from './group-commit';
import { SeqTracker } from './seq-tracker';
import { TokenBucket } from './token-bucket';
import type { StoredUpdate, UpdateStore } from './update-store';
import {
  type ClientMessage,
  checkAwarenessUpdate,
  checkStateVector,
  decodeClientMessage,
  encodeAwarenessMessage,
  encodeRefused,
  encodeSaved,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  inspectUpdate,
} from './y-websocket-codec';

/**
 * One end of a client's connection, as the transport gives it to a room: no socket library in sight.
 */
export interface RoomConnection extends ParticipantIdentity {
  /** Opted in to Hatch's own messages (`saved`, `refused`), e.g. with `?acks=1`. */
  readonly acks: boolean;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** What the transport calls for one connected client. */
export interface CollabClient {
  /** One binary message from the client. */
  receive(data: Uint8Array): void;
  /** Closes the connection for a reason found by the transport (e.g. a text frame). */
  fail(error: CollabError): void;
  /** The transport closed; idempotent. */
  disconnected(): void;
}

/** What a room needs from the registry that owns it. */
export interface RoomContext {
  store: UpdateStore;
  committer: GroupCommitter;
  fanout: Fanout | undefined;
  settings: CollabSettings;
  hooks: RoomHooks;
  logger: CollabLogger;
  canWrite(participant: ParticipantIdentity, sessionId: string): boolean;
  /** The room is gone: forget it. `pending` settles when its last writes (a final snapshot) are done. */
  released(room: Room, pending: Promise<unknown>): void;
}

export type RoomState = 'loading' | 'ready' | 'closed';

const REMOTE_ORIGIN = Symbol('remote');
const SERVER_ORIGIN = Symbol('server');
const LEFT_ORIGIN = Symbol('client left');
/** Whose a change is: a client of this room, another process (already logged), or the server itself. */
type Origin = ClientState | typeof REMOTE_ORIGIN | typeof SERVER_ORIGIN;
/** The watermark of an ack whose message is held for a missing dependency: no commit count reaches it. */
const HELD = Number.POSITIVE_INFINITY;

class ClientState implements CollabClient {
  closed = false;
  /** Messages that arrived while the room was loading. */
  buffer: Uint8Array[] | null = [];
  /** Content messages (sync step 2, update) applied from this client. */
  received = 0;
  /** Acks owed: after `count` messages, durable once the room's commit count reaches `watermark`. */
  pendingAcks: Array<{ count: number; watermark: number }> = [];
  /** Awareness client ids this connection speaks for (removed when it leaves). */
  readonly controlled = new Set<number>();
  readonly bucket: TokenBucket;

  constructor(
    readonly room: Room,
    readonly connection: RoomConnection,
  ) {
    const { ratePerSecond, rateBurst } = room.settings.limits;
    this.bucket = new TokenBucket(ratePerSecond, rateBurst);
  }

  receive(data: Uint8Array): void {
    if (this.closed) return;
    const { maxMessageBytes, maxBufferedMessages } = this.room.settings.limits;
    if (data.byteLength > maxMessageBytes) {
      this.fail(new CollabError('MESSAGE_TOO_LARGE', `message of ${data.byteLength} bytes is over the limit of ${maxMessageBytes}`));
      return;
    }
    if (!this.bucket.take()) {
      this.fail(new CollabError('RATE_LIMITED', 'too many messages: slow down'));
      return;
    }
    if (this.buffer) {
      if (this.buffer.length >= maxBufferedMessages) {
        this.fail(new CollabError('RATE_LIMITED', 'too many messages while the document loads'));
        return;
      }
      this.buffer.push(data);
      return;
    }
    this.room.process(this, data);
  }

  fail(error: CollabError): void {
    if (this.closed) return;
    this.closed = true;
    this.room.logger.debug?.(`Closing a ${this.connection.role} connection to session ${this.room.sessionId}: ${error.code} ${error.message}`);
    try {
      this.connection.close(closeCodeFor(error.code), closeReason(error.message));
    } catch {
      // already closed by the transport
    }
    this.room.detach(this);
  }

  disconnected(): void {
    if (this.closed) return;
    this.closed = true;
    this.room.detach(this);
  }

  send(message: Uint8Array): void {
    if (this.closed) return;
    try {
      this.connection.send(message);
    } catch {
      // the transport reports the close itself
    }
  }
}

/**
 * One live session's document. Loads from the log, serves the y-websocket protocol to its clients,
 * writes what changes (what `DocState` finds new, so duplicates and replays add nothing), relays at
 * once, acknowledges only after the commit, snapshots, and unloads when the last client has left and
 * everything is written. Steps: load → authorize (`canWrite`) → append → relay → on-change → unload.
 * The document is kept encoded (`DocState`), not as a live `Y.Doc`: a loaded room costs about the
 * size of its state.
 */
export class Room implements RoomView, CommitTarget {
  private docState = DocState.empty<Origin>();
  /** Presence only: y-protocols' awareness wants a doc, never used for content. */
  readonly awareness = new Awareness(new Y.Doc());
  private stateValue: RoomState = 'loading';
  private readonly clients = new Set<ClientState>();
  private readonly seqs = new SeqTracker();
  /** Rows this room handed to the committer, and how many of them are committed. */
  private enqueued = 0;
  private committedCount = 0;
  private subscription: FanoutSubscription | undefined;
  private remoteBuffer: FanoutMessage[] | null = [];
  private catchUpTimer: ReturnType<typeof setTimeout> | undefined;
  private catchingUp = false;
  private catchUpFailures = 0;
  private ownSinceSnapshot = 0;
  private lastSnapshotSeq = 0;
  private snapshotDue = false;
  private snapshotTimer: ReturnType<typeof setTimeout> | undefined;
  private snapshotWrite: Promise<void> | undefined;
  readonly loaded: Promise<void>;

  constructor(
    readonly sessionId: string,
    private readonly context: RoomContext,
  ) {
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.loaded = this.load();
  }

  get state(): RoomState {
    return this.stateValue;
  }

  get settings(): CollabSettings {
    return this.context.settings;
  }

  get logger(): CollabLogger {
    return this.context.logger;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Rows made here and not yet durable. */
  get unsaved(): number {
    return this.enqueued - this.committedCount;
  }

  /** The document as one update. */
  encodeState(): Uint8Array {
    return this.docState.encode();
  }

  edit(change: (doc: Y.Doc) => void): void {
    // Decodes the whole document: meant for rare server-side changes, not a hot path.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, this.encodeState());
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    try {
      change(doc);
    } finally {
      doc.destroy();
    }
    for (const update of updates) this.take(update, SERVER_ORIGIN);
  }

  /** Bytes the document holds in memory (its encoded state and recent updates). */
  get stateBytes(): number {
    return this.docState.byteLength;
  }

  /** The highest seq of the session's log this room knows is committed. */
  get durableSeq(): number {
    return this.seqs.highest;
  }

  attach(connection: RoomConnection): CollabClient {
    const client = new ClientState(this, connection);
    this.clients.add(client);
    if (this.stateValue === 'ready') this.greet(client);
    return client;
  }

  // ---- load ------------------------------------------------------------------------------------

  private async load(): Promise<void> {
    const { fanout } = this.context;
    if (fanout) {
      // Subscribe before reading, so nothing committed meanwhile is missed; once the subscription is
      // live, read the log again from where the load ended (a no-op unless something slipped between).
      this.subscription = fanout.subscribe(this.sessionId, (message) => this.onFanout(message));
      this.subscription.ready.then(
        () => this.loaded.then(() => this.scheduleCatchUp(0), () => undefined),
        (error: unknown) => this.logger.warn(`Fan-out subscription for session ${this.sessionId} failed: ${String(error)}`),
      );
    }
    try {
      const stored = await this.context.store.load(this.sessionId);
      if (this.stateValue !== 'loading') return;
      if (stored.snapshot) {
        this.seqs.reset(stored.snapshot.seq);
        this.lastSnapshotSeq = stored.snapshot.seq;
      }
      for (const { seq } of stored.updates) this.seqs.add(seq);
      this.docState = DocState.load<Origin>([...(stored.snapshot ? [stored.snapshot.state] : []), ...stored.updates.map((u) => u.update)]);
      await this.context.hooks.onLoad?.(this);
    } catch (error) {
      this.failLoad(error);
      return;
    }
    if (this.stateValue !== 'loading') return;
    this.stateValue = 'ready';
    const remote = this.remoteBuffer ?? [];
    this.remoteBuffer = null;
    for (const message of remote) this.applyRemote(message);
    for (const client of [...this.clients]) this.greet(client);
    this.maybeRelease();
  }

  private failLoad(error: unknown): void {
    if (this.stateValue !== 'loading') return;
    this.logger.error(`Loading session ${this.sessionId} failed: its clients are refused`, error);
    this.stateValue = 'closed';
    const refusal = new CollabError('ROOM_LOAD_FAILED', 'the document could not be loaded; try again later', { cause: error });
    for (const client of [...this.clients]) client.fail(refusal);
    this.destroy();
    this.context.released(this, Promise.resolve());
  }

  private greet(client: ClientState): void {
    if (client.closed) return;
    client.send(encodeSyncStep1(this.docState.stateVector()));
    const states = this.awareness.getStates();
    if (states.size > 0) client.send(encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, [...states.keys()])));
    const buffered = client.buffer ?? [];
    client.buffer = null;
    for (const data of buffered) {
      if (client.closed) break;
      this.process(client, data);
    }
  }

  // ---- messages from clients -------------------------------------------------------------------

  process(client: ClientState, data: Uint8Array): void {
    try {
      this.handle(client, decodeClientMessage(data));
    } catch (error) {
      if (error instanceof CollabError) {
        client.fail(error);
      } else {
        this.logger.error(`Unexpected failure handling a message for session ${this.sessionId}`, error);
        client.fail(new CollabError('UPDATE_INVALID', 'the message could not be processed', { cause: error }));
      }
    }
  }

  private handle(client: ClientState, message: ClientMessage): void {
    switch (message.type) {
      case 'sync-step1':
        checkStateVector(message.stateVector);
        client.send(encodeSyncStep2(this.docState.diff(message.stateVector)));
        return;
      case 'sync-step2':
      case 'sync-update':
        this.receiveUpdate(client, message.update);
        return;
      case 'awareness':
        checkAwarenessUpdate(message.update);
        applyAwarenessUpdate(this.awareness, message.update, client);
        return;
      case 'query-awareness': {
        const states = this.awareness.getStates();
        if (states.size > 0) client.send(encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, [...states.keys()])));
        return;
      }
    }
  }

  /** authorize → apply. Only what the document did not already hold is relayed and appended. */
  private receiveUpdate(client: ClientState, update: Uint8Array): void {
    if (!this.context.canWrite(client.connection, this.sessionId)) {
      if (!inspectUpdate(update).empty && client.connection.acks) {
        client.send(
          encodeRefused({
            code: CollabRefusalCode.readOnly,
            message: `a ${client.connection.role} may not change the document: the update was not applied`,
          }),
        );
      }
      return;
    }
    let held: boolean;
    try {
      held = this.take(update, client);
    } catch (error) {
      // Nothing of it was taken: the document, the log and the other clients still agree.
      if (!(error instanceof InvalidUpdateError)) throw error;
      throw new CollabError('UPDATE_INVALID', `the update could not be applied: ${error.message}`, { cause: error });
    }
    client.received++;
    if (client.connection.acks) {
      // A held update is not written yet: no ack covers it (nor the messages after it) until it is.
      client.pendingAcks.push({ count: client.received, watermark: held ? HELD : this.enqueued });
      this.sendAcks(client);
    }
  }

  /**
   * Takes an update into the document. What it adds is relayed, appended and told to the hooks, and so is
   * every held update it unblocks, as its own sender's (a client's held update may be unblocked by another
   * process's). Returns whether the update is held.
   */
  private take(update: Uint8Array, origin: Origin): boolean {
    const heldBefore = this.docState.heldCount;
    const { added, origins, held, dropped } = this.docState.apply(update, origin);
    added.forEach((change, i) => this.changed(change, origins[i]));
    if (dropped instanceof ClientState) {
      dropped.fail(new CollabError('UPDATE_INVALID', 'too many of your updates wait for missing dependencies: reconnect to resync'));
    }
    // unblocked (or found to add nothing by now): their senders' acks may be due
    if (this.docState.heldCount < heldBefore) this.releaseHeldAcks();
    return held;
  }

  /** Acks that waited for held updates: due once nothing their client sent is held (its rows are enqueued by then). */
  private releaseHeldAcks(): void {
    for (const client of this.clients) {
      if (!client.pendingAcks.some((ack) => ack.watermark === HELD) || this.docState.holds(client)) continue;
      for (const ack of client.pendingAcks) if (ack.watermark === HELD) ack.watermark = this.enqueued;
      this.sendAcks(client);
    }
  }

  /** A change the document took: relay, append (unless another process logged it), tell the hooks. */
  private changed(update: Uint8Array, origin: Origin): void {
    // relay: to this process's other clients at once, before the commit
    const message = encodeSyncUpdate(update);
    for (const client of this.clients) {
      if (client !== origin && !client.buffer) client.send(message);
    }
    const remote = origin === REMOTE_ORIGIN;
    if (!remote) {
      // append: another process's updates are in the log already
      this.enqueued++;
      const participantId = origin instanceof ClientState ? origin.connection.participantId : null;
      this.context.committer.enqueue(this, { sessionId: this.sessionId, participantId, update });
    }
    try {
      this.context.hooks.onChange?.(this, update, remote ? 'remote' : 'local');
    } catch (error) {
      this.logger.error(`onChange hook failed for session ${this.sessionId}`, error);
    }
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (this.stateValue === 'closed') return;
    if (origin instanceof ClientState) {
      for (const id of [...added, ...updated]) {
        for (const other of this.clients) if (other !== origin) other.controlled.delete(id);
        origin.controlled.add(id);
      }
      for (const id of removed) origin.controlled.delete(id);
    }
    const update = encodeAwarenessUpdate(this.awareness, [...added, ...updated, ...removed]);
    // to every client, the sender too: y-websocket's provider counts its own echo as a sign of life
    const message = encodeAwarenessMessage(update);
    for (const client of this.clients) if (!client.buffer) client.send(message);
    if (origin instanceof ClientState || origin === LEFT_ORIGIN) this.context.fanout?.publish(this.sessionId, { kind: 'awareness', update });
  };

  // ---- commits and acks ------------------------------------------------------------------------

  committed(rows: StoredUpdate[]): void {
    if (this.stateValue === 'closed') return; // force-released at shutdown, or refused
    this.committedCount += rows.length;
    this.ownSinceSnapshot += rows.length;
    for (const { seq } of rows) this.seqs.add(seq);
    this.context.fanout?.publish(this.sessionId, { kind: 'updates', updates: rows });
    for (const client of this.clients) if (client.pendingAcks.length > 0) this.sendAcks(client);
    try {
      this.context.hooks.onSaved?.(this, this.seqs.highest);
    } catch (error) {
      this.logger.error(`onSaved hook failed for session ${this.sessionId}`, error);
    }
    if (this.stateValue === 'ready') {
      this.checkGap();
      if (this.snapshotDue || this.ownSinceSnapshot >= this.settings.snapshots.everyUpdates) this.snapshot();
      else this.armSnapshotTimer();
    }
    this.maybeRelease();
  }

  rejected(error: unknown): void {
    // The log refuses this session for good: serving it on would acknowledge nothing and lose everything.
    const refusal = new CollabError('STORE_REJECTED', 'the update log refused this document’s updates', { cause: error });
    const clients = [...this.clients];
    this.enqueued = this.committedCount;
    this.release(false);
    for (const client of clients) client.fail(refusal);
  }

  private sendAcks(client: ClientState): void {
    let count = -1;
    let acked = 0;
    while (acked < client.pendingAcks.length && client.pendingAcks[acked].watermark <= this.committedCount) {
      count = client.pendingAcks[acked].count;
      acked++;
    }
    client.pendingAcks.splice(0, acked);
    if (count >= 0) client.send(encodeSaved(this.seqs.highest, count));
  }

  // ---- other processes -------------------------------------------------------------------------

  private onFanout(message: FanoutMessage): void {
    if (this.stateValue === 'closed') return;
    if (this.remoteBuffer) this.remoteBuffer.push(message);
    else this.applyRemote(message);
  }

  private applyRemote(message: FanoutMessage): void {
    if (message.kind === 'updates') {
      this.applyLogged(message.updates);
      this.checkGap();
    } else if (message.kind === 'awareness') {
      try {
        applyAwarenessUpdate(this.awareness, message.update, REMOTE_ORIGIN);
      } catch (error) {
        this.logger.warn(`Ignoring a bad awareness update from another process for session ${this.sessionId}: ${String(error)}`);
      }
    } else if (message.seq > this.seqs.contiguous) {
      this.scheduleCatchUp(this.settings.catchUpDelayMs);
    }
  }

  /** Applies committed updates of other processes (relayed, never appended again). */
  private applyLogged(updates: StoredUpdate[]): void {
    for (const { seq, update } of updates) {
      if (this.seqs.has(seq)) continue;
      try {
        this.take(update, REMOTE_ORIGIN);
      } catch (error) {
        this.logger.error(`Update ${seq} of session ${this.sessionId} could not be applied`, error);
      }
      this.seqs.add(seq);
    }
  }

  private checkGap(): void {
    if (this.seqs.hasGap) this.scheduleCatchUp(this.settings.catchUpDelayMs);
  }

  /** Reads what this room misses from the log: after a lost fan-out message or a bus reconnect. */
  scheduleCatchUp(delayMs: number): void {
    if (this.stateValue === 'closed' || this.catchUpTimer) return;
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = undefined;
      void this.catchUp();
    }, delayMs);
  }

  private async catchUp(): Promise<void> {
    if (this.stateValue !== 'ready' || this.catchingUp) return;
    this.catchingUp = true;
    try {
      const updates = await this.context.store.updatesAfter(this.sessionId, this.seqs.contiguous);
      if (this.stateValue !== 'ready') return;
      this.applyLogged(updates);
      this.catchUpFailures = 0;
    } catch (error) {
      this.catchUpFailures++;
      this.logger.warn(`Catching up session ${this.sessionId} from the log failed: ${String(error)}`);
      this.catchingUp = false;
      this.scheduleCatchUp(Math.min(this.settings.commit.retryMaxMs, this.settings.catchUpDelayMs * 2 ** this.catchUpFailures));
      return;
    }
    this.catchingUp = false;
  }

  /** Tells other processes how far this room's log goes (after a bus reconnect they may have missed it). */
  announceHead(): void {
    if (this.stateValue === 'ready' && this.seqs.highest > 0) {
      this.context.fanout?.publish(this.sessionId, { kind: 'head', seq: this.seqs.highest });
    }
  }

  // ---- snapshots -------------------------------------------------------------------------------

  private armSnapshotTimer(): void {
    if (this.snapshotTimer || this.ownSinceSnapshot === 0) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      this.snapshot();
    }, this.settings.snapshots.intervalMs);
  }

  /**
   * Writes the document state as of the highest seq below which the room holds every update. Taken
   * when nothing of this room is waiting to be written, so the snapshot holds only logged content
   * (unless the room never gets quiet: then after four times the interval's updates regardless).
   */
  private snapshot(): void {
    if (this.stateValue !== 'ready' || this.ownSinceSnapshot === 0) return;
    if (this.snapshotWrite || (this.unsaved > 0 && this.ownSinceSnapshot < 4 * this.settings.snapshots.everyUpdates)) {
      this.snapshotDue = true;
      return;
    }
    this.snapshotDue = false;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = undefined;
    const seq = this.seqs.contiguous;
    if (seq <= this.lastSnapshotSeq) return;
    const counted = this.ownSinceSnapshot;
    this.ownSinceSnapshot = 0;
    const write = this.writeSnapshot(seq, this.docState.encode()).then(
      () => {
        this.lastSnapshotSeq = Math.max(this.lastSnapshotSeq, seq);
      },
      () => {
        this.ownSinceSnapshot += counted;
        this.armSnapshotTimer();
      },
    );
    this.snapshotWrite = write.finally(() => {
      this.snapshotWrite = undefined;
    });
  }

  private async writeSnapshot(seq: number, state: Uint8Array): Promise<void> {
    try {
      await this.context.store.writeSnapshot(this.sessionId, { seq, state });
    } catch (error) {
      this.logger.warn(`Writing a snapshot of session ${this.sessionId} at ${seq} failed: ${String(error)}`);
      throw error;
    }
  }

  // ---- leaving and unloading -------------------------------------------------------------------

  detach(client: ClientState): void {
    if (!this.clients.delete(client)) return;
    if (this.stateValue === 'ready' && client.controlled.size > 0) {
      removeAwarenessStates(this.awareness, [...client.controlled], LEFT_ORIGIN);
    }
    this.maybeRelease();
  }

  /** Unloads once no client is left and every row is written; until then a failing store keeps the room. */
  private maybeRelease(): void {
    if (this.stateValue !== 'ready' || this.clients.size > 0 || this.unsaved > 0) return;
    this.release(true);
  }

  private release(finalSnapshot: boolean): void {
    if (this.stateValue === 'closed') return;
    const wasReady = this.stateValue === 'ready';
    this.stateValue = 'closed';
    const writes: Array<Promise<unknown>> = [];
    if (this.snapshotWrite) writes.push(this.snapshotWrite);
    const seq = this.seqs.contiguous;
    if (finalSnapshot && wasReady && this.ownSinceSnapshot > 0 && seq > this.lastSnapshotSeq) {
      writes.push(this.writeSnapshot(seq, this.docState.encode()).catch(() => undefined));
    }
    this.destroy();
    this.context.released(this, Promise.allSettled(writes));
  }

  /** Closes every client (shutdown). The room unloads once its rows are written. */
  closeClients(error: CollabError): void {
    for (const client of [...this.clients]) client.fail(error);
  }

  /** Unloads even with unsaved rows (shutdown after the drain timed out). */
  forceRelease(): void {
    for (const client of [...this.clients]) client.disconnected();
    this.release(false);
  }

  private destroy(): void {
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.catchUpTimer = undefined;
    this.snapshotTimer = undefined;
    this.subscription?.close();
    this.remoteBuffer = null;
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.awareness.doc.destroy();
    this.docState = DocState.empty();
    this.context.hooks.onUnload?.(this.sessionId);
  }
}
