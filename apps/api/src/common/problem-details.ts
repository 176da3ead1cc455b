import type { DomainErrorCode, FieldError } from './domain-error';

/** RFC 9457 problem details, plus `code` (stable, for programs) and `errors` (for invalid input). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: DomainErrorCode | 'INTERNAL_ERROR' | 'HTTP_ERROR';
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The one mapping of domain error codes to HTTP. */
export const HTTP_PROBLEMS: Record<DomainErrorCode, { status: number; title: string }> = {
  CONFIG_INVALID: { status: 500, title: 'Invalid configuration' },
  DATA_DIR_LOCKED: { status: 500, title: 'Data directory in use' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'Database unavailable' },
  REDIS_UNAVAILABLE: { status: 503, title: 'Redis unavailable' },
  REQUEST_INVALID: { status: 400, title: 'Invalid request' },
  BODY_MALFORMED: { status: 400, title: 'Malformed request body' },
  BODY_TOO_LARGE: { status: 413, title: 'Request body too large' },
  ROUTE_NOT_FOUND: { status: 404, title: 'Not found' },
  SCENARIO_NOT_FOUND: { status: 404, title: 'Scenario not found' },
  SESSION_NOT_FOUND: { status: 404, title: 'Session not found' },
  TOKEN_MISSING: { status: 401, title: 'Join token missing' },
  TOKEN_INVALID: { status: 401, title: 'Join token invalid' },
  TOKEN_EXPIRED: { status: 401, title: 'Join token expired' },
  TOKEN_WRONG_SESSION: { status: 403, title: 'Join token is for another session' },
  GRADER_UNAVAILABLE: { status: 503, title: 'Grader unavailable' },
  GRADE_FAILED: { status: 500, title: 'Grading failed' },
  FORBIDDEN_ROLE: { status: 403, title: 'Not allowed for this role' },
  SESSION_NOT_STARTED: { status: 409, title: 'Session not started' },
  SESSION_ENDED: { status: 409, title: 'Session ended' },
  WRONG_MODE: { status: 409, title: 'Not in this session mode' },
  FOLLOWUP_NOT_FOUND: { status: 404, title: 'Follow-up not found' },
};

/** `SESSION_NOT_FOUND` → `urn:hatch:problem:session-not-found`; docs/api.md lists them. */
export function problemType(code: string): string {
  return `urn:hatch:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}
