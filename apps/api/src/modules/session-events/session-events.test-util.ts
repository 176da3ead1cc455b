import type { ClientToServerEvents, ConnectErrorData, ServerToClientEvents } from '@hatch/protocol';
import { io, type Socket } from 'socket.io-client';
import { request } from '../../testing/test-app';
import type { CreatedSession } from '../sessions/session.dto';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type ServerEvent = keyof ServerToClientEvents;
type PayloadOf<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

const WAIT_MS = 5000;

/**
 * A real socket.io client on `/session` that records every server event, so tests can wait for one
 * (`next`) or assert one never came (`received`).
 */
export class SessionTestClient {
  readonly received: { event: ServerEvent; payload: unknown }[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: ClientSocket) {
    socket.onAny((event: ServerEvent, payload: unknown) => {
      this.received.push({ event, payload });
      for (const check of [...this.waiters]) check();
    });
  }

  /** Connects and resolves once the server accepted the handshake. */
  static async connect(baseUrl: string, auth: Record<string, string | undefined>, query?: Record<string, string>): Promise<SessionTestClient> {
    const client = SessionTestClient.open(baseUrl, auth, query);
    await new Promise<void>((resolve, reject) => {
      client.socket.once('connect', resolve);
      client.socket.once('connect_error', reject);
    });
    return client;
  }

  /** Connects expecting a refusal; resolves with the `connect_error` data. */
  static async refused(baseUrl: string, auth: Record<string, string | undefined>, query?: Record<string, string>): Promise<ConnectErrorData & { errorMessage: string }> {
    const client = SessionTestClient.open(baseUrl, auth, query);
    try {
      return await new Promise((resolve, reject) => {
        client.socket.once('connect', () => reject(new Error('the connection was accepted')));
        client.socket.once('connect_error', (error: Error & { data?: ConnectErrorData }) =>
          error.data ? resolve({ ...error.data, errorMessage: error.message }) : reject(error),
        );
      });
    } finally {
      client.close();
    }
  }

  private static open(baseUrl: string, auth: Record<string, string | undefined>, query?: Record<string, string>): SessionTestClient {
    const socket: ClientSocket = io(`${baseUrl}/session`, {
      auth: Object.fromEntries(Object.entries(auth).filter(([, v]) => v !== undefined)),
      query,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: WAIT_MS,
    });
    return new SessionTestClient(socket);
  }

  /** The first `event` (already received or still to come) whose payload passes `match`. */
  next<E extends ServerEvent>(event: E, match: (payload: PayloadOf<E>) => boolean = () => true, timeoutMs = WAIT_MS): Promise<PayloadOf<E>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.received.find((r) => r.event === event && match(r.payload as PayloadOf<E>));
        if (!found) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found.payload as PayloadOf<E>);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching "${event}" within ${timeoutMs} ms; received: ${JSON.stringify(this.received.map((r) => r.event))}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Emits anything, bypassing the event map: for malformed requests and requests without an ack. */
  sendRaw(event: string, ...args: unknown[]): void {
    (this.socket as unknown as Socket).emit(event, ...args);
  }

  all<E extends ServerEvent>(event: E): PayloadOf<E>[] {
    return this.received.filter((r) => r.event === event).map((r) => r.payload as PayloadOf<E>);
  }

  /** Resolves when the connection closes (e.g. closed by the server), with socket.io's reason. */
  closed(): Promise<string> {
    return new Promise((resolve) => this.socket.once('disconnect', (reason) => resolve(String(reason))));
  }

  close(): void {
    this.socket.disconnect();
  }
}

export async function createTestSession(apiUrl: string, scenarioId: string, mode = 'mock'): Promise<CreatedSession> {
  const res = await request(`${apiUrl}/api/sessions`, { method: 'POST', json: { scenarioId, mode } });
  if (res.status !== 201) throw new Error(`creating a session failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const participantIdOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).sub;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
