import { CollabCloseCode } from '@hatch/protocol';
import { DomainError } from '../../common/domain-error';

/** Why a client may not open a document, as the WebSocket close code and reason it receives. */
export function refusalFor(error: unknown): { code: number; reason: string } {
  if (error instanceof DomainError) {
    switch (error.code) {
      case 'TOKEN_MISSING':
      case 'TOKEN_INVALID':
      case 'TOKEN_EXPIRED':
        return { code: CollabCloseCode.unauthorized, reason: error.code };
      case 'TOKEN_WRONG_SESSION':
        return { code: CollabCloseCode.forbidden, reason: error.code };
      case 'SESSION_NOT_FOUND':
        return { code: CollabCloseCode.sessionNotFound, reason: error.code };
      default:
        break;
    }
  }
  // the database could not be asked: try again later
  return { code: CollabCloseCode.loadFailed, reason: 'UNAVAILABLE' };
}
