import type { Logger } from '@nestjs/common';
import type { AckResult, ClientEventName, SessionEventFailure } from '@hatch/protocol';
import type { SessionSocket } from './session-broadcaster';
import { SessionEventError } from './session-event.error';
import type { SessionClient } from './session-events.service';

export type AckFn = (result: AckResult<object>) => void;

/** The participant behind a connection (set by the handshake). */
export function clientOf(socket: SessionSocket): SessionClient {
  return { ...socket.data, connectionId: socket.id };
}

/** A refusal as the client sees it; anything that is not a `SessionEventError` is logged and reported as INTERNAL_ERROR. */
export function failureOf(error: unknown, logger: Logger): SessionEventFailure {
  if (error instanceof SessionEventError) return error.toFailure();
  logger.error(`Session event failed: ${(error as Error)?.message}`, (error as Error)?.stack);
  return { ok: false, code: 'INTERNAL_ERROR', message: 'The event could not be handled' };
}

/**
 * Runs a client request and answers it: the acknowledgement when the client asked for one, otherwise a
 * refusal as an `error` event (successes then reach it through the broadcasts only). Never throws.
 */
export async function replyTo(
  socket: SessionSocket,
  event: ClientEventName,
  ack: AckFn | undefined,
  run: () => Promise<object>,
  logger: Logger,
): Promise<void> {
  let result: AckResult<object>;
  try {
    result = { ok: true, ...(await run()) };
  } catch (error) {
    result = failureOf(error, logger);
  }
  if (typeof ack === 'function') ack(result);
  else if (!result.ok) {
    const { ok: _ok, ...failure } = result;
    socket.emit('error', { event, ...failure });
  }
}
