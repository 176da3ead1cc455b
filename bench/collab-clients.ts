/**
 * The clients of bench/collab-load.bench.ts: real `y-websocket` providers for Hatch, `@hocuspocus/provider`
 * for Hocuspocus. Used by the benchmark process (SIGKILL, malformed frames) and by the load threads.
 */
import { randomBytes } from 'node:crypto';
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export type TargetName = 'Hatch' | 'Hocuspocus';

/** A room's address and the credentials of its clients (client `k` uses `tokens[k % 2]`); plain data, so it can cross to a thread. */
export interface BenchRoom {
  name: string;
  tokens: [string, string];
}

export interface BenchClient {
  readonly id: number;
  readonly doc: Y.Doc;
  readonly synced: Promise<void>;
  /** Content messages sent on the connection (Hatch), to match durable acks. */
  sentIndex(): number;
  onSaved: ((count: number) => void) | undefined;
  destroy(): void;
}

export interface Target {
  readonly name: TargetName;
  readonly acks: boolean;
  room(i: number): Promise<BenchRoom>;
  client(id: number, room: BenchRoom, k: number): BenchClient;
}

const isContent = (d: unknown) => d instanceof Uint8Array && d[0] === 0 && (d[1] === 1 || d[1] === 2);

class CountingSocket extends WebSocket {
  sent = 0;
  override send(data: unknown, ...rest: unknown[]): void {
    if (isContent(data)) this.sent++;
    (super.send as (...a: unknown[]) => void)(data, ...rest);
  }
}

export function hatchTarget(port: number): Target {
  const base = `http://127.0.0.1:${port}`;
  return {
    name: 'Hatch',
    acks: true,
    async room() {
      const res = await fetch(`${base}/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scenarioId: 'saas-billing-metering-audit', mode: 'pair' }),
      });
      const body = (await res.json()) as { sessionId: string; tokens: Record<string, string> };
      return { name: body.sessionId, tokens: [body.tokens.candidate, body.tokens.interviewer] };
    },
    client(id, room, k) {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/collab`, room.name, doc, {
        params: { token: room.tokens[k % 2], acks: '1' },
        WebSocketPolyfill: CountingSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      });
      const client: BenchClient = {
        id,
        doc,
        synced: new Promise<void>((resolve) => provider.on('sync', (s: boolean) => s && resolve())),
        sentIndex: () => (provider.ws as unknown as CountingSocket | null)?.sent ?? 0,
        onSaved: undefined,
        destroy: () => provider.destroy(),
      };
      provider.messageHandlers[100] = (_e, decoder) => {
        decoding.readVarUint(decoder);
        client.onSaved?.(decoding.readVarUint(decoder));
      };
      return client;
    },
  };
}

export function hocuspocusTarget(port: number): Target {
  return {
    name: 'Hocuspocus',
    acks: false,
    async room(i) {
      return { name: `bench-room-${i}-${randomBytes(3).toString('hex')}`, tokens: ['', ''] };
    },
    client(id, room) {
      const doc = new Y.Doc();
      // with `url`, the provider builds (and owns) its socket from this same configuration
      const configuration = { url: `ws://127.0.0.1:${port}`, name: room.name, document: doc, WebSocketPolyfill: WebSocket };
      const provider = new HocuspocusProvider(configuration as ConstructorParameters<typeof HocuspocusProvider>[0]);
      return {
        id,
        doc,
        synced: new Promise<void>((resolve) => provider.on('synced', () => resolve())),
        sentIndex: () => 0,
        onSaved: undefined,
        destroy: () => provider.destroy(),
      };
    },
  };
}

export const targets: Record<TargetName, (port: number) => Target> = { Hatch: hatchTarget, Hocuspocus: hocuspocusTarget };
