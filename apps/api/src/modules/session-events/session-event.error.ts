import type { PayloadIssue, SessionEventErrorCode, SessionEventFailure } from '@hatch/protocol';
import { DomainError } from '../../common/domain-error';

/** A refused session event: the gateway turns it into an acknowledgement failure or an `error` event. */
export class SessionEventError extends Error {
  constructor(
    readonly code: SessionEventErrorCode,
    message: string,
    readonly details: { issues?: PayloadIssue[]; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  toFailure(): SessionEventFailure {
    return { ok: false, code: this.code, message: this.message, ...this.details };
  }
}

/** The handshake named no session, or not a UUID. */
export class SessionIdInvalidError extends Error {
  readonly code = 'SESSION_ID_INVALID';

  constructor() {
    super('sessionId (in the handshake auth or the query) must be a session UUID');
    this.name = new.target.name;
  }
}

export class RedisUnavailableError extends DomainError {
  constructor(address: string, reason: string) {
    super('REDIS_UNAVAILABLE', `Redis at ${address} is unavailable: ${reason}`);
  }
}
