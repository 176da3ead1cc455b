export type GradeErrorCode = 'GRADE_INVALID_MODEL' | 'GRADE_INVALID_SCENARIO' | 'GRADE_INVALID_OPTIONS';

/** Bad input to `grade()`: the message names what is wrong; `code` is stable for callers to map. */
export class GradeInputError extends Error {
  constructor(
    readonly code: GradeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GradeInputError';
  }
}
