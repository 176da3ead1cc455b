import { CollabCloseCode, CollabMessageType, CollabSyncMessageType, type CollabRefusal } from '@hatch/protocol';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { SaveTracker } from './save-tracker';

export type ConnectionPhase = 'connecting' | 'connected' | 'offline' | 'closed';

/** What the room header shows; a new object on every change (for useSyncExternalStore). */
export interface ConnectionState {
  phase: ConnectionPhase;
  /** The document has been synced with the server at least once on the current connection. */
  synced: boolean;
  /** Local edits not yet acknowledged as durable. */
  unsaved: number;
  hasEdited: boolean;
  /** Set when the server closed the connection for good (a 44xx code), or refused a write. */
  problem: string | null;
}

/** Why the server closed the connection for good, in words (codes: docs/collab.md). */
export function describeClose(code: number): string {
  switch (code) {
    case CollabCloseCode.unauthorized:
      return 'This join link is invalid or has expired. Ask the host for a new one.';
    case CollabCloseCode.forbidden:
      return 'This join link belongs to another session.';
    case CollabCloseCode.sessionNotFound:
      return 'This session does not exist.';
    case CollabCloseCode.tooLarge:
      return 'A change was too large for the server.';
    case CollabCloseCode.rateLimited:
      return 'Too many changes at once: the server closed the connection.';
    default:
      return `The server closed the connection (code ${code}).`;
  }
}

/** `ws://host/collab` from the page's own origin. */
export function collabUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/collab`;
}

/**
 * One session's shared document, kept in sync with the server by y-websocket's provider, plus the
 * connection status the header shows: connecting, connected, saving (unacknowledged edits), all saved,
 * offline with N unsaved. Read-only roles get no save tracking: the server refuses their writes.
 */
export class CollabConnection {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  private readonly tracker = new SaveTracker();
  private readonly listeners = new Set<() => void>();
  private state: ConnectionState = { phase: 'connecting', synced: false, unsaved: 0, hasEdited: false, problem: null };

  constructor(sessionId: string, token: string, readonly canWrite: boolean, url = collabUrl()) {
    const tracker = this.tracker;
    // Counts the content messages (sync step 2, update) the provider sends on each socket.
    class CountingSocket extends WebSocket {
      override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
        super.send(data);
        if (data instanceof Uint8Array && data[0] === CollabMessageType.sync) {
          if (data[1] === CollabSyncMessageType.step2) tracker.contentSent('step2');
          else if (data[1] === CollabSyncMessageType.update) tracker.contentSent('update');
        }
      }
    }
    this.provider = new WebsocketProvider(url, sessionId, this.doc, {
      params: { token, acks: '1' },
      WebSocketPolyfill: CountingSocket,
      // another tab of this browser may hold another role: never share updates around the server
      disableBc: true,
    });
    this.provider.messageHandlers[CollabMessageType.saved] = (_encoder, decoder) => {
      decoding.readVarUint(decoder); // seq
      this.tracker.saved(decoding.readVarUint(decoder));
      this.update({});
    };
    this.provider.messageHandlers[CollabMessageType.refused] = (_encoder, decoder) => {
      let refusal: CollabRefusal | undefined;
      try {
        refusal = JSON.parse(decoding.readVarString(decoder)) as CollabRefusal;
      } catch {
        // malformed refusal text: report it generically
      }
      this.update({ problem: `The server refused a change: ${refusal?.message ?? 'not allowed'}` });
    };
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') {
        this.tracker.opened();
        this.update({ phase: 'connected', problem: null });
      } else if (status === 'disconnected') {
        this.tracker.closed();
        this.update({ phase: this.state.phase === 'closed' ? 'closed' : 'offline', synced: false });
      }
    });
    this.provider.on('sync', (synced) => this.update({ synced }));
    this.provider.on('closed', ({ code }) => this.update({ phase: 'closed', problem: describeClose(code) }));
    // registered after the provider's own handler: the update has been sent when this runs
    this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === this.provider || !this.canWrite) return;
      this.tracker.localEdit(this.provider.wsconnected);
      this.update({});
    });
  }

  get awareness() {
    return this.provider.awareness;
  }

  getState = (): ConnectionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
    this.listeners.clear();
  }

  private update(patch: Partial<ConnectionState>): void {
    const next = { ...this.state, ...patch, unsaved: this.tracker.unsaved, hasEdited: this.tracker.hasEdited };
    if (Object.entries(next).every(([key, value]) => this.state[key as keyof ConnectionState] === value)) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
