/**
 * Every failure the api reports on purpose carries one of these codes. The HTTP layer maps a code to a
 * status once (`problem-details.filter.ts`); the realtime gateways will map the same codes to close codes.
 */
export const DOMAIN_ERROR_CODES = [
  'CONFIG_INVALID',
  'DATA_DIR_LOCKED',
  'DATABASE_UNAVAILABLE',
  'REDIS_UNAVAILABLE',
  'REQUEST_INVALID',
  'BODY_MALFORMED',
  'BODY_TOO_LARGE',
  'ROUTE_NOT_FOUND',
  'SCENARIO_NOT_FOUND',
  'SESSION_NOT_FOUND',
  'TOKEN_MISSING',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'TOKEN_WRONG_SESSION',
  'GRADER_UNAVAILABLE',
  'GRADE_FAILED',
  'FORBIDDEN_ROLE',
  'SESSION_NOT_STARTED',
  'SESSION_ENDED',
  'WRONG_MODE',
  'FOLLOWUP_NOT_FOUND',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** One field-level problem of an invalid input, `path` in dotted form (`body.mode`, `HATCH_SECRET`). */
export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class RequestValidationError extends DomainError {
  constructor(errors: FieldError[]) {
    super('REQUEST_INVALID', `The request is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
  }
}

export class DatabaseUnavailableError extends DomainError {
  constructor(reason: string) {
    super('DATABASE_UNAVAILABLE', `The database is unavailable: ${reason}`);
  }
}
