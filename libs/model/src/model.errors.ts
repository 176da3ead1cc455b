/** What kind of problem a {@link ModelIssue} reports, so callers can react without parsing messages. */
export type ModelIssueCode =
  | 'schema' // the JSON shape: a missing key, a wrong type, a limit
  | 'duplicate_id'
  | 'duplicate_name'
  | 'unknown_reference' // an id that names no element of the expected kind
  | 'invalid_reference' // an id that exists but may not be used there (wrong entity, listed twice, wrong arity)
  | 'invalid_value'; // a value the shape allows but the model's rules do not (an N:M without a join entity, …)

/** One problem in a model. `path` reads like `entities[0].fields[1].name` (empty for the whole model). */
export interface ModelIssue {
  path: string;
  message: string;
  code: ModelIssueCode;
}

/** Base class of the errors this library throws; `code` is stable and meant to be mapped by callers. */
export abstract class ModelError extends Error {
  abstract readonly code: string;
}

const SHOWN_ISSUES = 5;

/** A model that fails the schema or referential integrity. */
export class ModelValidationError extends ModelError {
  readonly code = 'MODEL_INVALID';

  constructor(readonly issues: ModelIssue[]) {
    super(ModelValidationError.describe(issues));
    this.name = 'ModelValidationError';
  }

  private static describe(issues: ModelIssue[]): string {
    const shown = issues.slice(0, SHOWN_ISSUES).map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
    const more = issues.length > SHOWN_ISSUES ? ` (and ${issues.length - SHOWN_ISSUES} more)` : '';
    return `Invalid model: ${shown.join('; ')}${more}`;
  }
}

export const modelOperationErrorCodes = [
  'ENTITY_NOT_FOUND',
  'FIELD_NOT_FOUND',
  'CONSTRAINT_NOT_FOUND',
  'INDEX_NOT_FOUND',
  'RELATIONSHIP_NOT_FOUND',
  'EVENT_NOT_FOUND',
  'EVENT_PROPERTY_NOT_FOUND',
  'ACTOR_NOT_FOUND',
  'RULE_NOT_FOUND',
  'ACCESS_PATTERN_NOT_FOUND',
  'WIN_ANSWER_NOT_FOUND',
  'DUPLICATE_NAME',
  'DUPLICATE_ID',
  'INVALID_ARGUMENT',
  'LIMIT_EXCEEDED',
] as const;

export type ModelOperationErrorCode = (typeof modelOperationErrorCodes)[number];

/** A typed operation on the shared document refused its arguments; the document is unchanged. */
export class ModelOperationError extends ModelError {
  constructor(
    readonly code: ModelOperationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModelOperationError';
  }
}
