import { DomainError } from '../../common/domain-error';

export type JoinTokenErrorCode = 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'TOKEN_WRONG_SESSION';

export class JoinTokenError extends DomainError {
  constructor(
    override readonly code: JoinTokenErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
