import { DatabaseUnavailableError, DomainError, RequestValidationError } from '../../common/domain-error';
import { SessionEventError } from '../session-events/session-event.error';

/**
 * The console's refusals over REST: the socket.io codes become problem details (FORBIDDEN_ROLE 403,
 * SESSION_NOT_STARTED/SESSION_ENDED/WRONG_MODE 409, FOLLOWUP_NOT_FOUND 404, INVALID_PAYLOAD 400 with
 * `body.` paths, STORAGE_UNAVAILABLE 503 DATABASE_UNAVAILABLE). Anything else passes through (500).
 */
export function toHttpError(error: unknown): unknown {
  if (!(error instanceof SessionEventError)) return error;
  switch (error.code) {
    case 'FORBIDDEN_ROLE':
    case 'SESSION_NOT_STARTED':
    case 'SESSION_ENDED':
    case 'WRONG_MODE':
    case 'FOLLOWUP_NOT_FOUND':
      return new DomainError(error.code, error.message);
    case 'INVALID_PAYLOAD':
      return new RequestValidationError((error.details.issues ?? []).map((issue) => ({ ...issue, path: issue.path.replace(/^payload/, 'body') })));
    case 'STORAGE_UNAVAILABLE':
      return new DatabaseUnavailableError(error.message);
    default:
      return error;
  }
}

/** Runs a console call for a REST request, refusals mapped to problem details. */
export async function overHttp<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toHttpError(error);
  }
}
