import { DomainError } from '../../common/domain-error';

export class SessionNotFoundError extends DomainError {
  constructor(readonly sessionId: string) {
    super('SESSION_NOT_FOUND', `There is no session ${sessionId}`);
  }
}
