import { Inject, Logger } from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  type ClientEventName,
  type ConnectErrorCode,
  connectErrorCodes,
  type ConnectErrorData,
  SESSION_EVENTS_NAMESPACE,
} from '@hatch/protocol';
import { DomainError } from '../../common/domain-error';
import { ParticipantAccessService } from './participant-access.service';
import { roomsOf, type SessionNamespace, type SessionSocket, SessionBroadcaster } from './session-broadcaster';
import { type AckFn, clientOf, failureOf, replyTo } from './session-event-reply';
import { SessionIdInvalidError } from './session-event.error';
import { SESSION_EVENTS_REDIS, type SessionEventsRedis } from './session-events-redis';
import { SessionEventsService } from './session-events.service';

/** Largest socket.io message a client may send; a larger one closes its connection (chat text is ≤ 4000 chars). */
export const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;

/**
 * socket.io namespace `/session`: authenticates the handshake with the join token, puts each
 * connection in its session's room, and hands every event to `SessionEventsService`. Every refusal is
 * answered (acknowledgement, else an `error` event); nothing a client sends can throw out of here.
 */
/** The `/session` namespace's options; other modules' gateways on it (the interviewer's) use the same. */
export const SESSION_GATEWAY_OPTIONS = {
  namespace: SESSION_EVENTS_NAMESPACE,
  serveClient: false,
  maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
  // Upgrades for other paths (the Yjs endpoint on /collab) belong to another handler: leave them alone
  // rather than closing them after 1 s, which is engine.io's default.
  destroyUpgrade: false,
};

@WebSocketGateway(SESSION_GATEWAY_OPTIONS)
export class SessionEventsGateway implements OnGatewayInit<SessionNamespace>, OnGatewayConnection<SessionSocket> {
  private readonly logger = new Logger('SessionEvents');

  constructor(
    private readonly access: ParticipantAccessService,
    private readonly events: SessionEventsService,
    private readonly broadcaster: SessionBroadcaster,
    @Inject(SESSION_EVENTS_REDIS) private readonly redis: SessionEventsRedis | null,
  ) {}

  afterInit(namespace: SessionNamespace): void {
    if (this.redis) {
      namespace.server.adapter(this.redis.createAdapter());
      this.logger.log(`socket.io ${SESSION_EVENTS_NAMESPACE} shares rooms through Redis at ${this.redis.target.address}`);
    }
    this.broadcaster.bind(namespace);
    namespace.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: unknown) => next(this.connectError(error)),
      );
    });
  }

  handleConnection(socket: SessionSocket): void {
    const client = clientOf(socket);
    void socket.join(roomsOf(client.sessionId, client.role));
    socket.once('disconnect', (reason) => {
      this.events.leave(client, reason).catch((error: unknown) => {
        this.logger.warn(`Could not record that ${client.participantId} left ${client.sessionId}: ${(error as Error).message}`);
      });
    });
    this.events.join(client).catch((error: unknown) => {
      const { ok: _ok, ...failure } = failureOf(error, this.logger);
      socket.emit('error', { event: 'connection', ...failure });
      socket.disconnect(true);
    });
  }

  @SubscribeMessage('chat:send')
  chat(@ConnectedSocket() socket: SessionSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): Promise<void> {
    return this.reply(socket, 'chat:send', ack, () => this.events.chat(clientOf(socket), payload));
  }

  @SubscribeMessage('stage:set')
  stage(@ConnectedSocket() socket: SessionSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): Promise<void> {
    return this.reply(socket, 'stage:set', ack, () => this.events.setStage(clientOf(socket), payload));
  }

  @SubscribeMessage('session:start')
  start(@ConnectedSocket() socket: SessionSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): Promise<void> {
    return this.reply(socket, 'session:start', ack, () => this.events.start(clientOf(socket), payload));
  }

  @SubscribeMessage('session:end')
  end(@ConnectedSocket() socket: SessionSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): Promise<void> {
    return this.reply(socket, 'session:end', ack, () => this.events.end(clientOf(socket), payload));
  }

  private async authenticate(socket: SessionSocket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const query = socket.handshake.query;
    const token = firstString(auth.token) ?? firstString(query.token);
    const sessionId = firstString(auth.sessionId) ?? firstString(query.sessionId);
    const { participant, session } = await this.access.authorizeRaw(sessionId, token);
    socket.data = {
      sessionId: session.id,
      participantId: participant.id,
      role: participant.role,
      displayName: participant.displayName,
      connectedAt: new Date().toISOString(),
    };
  }

  /** The error `connect_error` receives: `err.message`, and `err.data = { code, message }`. */
  private connectError(error: unknown): Error & { data: ConnectErrorData } {
    let data: ConnectErrorData;
    if (error instanceof SessionIdInvalidError) {
      data = { code: error.code, message: error.message };
    } else if (error instanceof DomainError && (connectErrorCodes as readonly string[]).includes(error.code)) {
      data = { code: error.code as ConnectErrorCode, message: error.message };
    } else {
      this.logger.error(`Handshake failed: ${(error as Error)?.message}`, (error as Error)?.stack);
      data = { code: 'STORAGE_UNAVAILABLE', message: 'The session could not be checked; try again' };
    }
    return Object.assign(new Error(data.message), { data });
  }

  private reply(socket: SessionSocket, event: ClientEventName, ack: AckFn | undefined, run: () => Promise<object>): Promise<void> {
    return replyTo(socket, event, ack, run, this.logger);
  }
}

function firstString(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}
