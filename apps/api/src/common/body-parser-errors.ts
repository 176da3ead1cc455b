import { DomainError } from './domain-error';

export class BodyMalformedError extends DomainError {
  constructor(reason: string) {
    super('BODY_MALFORMED', `The request body could not be read: ${reason}`);
  }
}

export class BodyTooLargeError extends DomainError {
  constructor(limit: string) {
    super('BODY_TOO_LARGE', `The request body is larger than the ${limit} limit`);
  }
}

interface BodyParserError {
  type?: unknown;
  status?: unknown;
  message?: unknown;
}

/**
 * Express error middleware placed right after the JSON body parser: turns body-parser's errors
 * (malformed JSON, body too large, unsupported charset) into domain errors for the problem-details filter.
 */
export function bodyParserErrorMapper(limit: string) {
  return (error: unknown, _req: unknown, _res: unknown, next: (error?: unknown) => void): void => {
    const e = (error ?? {}) as BodyParserError;
    if (e.type === 'entity.too.large') return next(new BodyTooLargeError(limit));
    if (e.type === 'entity.parse.failed') return next(new BodyMalformedError(`it is not valid JSON (${String(e.message)})`));
    if (typeof e.type === 'string' && typeof e.status === 'number' && e.status < 500) {
      return next(new BodyMalformedError(String(e.message)));
    }
    next(error);
  };
}
