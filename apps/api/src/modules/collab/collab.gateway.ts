import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CollabError, type CollabClient } from '@hatch/collab';
import { CollabCloseCode } from '@hatch/protocol';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { extractJoinToken } from '../auth/join-token.decorator';
import { type CollabAccess, CollabAccessService } from './collab-access.service';
import { refusalFor } from './collab-close-codes';
import { CollabService } from './collab.service';

export const COLLAB_PATH = '/collab';
const HEARTBEAT_MS = 30_000;
const SHUTDOWN_DRAIN_MS = 10_000;

/** ws closes an over-size message itself with 1009 before telling anyone; Hatch's clients expect 4413. */
class CollabSocket extends WebSocket {
  alive = true;

  override close(code?: number, data?: string | Buffer): void {
    if (code === 1009) super.close(CollabCloseCode.tooLarge, 'message over the size limit');
    else super.close(code, data);
  }
}

/**
 * The Yjs sync endpoint, `ws://HOST:PORT/collab/:sessionId?token=…[&acks=1]`: a `ws` server on the
 * HTTP server's `upgrade` event (other paths, such as socket.io's, are left to their owners). It
 * authenticates, completes the handshake (refusals too, so the client sees the close code), and hands
 * the connection to the session's room.
 */
@Injectable()
export class CollabGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Collab');
  private readonly wss: WebSocketServer;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private attached: { off(): void } | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly access: CollabAccessService,
    private readonly collab: CollabService,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: collab.rooms.settings.limits.maxMessageBytes,
      perMessageDeflate: false,
      WebSocket: CollabSocket,
    });
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    const listener = (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head);
    server.on('upgrade', listener);
    this.attached = { off: () => server.off('upgrade', listener) };
    this.heartbeat = setInterval(() => this.checkAlive(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Before the HTTP server and the database close: no new clients, the others leave (1001), pending updates are written. */
  async beforeApplicationShutdown(): Promise<void> {
    this.attached?.off();
    if (this.heartbeat) clearInterval(this.heartbeat);
    const lost = await this.collab.rooms.close(SHUTDOWN_DRAIN_MS);
    if (lost === 0) this.logger.log('Collab rooms closed; every update is written');
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return; // not a path of ours
    }
    if (url.pathname !== COLLAB_PATH && !url.pathname.startsWith(`${COLLAB_PATH}/`)) return;
    socket.on('error', () => undefined);
    let sessionId = '';
    try {
      sessionId = decodeURIComponent(url.pathname.slice(COLLAB_PATH.length + 1).replace(/\/$/, ''));
    } catch {
      // malformed escapes: no such session
    }
    const token = extractJoinToken({ headers: req.headers, query: { token: url.searchParams.get('token') ?? undefined } });
    const acks = url.searchParams.get('acks') === '1';
    this.access.authorize(sessionId, token).then(
      (access) => this.complete(req, socket, head, (ws) => this.join(ws, access, acks)),
      (error: unknown) => {
        const { code, reason } = refusalFor(error);
        if (code === CollabCloseCode.loadFailed) this.logger.warn(`Could not authorize a collab client: ${(error as Error)?.message}`);
        this.complete(req, socket, head, (ws) => ws.close(code, reason));
      },
    );
  }

  private complete(req: IncomingMessage, socket: Duplex, head: Buffer, then: (ws: CollabSocket) => void): void {
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => then(ws as CollabSocket));
  }

  private join(ws: CollabSocket, access: CollabAccess, acks: boolean): void {
    this.access.admit(access);
    const client: CollabClient = this.collab.rooms.connect(access.sessionId, {
      participantId: access.participantId,
      role: access.role,
      acks,
      send: (message) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(message);
      },
      close: (code, reason) => ws.close(code, reason),
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) client.fail(new CollabError('MESSAGE_MALFORMED', 'text frames are not y-websocket messages'));
      else client.receive(toBytes(data));
    });
    ws.on('pong', () => (ws.alive = true));
    ws.on('close', () => client.disconnected());
    ws.on('error', () => undefined);
  }

  private checkAlive(): void {
    for (const ws of this.wss.clients as Set<CollabSocket>) {
      if (!ws.alive) {
        ws.terminate();
        continue;
      }
      ws.alive = false;
      ws.ping();
    }
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
