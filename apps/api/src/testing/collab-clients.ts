import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { request } from './test-app';

export type Role = 'candidate' | 'interviewer' | 'observer' | 'reviewer';

export interface TestSession {
  sessionId: string;
  tokens: Record<Role, string>;
}

export async function createSession(baseUrl: string, mode = 'pair'): Promise<TestSession> {
  const res = await request(`${baseUrl}/api/sessions`, { method: 'POST', json: { scenarioId: 'tiny-saas', mode } });
  if (res.status !== 201) throw new Error(`creating a session failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { sessionId: res.body.sessionId, tokens: res.body.tokens };
}

export const collabUrl = (baseUrl: string) => `${baseUrl.replace(/^http/, 'ws')}/collab`;

/** Is this frame a y-websocket content message (sync step 2 or update)? */
const isContent = (data: unknown): boolean => {
  const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : undefined;
  return bytes !== undefined && bytes[0] === 0 && (bytes[1] === 1 || bytes[1] === 2);
};

/** `ws`'s WebSocket, counting the content messages it sends (to match them with `saved` acks). */
class CountingWebSocket extends WebSocket {
  sentContent = 0;

  override send(data: unknown, ...rest: unknown[]): void {
    if (isContent(data)) this.sentContent++;
    (super.send as (...args: unknown[]) => void)(data, ...rest);
  }
}

export interface CollabTestClientOptions {
  acks?: boolean;
  connect?: boolean;
  doc?: Y.Doc;
}

/**
 * A real `y-websocket` `WebsocketProvider` over `ws`, with Hatch's `saved` and `refused` messages
 * read (`?acks=1`) and every close code recorded.
 */
export class CollabTestClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  saved: { seq: number; count: number; socket: unknown } | undefined;
  readonly refusals: string[] = [];
  readonly closes: Array<{ code: number; reason: string }> = [];

  constructor(baseUrl: string, sessionId: string, token: string, options: CollabTestClientOptions = {}) {
    this.doc = options.doc ?? new Y.Doc();
    const params: Record<string, string> = { token };
    if (options.acks !== false) params.acks = '1';
    this.provider = new WebsocketProvider(collabUrl(baseUrl), sessionId, this.doc, {
      params,
      WebSocketPolyfill: CountingWebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      connect: options.connect !== false,
      maxBackoffTime: 200,
    });
    this.provider.messageHandlers[100] = (_encoder, decoder, provider) => {
      this.saved = { seq: decoding.readVarUint(decoder), count: decoding.readVarUint(decoder), socket: provider.ws };
    };
    this.provider.messageHandlers[101] = (_encoder, decoder) => {
      this.refusals.push((JSON.parse(decoding.readVarString(decoder)) as { code: string }).code);
    };
    this.provider.on('connection-close', (event) => {
      if (event) this.closes.push({ code: event.code, reason: event.reason });
    });
  }

  get items(): Y.Array<string> {
    return this.doc.getArray<string>('items');
  }

  /** Every content message sent on the current connection is durable (acknowledged after commit). */
  get durable(): boolean {
    const socket = this.provider.ws as CountingWebSocket | null;
    return !!socket && this.provider.synced && this.saved?.socket === socket && this.saved.count >= socket.sentContent;
  }

  synced(timeoutMs = 5000): Promise<void> {
    return waitFor(() => this.provider.synced, timeoutMs, 'the provider to sync');
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A bare WebSocket to the endpoint, for bad input and refusals: messages received and the close. */
export interface RawCollabSocket {
  ws: WebSocket;
  messages: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

export function openRaw(url: string): RawCollabSocket {
  const ws = new WebSocket(url);
  const messages: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  ws.on('error', () => undefined);
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', () => reject(new Error('closed before opening')));
  });
  opened.catch(() => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
  );
  return { ws, messages, opened, closed };
}

/** Two docs hold the same content (same state vector and delete set). */
export const sameContent = (a: Y.Doc, b: Y.Doc): boolean => Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));

/** A room's document, decoded (rooms keep it encoded). */
export function roomDoc(room: { encodeState(): Uint8Array }): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, room.encodeState());
  return doc;
}

/** The document the stored log (newest snapshot + updates after it) rebuilds. */
export function docFromStored(stored: { snapshot: { state: Uint8Array } | null; updates: Array<{ update: Uint8Array }> }): Y.Doc {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state);
  for (const { update } of stored.updates) Y.applyUpdate(doc, update);
  return doc;
}
