import { Logger } from '@nestjs/common';
import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { SessionSocket } from '../session-events/session-broadcaster';
import { type AckFn, clientOf, replyTo } from '../session-events/session-event-reply';
import { SESSION_GATEWAY_OPTIONS } from '../session-events/session-events.gateway';
import { SessionEventsService } from '../session-events/session-events.service';
import { InterviewerConsole } from './interviewer-console.service';

/**
 * The interviewer's events on the `/session` namespace (the session-events gateway authenticates the
 * connection): the human interviewer's console and the candidate's follow-up requests and answers.
 * Each request passes the channel's checks (rate limit → role → payload) and goes to the console.
 */
@WebSocketGateway(SESSION_GATEWAY_OPTIONS)
export class InterviewerGateway {
  private readonly logger = new Logger('Interviewer');

  constructor(
    private readonly events: SessionEventsService,
    private readonly console: InterviewerConsole,
  ) {}

  @SubscribeMessage('followup:send')
  send(@ConnectedSocket() socket: SessionSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): Promise<void> {
    return replyTo(socket, 'followup:send', ack, async () => {
      const client = clientOf(socket);
      const input = this.events.accept(client, 'followup:send', ['interviewer'], 'send follow-ups', payload);
      return { followUp: await this.console.sendFollowUp(client, input) };
    }, this.logger);
  }

  @SubscribeMessage('followup:request')
  request(@ConnectedSocket() socket: SessionSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): Promise<void> {
    return replyTo(socket, 'followup:request', ack, () => {
      const client = clientOf(socket);
      this.events.accept(client, 'followup:request', ['candidate'], 'request follow-ups', payload);
      return this.console.request(client);
    }, this.logger);
  }

  @SubscribeMessage('followup:answered')
  answered(@ConnectedSocket() socket: SessionSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): Promise<void> {
    return replyTo(socket, 'followup:answered', ack, () => {
      const client = clientOf(socket);
      const { followUpId, answer } = this.events.accept(client, 'followup:answered', ['interviewer', 'candidate'], 'answer follow-ups', payload);
      return this.console.markAnswered(client, followUpId, answer);
    }, this.logger);
  }

  @SubscribeMessage('note:add')
  note(@ConnectedSocket() socket: SessionSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): Promise<void> {
    return replyTo(socket, 'note:add', ack, async () => {
      const client = clientOf(socket);
      const { text } = this.events.accept(client, 'note:add', ['interviewer'], 'write notes', payload);
      return { note: await this.console.addNote(client, text) };
    }, this.logger);
  }

  @SubscribeMessage('suggestions:get')
  suggestions(@ConnectedSocket() socket: SessionSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): Promise<void> {
    return replyTo(socket, 'suggestions:get', ack, async () => {
      const client = clientOf(socket);
      this.events.accept(client, 'suggestions:get', ['interviewer'], 'see suggestions', payload);
      return { suggestions: await this.console.suggestions(client) };
    }, this.logger);
  }
}
