import { DomainError } from '../../common/domain-error';
import type { JobErrorCode } from './grade-worker.protocol';

/** The grading worker could not answer: it timed out, crashed, is restarting, is overloaded or shut down (503). */
export class GraderUnavailableError extends DomainError {
  constructor(reason: string) {
    super('GRADER_UNAVAILABLE', `The grader is unavailable: ${reason}`);
  }
}

/** The grader threw on this document (a grader bug, reported rather than crashing anything) (500). */
export class GradeFailedError extends DomainError {
  constructor(reason: string) {
    super('GRADE_FAILED', `Grading the document failed: ${reason}`);
  }
}

/** A job the worker refused, with the worker's code; the services map it to a domain error or a retry. */
export class GradeJobError extends Error {
  constructor(
    readonly code: JobErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GradeJobError';
  }
}
